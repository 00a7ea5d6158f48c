package io.lockstep.service.events;

import io.lockstep.domain.Event;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.webhook.WebhookFormat;
import io.lockstep.store.JdbiStore;
import io.lockstep.testing.StoreKind;
import io.lockstep.wire.WebhookJson;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared outbox reader on both stores (real JdbiStore, no server): what it hands a worker after a cursor is
 * exactly what the store holds after it, from memory while the cursor is inside what it keeps (shown by deleting
 * the rows behind its back: memory still has them) and from the store when the cursor is further behind.
 */
class OutboxReaderTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    private static void append(JdbiStore store, int n) {
        store.write(tx -> {
            for (int i = 0; i < n; i++) {
                tx.appendEvent(Event.of(Event.PIN_PROMOTED, T0, new PinKey("prod", "t" + i, "global"), "runtime",
                        "ci-prod", Map.of("n", i)));
            }
            return null;
        });
    }

    private static List<Long> ids(List<OutboxReader.Outgoing> os) {
        return os.stream().map(o -> o.event().id()).toList();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void handsEveryWorkerExactlyTheEventsAfterItsCursorFromMemoryOrFromTheStore(StoreKind kind, @TempDir Path dir) {
        try (JdbiStore store = JdbiStore.open(kind.create(dir))) {
            append(store, 3); // 1..3: before the reader's first look
            AtomicInteger woken = new AtomicInteger();
            OutboxReader reader = new OutboxReader(store, Duration.ofSeconds(1), 5, () -> true, woken::incrementAndGet);
            assertThat(reader.read()).as("the first look only notes where the outbox ends").isFalse();
            assertThat(ids(reader.after(0, 10))).as("behind it: from the store").containsExactly(1L, 2L, 3L);

            append(store, 4); // 4..7
            assertThat(ids(reader.after(3, 10))).as("not read yet: comes with the next wake").isEmpty();
            assertThat(reader.read()).isTrue();
            assertThat(ids(reader.after(3, 10))).containsExactly(4L, 5L, 6L, 7L);
            assertThat(ids(reader.after(5, 10))).containsExactly(6L, 7L);
            assertThat(ids(reader.after(4, 2))).containsExactly(5L, 6L);
            assertThat(ids(reader.after(7, 10))).isEmpty();
            assertThat(reader.read()).as("nothing new").isFalse();

            append(store, 3); // 8..10: keeps the newest 5, 6..10
            assertThat(reader.read()).isTrue();
            // Retention removes 1..9 behind the reader's back (only the newest stays in the store).
            assertThat(store.deleteEvents(T0.plusSeconds(1), Long.MAX_VALUE)).isEqualTo(9);
            assertThat(ids(reader.after(5, 10))).as("kept in memory").containsExactly(6L, 7L, 8L, 9L, 10L);
            assertThat(ids(reader.after(7, 1))).containsExactly(8L);
            assertThat(ids(reader.after(4, 10))).as("before what it keeps: the store").containsExactly(10L);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void readsNothingWhileNoSubscriptionNeedsItAndStartsAgainFromTheNewest(StoreKind kind, @TempDir Path dir) {
        try (JdbiStore store = JdbiStore.open(kind.create(dir))) {
            AtomicBoolean active = new AtomicBoolean(true);
            OutboxReader reader = new OutboxReader(store, Duration.ofSeconds(1), 100, active::get, () -> { });
            reader.read();
            append(store, 2);
            assertThat(reader.read()).isTrue();
            active.set(false);
            append(store, 2); // 3, 4
            assertThat(reader.read()).isFalse();
            store.deleteEvents(T0.plusSeconds(1), Long.MAX_VALUE); // only 4 left in the store
            assertThat(ids(reader.after(1, 10))).as("nothing kept while idle: the store").containsExactly(4L);
            active.set(true);
            reader.read();
            append(store, 1); // 5
            assertThat(reader.read()).isTrue();
            assertThat(ids(reader.after(4, 10))).containsExactly(5L);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void buildsEachBodyOncePerFormat(StoreKind kind, @TempDir Path dir) {
        try (JdbiStore store = JdbiStore.open(kind.create(dir))) {
            OutboxReader reader = new OutboxReader(store, Duration.ofSeconds(1), 100, () -> true, () -> { });
            reader.read();
            append(store, 1);
            reader.read();
            OutboxReader.Outgoing o = reader.after(0, 1).get(0);
            for (WebhookFormat f : WebhookFormat.values()) {
                assertThat(o.body(f)).isEqualTo(WebhookJson.body(f, o.event()));
                assertThat(o.body(f)).as("shared by the subscriptions of %s", f).isSameAs(o.body(f));
            }
            assertThat(reader.after(0, 1).get(0)).as("one object for every worker").isSameAs(o);
        }
    }
}
