package io.lockstep.http;

import io.lockstep.testing.Http;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A history insert the database refuses (a trigger created here, as a DBA might freeze the table)
 * must leave the pin where it was and answer a clear 503, on both stores: "a promote that cannot be
 * recorded in history is not applied".
 */
class HistoryWriteFaultTest {
    private static final String REFUSAL = "pin_history is frozen for the audit";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRefusedHistoryInsertLeavesThePinUnchanged(StoreKind store) {
        try (TestServer s = new TestServer(store.create(dir))) {
            String before = Unique.digest();
            Api.promoteOk(s, "codex", before, "environment", "prod");
            long rows = Api.historyRows(s);
            TestDatabases.execute(s.db, store == StoreKind.SQLITE
                    ? "CREATE TRIGGER refuse_history BEFORE INSERT ON pin_history BEGIN SELECT RAISE(ABORT, '" + REFUSAL + "'); END"
                    : "CREATE FUNCTION refuse_history() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '"
                    + REFUSAL + "'; END $$");
            if (store == StoreKind.POSTGRES) {
                TestDatabases.execute(s.db, "CREATE TRIGGER refuse_history BEFORE INSERT ON pin_history"
                        + " FOR EACH ROW EXECUTE FUNCTION refuse_history()");
            }

            Http.Response refused = Api.promote(s, "codex", Unique.digest(), "environment", "prod");
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.code()).isEqualTo("STORE_WRITE_REFUSED");
            assertThat(refused.json().path("error").asText()).contains(REFUSAL).contains("nothing was changed");
            assertThat(refused.body()).doesNotContain("Exception");
            assertThat(Api.pin(s, "prod", "codex", null).path("image_digest").asText()).isEqualTo(before);
            assertThat(Api.historyRows(s)).isEqualTo(rows);
            assertThat(s.http.get("/readyz", null).status()).as("one refused statement is not a store outage")
                    .isEqualTo(200);

            TestDatabases.execute(s.db, store == StoreKind.SQLITE ? "DROP TRIGGER refuse_history"
                    : "DROP TRIGGER refuse_history ON pin_history");
            String after = Unique.digest();
            Api.promoteOk(s, "codex", after, "environment", "prod");
            assertThat(Api.pin(s, "prod", "codex", null).path("image_digest").asText()).isEqualTo(after);
            assertThat(Api.historyRows(s)).isEqualTo(rows + 1);
        }
    }
}
