package io.lockstep.http;

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
}
