package io.lockstep.store;

import io.lockstep.domain.Action;
import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.PinChange;
import io.lockstep.domain.PinKey;
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
 * A database that has history from before V5 gets its head backfilled from its newest row, so it
 * verifies after the upgrade and new entries link on to the existing chain.
 */
class HistoryHeadMigrationTest {
    private static final PinKey KEY = new PinKey("prod", "hermes", "global");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void existingHistoryGetsAHeadAndKeepsVerifying(StoreKind kind) {
        DatabaseSettings db = kind.create(dir);
        Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration/common")
                .target("2").load().migrate();
        String prev = HistoryChain.GENESIS;
        for (int seq = 1; seq <= 3; seq++) {
            Instant at = Instant.ofEpochMilli(1_700_000_000_000L + seq);
            String to = "sha256:" + HistoryChain.sha256("old" + seq);
            // Hashed as the entries of that time were: without a provenance kind (schema V6 added it).
            HistoryEntry linked = HistoryChain.link(new HistoryChain.Head(seq - 1, prev), new PinChange(KEY, null, to,
                    null, null, null, "ci", Map.of(), Action.PROMOTE, at, null));
            String hash = HistoryChain.hashOf(new HistoryEntry(linked.seq(), linked.key(), linked.fromDigest(),
                    linked.toDigest(), null, null, null, "ci", Map.of(), Action.PROMOTE, at, null, prev, null));
            TestDatabases.execute(db, "INSERT INTO pin_history (seq, environment, template, region, to_digest,"
                    + " promoted_by, provenance, action, at, prev_hash, hash) VALUES (" + seq + ", 'prod', 'hermes',"
                    + " 'global', '" + to + "', 'ci', '{}', 'promote', " + at.toEpochMilli() + ", '" + prev + "', '"
                    + hash + "')");
            prev = hash;
        }

        try (JdbiStore store = JdbiStore.open(db)) {
            HistoryChain.Verification upgraded = store.verifyHistory();
            assertThat(upgraded.valid()).as(upgraded.reason()).isTrue();
            assertThat(upgraded.entries()).isEqualTo(3);

            var entry = store.write(tx -> {
                HistoryEntry linked = HistoryChain.link(tx.historyHead(), new PinChange(KEY, null,
                        "sha256:" + HistoryChain.sha256("new"), null, null, null, "ci", Map.of(), Action.EXCLUDE,
                        Instant.now(), null));
                tx.appendHistory(linked);
                return linked;
            });
            assertThat(entry.seq()).isEqualTo(4);
            assertThat(entry.prevHash()).isEqualTo(prev);
            assertThat(store.verifyHistory().valid()).isTrue();
        }
    }
}
