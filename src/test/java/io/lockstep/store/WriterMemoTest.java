package io.lockstep.store;

import io.lockstep.domain.Fence;
import io.lockstep.domain.LineStop;
import io.lockstep.testing.StoreKind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Line stops and fences, which a write transaction on SQLite takes from the writer's memo once read: every write
 * to them is seen by the next transaction, and a write that rolled back is not, even after the transaction itself
 * read them. Run on both stores, so the memo and the plain reads answer alike.
 */
class WriterMemoTest {
    private static final Instant AT = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path dir;

    private static java.util.List<LineStop> stops(JdbiStore store, String environment) {
        return store.write(tx -> tx.lineStops(environment));
    }

    private static java.util.List<Fence> fences(JdbiStore store, String environment) {
        return store.write(tx -> tx.fences(environment));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyCommittedWriteIsSeenAndARolledBackOneIsNot(StoreKind kind) {
        try (JdbiStore store = JdbiStore.open(kind.create(dir))) {
            // read first, so the memo holds the empty lists
            assertThat(stops(store, "prod")).isEmpty();
            assertThat(fences(store, "prod")).isEmpty();
            assertThat(stops(store, "staging")).isEmpty();

            store.write(tx -> {
                tx.saveLineStop(new LineStop("s1", "prod", null, "incident", "ops", AT, null));
                return null;
            });
            assertThat(stops(store, "prod")).extracting(LineStop::id).containsExactly("s1");
            assertThat(stops(store, "staging")).as("another environment").isEmpty();

            store.write(tx -> tx.liftLineStop("prod", "s1", AT.plusSeconds(60), "ops", "fixed"));
            assertThat(stops(store, "prod")).isEmpty();

            store.write(tx -> {
                tx.saveFence(new Fence("f1", "prod", "migration", "ops", AT, AT.plusSeconds(3600)));
                return null;
            });
            assertThat(fences(store, "prod")).extracting(Fence::id).containsExactly("f1");
            store.write(tx -> tx.deleteFence("prod", "f1"));
            assertThat(fences(store, "prod")).isEmpty();

            assertThatThrownBy(() -> store.write(tx -> {
                tx.saveLineStop(new LineStop("s2", "prod", null, "never", "ops", AT, null));
                tx.saveFence(new Fence("f2", "prod", "never", "ops", AT, AT.plusSeconds(3600)));
                assertThat(tx.lineStops("prod")).extracting(LineStop::id).containsExactly("s2");
                assertThat(tx.fences("prod")).extracting(Fence::id).containsExactly("f2");
                throw new IllegalStateException("roll back");
            })).hasMessage("roll back");
            assertThat(stops(store, "prod")).as("rolled back").isEmpty();
            assertThat(fences(store, "prod")).as("rolled back").isEmpty();
        }
    }
}
