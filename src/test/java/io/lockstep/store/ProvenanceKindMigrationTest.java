package io.lockstep.store;

import io.lockstep.domain.Action;
import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.PinChange;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.ProvenanceKind;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schema V6 adds {@code provenance_kind}: history written before it verifies unchanged, and on every
 * entry written after it the kind is covered by the hash, so flipping it in the database (declared to
 * verified, or blanking it to pass an entry off as an old one) breaks the chain at that entry.
 */
class ProvenanceKindMigrationTest {
    private static final PinKey KEY = new PinKey("prod", "hermes", "global");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void oldEntriesVerifyUnchangedAndTheKindOfNewOnesCannotBeFlipped(StoreKind kind) {
        DatabaseSettings db = kind.create(dir);
        Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration/common")
                .target("5").load().migrate();
        Instant at = Instant.ofEpochMilli(1_700_000_000_001L);
        String to = "sha256:" + HistoryChain.sha256("old");
        HistoryEntry old = new HistoryEntry(1, KEY, null, to, null, null, null, "ci", Map.of("ci_run", "r1"),
                Action.PROMOTE, at, null, HistoryChain.GENESIS, null);
        String oldHash = HistoryChain.hashOf(old);
        TestDatabases.execute(db, "INSERT INTO pin_history (seq, environment, template, region, to_digest,"
                + " promoted_by, provenance, action, at, prev_hash, hash) VALUES (1, 'prod', 'hermes', 'global', '" + to
                + "', 'ci', '{\"ci_run\":\"r1\"}', 'promote', " + at.toEpochMilli() + ", '" + HistoryChain.GENESIS
                + "', '" + oldHash + "')");
        TestDatabases.execute(db, "UPDATE history_head SET seq = 1, hash = '" + oldHash + "' WHERE id = 1");

        try (JdbiStore store = JdbiStore.open(db)) {
            HistoryChain.Verification upgraded = store.verifyHistory();
            assertThat(upgraded.valid()).as(upgraded.reason()).isTrue();
            assertThat(store.history(KEY, 10, null).get(0).provenanceKindShown()).isEqualTo(ProvenanceKind.DECLARED);

            HistoryEntry fresh = store.write(tx -> {
                HistoryEntry linked = HistoryChain.link(tx.historyHead(), new PinChange(KEY, to,
                        "sha256:" + HistoryChain.sha256("new"), null, null, null, "github:publish",
                        Map.of("repository", "acme/agents"), Action.PROMOTE, Instant.now(), null, ProvenanceKind.VERIFIED));
                tx.appendHistory(linked);
                return linked;
            });
            assertThat(store.history(KEY, 10, null).get(0).provenanceKind()).isEqualTo(ProvenanceKind.VERIFIED);
            assertThat(store.verifyHistory().valid()).isTrue();

            for (String forged : new String[]{"'declared'", "NULL", "'none'"}) {
                TestDatabases.execute(db, "UPDATE pin_history SET provenance_kind = " + forged + " WHERE seq = 2");
                HistoryChain.Verification v = store.verifyHistory();
                assertThat(v.valid()).as("provenance_kind set to %s", forged).isFalse();
                assertThat(v.brokenAtSeq()).isEqualTo(fresh.seq());
            }
            TestDatabases.execute(db, "UPDATE pin_history SET provenance_kind = 'verified' WHERE seq = 2");
            assertThat(store.verifyHistory().valid()).as("restored").isTrue();

            TestDatabases.execute(db, "UPDATE pin_history SET provenance_kind = 'verified' WHERE seq = 1");
            HistoryChain.Verification promotedOld = store.verifyHistory();
            assertThat(promotedOld.valid()).as("an old entry claimed as verified").isFalse();
            assertThat(promotedOld.brokenAtSeq()).isEqualTo(1);
        }
    }
}
