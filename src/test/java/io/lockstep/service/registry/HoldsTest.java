package io.lockstep.service.registry;

import io.lockstep.domain.Action;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.PinKey;
import io.lockstep.service.PromoteOutcome;
import io.lockstep.store.DatabaseSettings;
import io.lockstep.store.JdbiStore;
import io.lockstep.testing.StoreKind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds are durable (issue 12 item 6): a restart keeps them, a second replica on the same
 * PostgreSQL sees them, and a hand promote on one replica releases them for all. Real stores.
 */
class HoldsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC);
    private static final PinKey HERMES = new PinKey("staging", "hermes", "default");
    private static final PinKey CODEX = new PinKey("staging", "codex", "default");
    private static final String REASON = "ci pinned sha256:aa by hand although release runtime@0.3.46 existed";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aHoldSurvivesARestartAndIsReleasedByAHandPromote(StoreKind kind) throws Exception {
        DatabaseSettings db = kind.create(dir);
        try (JdbiStore store = JdbiStore.open(db)) {
            Holds holds = new Holds(store, CLOCK);
            holds.hold(HERMES, REASON);
            holds.hold(CODEX, REASON);
            holds.release(CODEX);
        }
        try (JdbiStore store = JdbiStore.open(db)) {
            Holds restarted = new Holds(store, CLOCK);
            assertThat(restarted.reason(HERMES)).as("the gate's fact after a restart").contains(REASON);
            assertThat(restarted.reason(CODEX)).isEmpty();
            assertThat(restarted.current()).containsExactly(Map.entry(HERMES, REASON));

            restarted.promoted(null, List.of(handPromote(HERMES, "ci")));
            assertThat(restarted.reason(HERMES)).isEmpty();
            assertThat(restarted.current()).isEmpty();
        }
        try (JdbiStore store = JdbiStore.open(db)) {
            assertThat(new Holds(store, CLOCK).current()).as("the release was durable too").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aWatchsOwnPromoteDoesNotReleaseAHold(StoreKind kind) throws Exception {
        try (JdbiStore store = JdbiStore.open(kind.create(dir))) {
            Holds holds = new Holds(store, CLOCK);
            holds.hold(HERMES, REASON);
            holds.promoted(null, List.of(handPromote(HERMES, "watch:runtime")));
            assertThat(holds.reason(HERMES)).contains(REASON);
            assertThat(store.holds()).containsKey(HERMES);
        }
    }

    @org.junit.jupiter.api.Test
    void twoReplicasOnOnePostgresSeeTheSameHolds() throws Exception {
        DatabaseSettings db = StoreKind.POSTGRES.create(dir);
        try (JdbiStore a = JdbiStore.open(db); JdbiStore b = JdbiStore.open(db)) {
            Holds replicaA = new Holds(a, CLOCK);
            Holds replicaB = new Holds(b, CLOCK);
            replicaA.hold(HERMES, REASON);
            assertThat(replicaB.current()).as("drift on the other replica").containsExactly(Map.entry(HERMES, REASON));
            // B's discovery computes the same hold from the same store, then a hand promote on B releases it for both.
            replicaB.hold(HERMES, REASON);
            replicaB.promoted(null, List.of(handPromote(HERMES, "alice")));
            assertThat(replicaA.current()).isEmpty();
            assertThat(a.holds()).isEmpty();
        }
    }

    private static PromoteOutcome handPromote(PinKey key, String by) {
        HistoryEntry entry = new HistoryEntry(1, key, "sha256:" + "a".repeat(64), "sha256:" + "b".repeat(64), null, null,
                null, by, Map.of(), Action.PROMOTE, CLOCK.instant(), null, null, null);
        return new PromoteOutcome(PromoteOutcome.Result.UPDATED, null, entry.fromDigest(), entry);
    }
}
