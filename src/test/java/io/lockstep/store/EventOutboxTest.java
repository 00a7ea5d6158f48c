package io.lockstep.store;

import io.lockstep.domain.Event;
import io.lockstep.domain.PinKey;
import io.lockstep.testing.StoreKind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event outbox on both stores: events commit with their write or not at all, ids grow, retention keeps the rest. */
class EventOutboxTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    private static Event event(String template, Instant at) {
        return Event.of(Event.PIN_PROMOTED, at, new PinKey("prod", template, "default"), "runtime", "ci-prod",
                Map.of("to", Map.of("digest", "sha256:" + "a".repeat(64)), "count", 3, "armed", true));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void eventsCommitWithTheirWriteAndComeBackInIdOrder(StoreKind kind, @TempDir Path dir) {
        try (JdbiStore store = JdbiStore.open(kind.create(dir))) {
            assertThat(store.lastEventId()).isZero();
            List<Event> written = store.write(tx -> List.of(tx.appendEvent(event("a", T0)),
                    tx.appendEvent(event("b", T0.plusSeconds(1)))));
            assertThat(written).extracting(Event::id).containsExactly(1L, 2L);

            assertThatThrownBy(() -> store.write(tx -> {
                tx.appendEvent(event("rolled-back", T0));
                throw new IllegalStateException("the write fails after its event");
            })).isInstanceOf(IllegalStateException.class);

            Event third = store.write(tx -> tx.appendEvent(event("c", T0.plusSeconds(2))));
            assertThat(third.id()).isEqualTo(3L);
            List<Event> all = store.eventsAfter(0, 10);
            assertThat(all).extracting(Event::template).containsExactly("a", "b", "c");
            assertThat(all.get(0)).isEqualTo(written.get(0));
            assertThat(all.get(0).data()).containsEntry("count", 3).containsEntry("armed", true);
            assertThat(store.eventsAfter(1, 1)).extracting(Event::id).containsExactly(2L);
            assertThat(store.lastEventId()).isEqualTo(3L);
            assertThat(store.firstEventId()).isEqualTo(1L);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void retentionDeletesOnlyOldEventsUpToTheGivenId(StoreKind kind, @TempDir Path dir) {
        try (JdbiStore store = JdbiStore.open(kind.create(dir))) {
            store.write(tx -> {
                tx.appendEvent(event("old-1", T0));
                tx.appendEvent(event("old-2", T0));
                tx.appendEvent(event("new", T0.plusSeconds(3600)));
                return null;
            });
            // Event 2 is old but not delivered yet (upTo 1): it stays.
            assertThat(store.deleteEvents(T0.plusSeconds(60), 1)).isEqualTo(1);
            assertThat(store.eventsAfter(0, 10)).extracting(Event::template).containsExactly("old-2", "new");
            assertThat(store.firstEventId()).isEqualTo(2L);
            // Ids never go back after a deletion.
            assertThat(store.write(tx -> tx.appendEvent(event("next", T0.plusSeconds(7200)))).id()).isEqualTo(4L);
            // Even when every event is old and delivered, the newest stays so ids continue after it.
            assertThat(store.deleteEvents(T0.plusSeconds(99_999), Long.MAX_VALUE)).isEqualTo(2);
            assertThat(store.eventsAfter(0, 10)).extracting(Event::template).containsExactly("next");
            assertThat(store.write(tx -> tx.appendEvent(event("after", T0.plusSeconds(99_999)))).id()).isEqualTo(5L);
        }
    }
}
