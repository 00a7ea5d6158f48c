package io.lockstep.http;

import io.lockstep.domain.HistoryChain;
import io.lockstep.testing.Http;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tampering with history directly in the database, bypassing Lockstep, is detected by chain
 * verification. Each test gets its own database because it breaks the chain for good.
 */
class HistoryChainTamperTest {
    @TempDir
    Path dir;

    private static List<Long> promoteFour(TestServer s) {
        List<Long> seqs = new ArrayList<>();
        for (String t : new String[]{"claude-code", "platform-agent", "claude-code", "hermes"}) {
            seqs.add(Api.promoteOk(s, t, Unique.digest()).path("history_seq").asLong());
        }
        return seqs;
    }

    private static Http.Response verify(TestServer s) {
        return s.http.get("/api/v1/history/verify", TestConfig.READER);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aModifiedRowBreaksTheChainAtThatRow(StoreKind store) {
        try (TestServer s = new TestServer(store.create(dir))) {
            List<Long> seqs = promoteFour(s);
            Http.Response ok = verify(s);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.json().path("valid").asBoolean()).isTrue();
            assertThat(ok.json().path("entries").asLong()).isEqualTo(4);
            assertThat(ok.json().path("broken_at_seq").isNull()).isTrue();

            long victim = seqs.get(1);
            TestDatabases.execute(s.db, "UPDATE pin_history SET to_digest = '" + Unique.digest() + "' WHERE seq = " + victim);
            Http.Response broken = verify(s);
            Api.assertNoInternals(broken);
            assertThat(broken.json().path("valid").asBoolean()).as(broken.body()).isFalse();
            assertThat(broken.json().path("broken_at_seq").asLong()).isEqualTo(victim);
            assertThat(broken.json().path("reason").asText()).contains(Long.toString(victim));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDeletedMiddleRowBreaksTheChainAtTheNextRow(StoreKind store) {
        try (TestServer s = new TestServer(store.create(dir))) {
            List<Long> seqs = promoteFour(s);
            assertThat(verify(s).json().path("valid").asBoolean()).isTrue();

            TestDatabases.execute(s.db, "DELETE FROM pin_history WHERE seq = " + seqs.get(1));
            Http.Response broken = verify(s);
            Api.assertNoInternals(broken);
            assertThat(broken.json().path("valid").asBoolean()).as(broken.body()).isFalse();
            assertThat(broken.json().path("broken_at_seq").asLong()).isEqualTo(seqs.get(2));
            assertThat(broken.json().path("entries").asLong()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRewrittenAuthorIsDetectedEvenOnTheNewestRow(StoreKind store) {
        try (TestServer s = new TestServer(store.create(dir))) {
            List<Long> seqs = promoteFour(s);
            long newest = seqs.get(3);
            TestDatabases.execute(s.db, "UPDATE pin_history SET promoted_by = 'admin' WHERE seq = " + newest);
            Http.Response broken = verify(s);
            assertThat(broken.json().path("valid").asBoolean()).as(broken.body()).isFalse();
            assertThat(broken.json().path("broken_at_seq").asLong()).isEqualTo(newest);
        }
    }

    /**
     * One tamper case per hashed field, generated from {@link HistoryChain#HASHED_FIELDS}: a field
     * added to the hash gets a case without anyone writing one (text fields by default). Each case
     * rewrites one column of the newest row directly in the database, expects verification to name
     * that row, then restores the row.
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void tamperingWithAnyHashedFieldIsDetected(StoreKind store) {
        try (TestServer s = new TestServer(store.create(dir))) {
            Api.promoteOk(s, "hermes", Unique.digest(), "git_sha", "abc1234", "runtime_version", "v1.2.3",
                    "notes", "first", "provenance", Map.of("ci_run", "r1", "commit", "abc1234"));
            long victim = Api.promoteOk(s, "hermes", Unique.digest(), "git_sha", "def5678", "runtime_version", "v1.2.4",
                    "notes", "second", "provenance", Map.of("ci_run", "r2", "commit", "def5678")).path("history_seq").asLong();
            assertThat(verify(s).status()).isEqualTo(200);

            List<String> tampered = new ArrayList<>();
            for (HistoryChain.Field field : HistoryChain.HASHED_FIELDS) {
                String column = field.name();
                TestDatabases.execute(s.db, "CREATE TABLE tamper_backup AS SELECT * FROM pin_history WHERE seq = " + victim);
                TestDatabases.execute(s.db, "UPDATE pin_history SET " + column + " = " + tamperedValue(column)
                        + " WHERE seq = " + victim);
                Http.Response broken = verify(s);
                long expectedSeq = column.equals("seq") ? victim + 1 : victim;
                assertThat(broken.status()).as("tampered %s: %s", column, broken.body()).isEqualTo(409);
                assertThat(broken.json().path("broken_at_seq").asLong()).as("tampered %s: %s", column, broken.body())
                        .isEqualTo(expectedSeq);
                TestDatabases.execute(s.db, "DELETE FROM pin_history WHERE seq IN (" + victim + ", " + (victim + 1) + ")");
                TestDatabases.execute(s.db, "INSERT INTO pin_history SELECT * FROM tamper_backup");
                TestDatabases.execute(s.db, "DROP TABLE tamper_backup");
                assertThat(verify(s).status()).as("restored after tampering with %s", column).isEqualTo(200);
                tampered.add(column);
            }
            assertThat(tampered).contains("at", "prev_hash", "seq", "provenance", "action")
                    .hasSize(HistoryChain.HASHED_FIELDS.size());
        }
    }

    /** SQL for a different value of {@code column} that still reads back as a history entry. */
    private static String tamperedValue(String column) {
        return switch (column) {
            case "seq", "at" -> column + " + 1";
            case "provenance" -> "'{\"ci_run\":\"forged\"}'";
            case "action" -> "CASE WHEN action = 'promote' THEN 'rollback' ELSE 'promote' END";
            default -> "COALESCE(" + column + ", '') || 'x'";
        };
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void deletingTheNewestRowsIsDetected(StoreKind store) {
        try (TestServer s = new TestServer(store.create(dir))) {
            List<Long> seqs = promoteFour(s);
            long newest = seqs.get(3);
            TestDatabases.execute(s.db, "DELETE FROM pin_history WHERE seq = " + newest);
            Http.Response broken = verify(s);
            Api.assertNoInternals(broken);
            assertThat(broken.json().path("valid").asBoolean()).as(broken.body()).isFalse();
            assertThat(broken.json().path("broken_at_seq").asLong()).as(broken.body()).isEqualTo(newest);
            assertThat(broken.json().path("reason").asText()).contains("missing");

            // Appending later does not hide it: the next entry links to the head, not to the last row.
            Api.promoteOk(s, "codex", Unique.digest());
            assertThat(verify(s).json().path("valid").asBoolean()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void deletingTheNewestRowsAndResettingTheirPinsIsDetectedByTheHead(StoreKind store) {
        try (TestServer s = new TestServer(store.create(dir))) {
            List<Long> seqs = promoteFour(s); // claude-code, platform-agent, claude-code, hermes
            TestDatabases.execute(s.db, "DELETE FROM pin_history WHERE seq = " + seqs.get(3));
            TestDatabases.execute(s.db, "DELETE FROM pins WHERE template = 'hermes'");
            Http.Response broken = verify(s);
            assertThat(broken.json().path("valid").asBoolean()).as(broken.body()).isFalse();
            assertThat(broken.json().path("broken_at_seq").asLong()).as(broken.body()).isEqualTo(seqs.get(3));
            assertThat(broken.json().path("reason").asText()).contains("head");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPinChangedOutsideLockstepIsDetected(StoreKind store) {
        try (TestServer s = new TestServer(store.create(dir))) {
            List<Long> seqs = promoteFour(s);
            String forged = Unique.digest();
            TestDatabases.execute(s.db, "UPDATE pins SET digest = '" + forged + "' WHERE template = 'platform-agent'");
            Http.Response broken = verify(s);
            assertThat(broken.json().path("valid").asBoolean()).as(broken.body()).isFalse();
            assertThat(broken.json().path("broken_at_seq").asLong()).isEqualTo(seqs.get(1));
            assertThat(broken.json().path("reason").asText()).contains(forged).contains("platform-agent");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDeletedHeadRefusesPromotesWithoutChangingAnything(StoreKind store) {
        try (TestServer s = new TestServer(store.create(dir))) {
            promoteFour(s);
            TestDatabases.execute(s.db, "DELETE FROM history_head");
            Http.Response refused = Api.promote(s, "codex", Unique.digest());
            Api.assertError(refused, 409, "HISTORY_HEAD_MISSING");
            assertThat(verify(s).json().path("reason").asText()).contains("head is missing");
            assertThat(verify(s).json().path("entries").asLong()).isEqualTo(4);
        }
    }
}
