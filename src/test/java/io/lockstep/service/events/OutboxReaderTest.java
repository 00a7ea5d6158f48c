package io.lockstep.service.events;

import io.lockstep.domain.Event;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.webhook.WebhookFormat;
import io.lockstep.store.JdbiStore;
import io.lockstep.testing.StoreKind;
import io.lockstep.wire.WebhookJson;
import io.lockstep.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /** A look in the store, as after another replica's commit: these readers are not handed this process's events. */
    private static boolean look(OutboxReader reader) {
        reader.wake();
        return reader.read();
    }

    private static List<Event> events(List<OutboxReader.Outgoing> os) {
        return os.stream().map(OutboxReader.Outgoing::event).toList();
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
            assertThat(look(reader)).isTrue();
            assertThat(ids(reader.after(3, 10))).containsExactly(4L, 5L, 6L, 7L);
            assertThat(ids(reader.after(5, 10))).containsExactly(6L, 7L);
            assertThat(ids(reader.after(4, 2))).containsExactly(5L, 6L);
            assertThat(ids(reader.after(7, 10))).isEmpty();
            assertThat(look(reader)).as("nothing new").isFalse();

            append(store, 3); // 8..10: keeps the newest 5, 6..10
            assertThat(look(reader)).isTrue();
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
            look(reader);
            append(store, 2);
            assertThat(look(reader)).isTrue();
            active.set(false);
            append(store, 2); // 3, 4
            assertThat(look(reader)).isFalse();
            store.deleteEvents(T0.plusSeconds(1), Long.MAX_VALUE); // only 4 left in the store
            assertThat(ids(reader.after(1, 10))).as("nothing kept while idle: the store").containsExactly(4L);
            active.set(true);
            look(reader);
            append(store, 1); // 5
            assertThat(look(reader)).isTrue();
            assertThat(ids(reader.after(4, 10))).containsExactly(5L);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void buildsEachBodyOncePerFormat(StoreKind kind, @TempDir Path dir) {
        try (JdbiStore store = JdbiStore.open(kind.create(dir))) {
            OutboxReader reader = new OutboxReader(store, Duration.ofSeconds(1), 100, () -> true, () -> { });
            look(reader);
            append(store, 1);
            look(reader);
            OutboxReader.Outgoing o = reader.after(0, 1).get(0);
            for (WebhookFormat f : WebhookFormat.values()) {
                assertThat(o.body(f)).isEqualTo(WebhookJson.body(f, o.event()));
                assertThat(o.body(f)).as("shared by the subscriptions of %s", f).isSameAs(o.body(f));
            }
            assertThat(reader.after(0, 1).get(0)).as("one object for every worker").isSameAs(o);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void takesThisProcesssCommittedEventsAsHandedOverWithoutReadingTheStore(StoreKind kind, @TempDir Path dir) {
        try (JdbiStore store = JdbiStore.open(kind.create(dir))) {
            OutboxReader reader = new OutboxReader(store, Duration.ofSeconds(1), 100, () -> true, () -> { });
            store.onEventsWritten(reader::handed);
            assertThat(reader.read()).isFalse();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("long", 5L); // read back from JSON as an Integer
            data.put("float", 1.5f);
            data.put("nested", Map.of("list", List.of(1, "two"), "none", List.of()));
            data.put("nothing", null);
            store.write(tx -> {
                for (int i = 0; i < 3; i++) {
                    tx.appendEvent(Event.of(Event.PIN_PROMOTED, Instant.parse("2026-11-30T08:00:00.123456789Z"),
                            new PinKey("prod", "t" + i, "global"), "runtime", "ci-prod", data));
                }
                return null;
            });
            List<Event> stored = store.eventsAfter(0, 10);
            // Retention removes 1..2 behind the reader's back: what it holds came with the commit, not from a read.
            assertThat(store.deleteEvents(Instant.parse("2026-11-30T09:00:00Z"), Long.MAX_VALUE)).isEqualTo(2);
            assertThat(reader.read()).isTrue();
            assertThat(events(reader.after(0, 10))).as("exactly as a read of the outbox gives them").isEqualTo(stored);
            for (WebhookFormat f : WebhookFormat.values()) {
                assertThat(reader.after(0, 10).get(0).body(f)).isEqualTo(WebhookJson.body(f, stored.get(0)));
            }
            assertThat(reader.read()).as("nothing new, and no look asked").isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void readsTheStoreWhenTheHandedOverIdsLeaveAGapAndOrdersHandOversThatRaced(StoreKind kind, @TempDir Path dir) {
        try (JdbiStore store = JdbiStore.open(kind.create(dir))) {
            OutboxReader reader = new OutboxReader(store, Duration.ofSeconds(1), 100, () -> true, () -> { });
            reader.read();
            append(store, 1);
            append(store, 1);
            List<Event> stored = store.eventsAfter(0, 10);
            reader.handed(List.of(stored.get(1))); // the first commit's hand-over never came
            assertThat(reader.read()).isTrue();
            assertThat(ids(reader.after(0, 10))).as("the gap is read from the store").containsExactly(1L, 2L);

            append(store, 1);
            append(store, 1);
            List<Event> later = store.eventsAfter(2, 10);
            store.deleteEvents(T0.plusSeconds(1), Long.MAX_VALUE); // only 4 left: 3 can come only from the hand-over
            reader.handed(List.of(later.get(1))); // the second commit told first
            reader.handed(List.of(later.get(0)));
            assertThat(reader.read()).isTrue();
            assertThat(ids(reader.after(2, 10))).containsExactly(3L, 4L);
        }
    }

    @Test
    void readsTheStoreWhenAnotherReplicaCommitted() throws Exception {
        var db = TestDatabases.freshPostgres();
        try (JdbiStore here = JdbiStore.open(db); JdbiStore other = JdbiStore.open(db)) {
            OutboxReader reader = new OutboxReader(here, Duration.ofSeconds(1), 100, () -> true, () -> { });
            here.onEventsWritten(reader::handed);
            CountDownLatch told = new CountDownLatch(1);
            here.onChangeElsewhere(() -> {
                reader.wake();
                told.countDown();
            });
            reader.read();
            append(other, 2);
            assertThat(told.await(10, TimeUnit.SECONDS)).as("the other replica's commit is told of").isTrue();
            assertThat(reader.read()).isTrue();
            assertThat(ids(reader.after(0, 10))).containsExactly(1L, 2L);
            append(here, 1);
            assertThat(reader.read()).isTrue();
            assertThat(ids(reader.after(2, 10))).containsExactly(3L);
        }
    }
}
