package io.lockstep.server;

import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.CasPromoteLoad;
import io.lockstep.testing.PinHistory;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.TestDatabases;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real Lockstep processes sharing one PostgreSQL database, four compare-and-set promoters
 * against each, all on one pin. Serialisation must hold across processes (the advisory lock), not
 * just across threads of one JVM; both replicas must end up agreeing on the final pin.
 */
class ReplicaConcurrencyIT {
    @TempDir
    Path dir;

    @Test
    void twoReplicasOnOnePostgresSerialiseCompareAndSetPromotes() throws Exception {
        DatabaseSettings db = TestDatabases.freshPostgres();
        ServerProcess.Spec spec = ServerProcess.spec(dir).database(db);
        try (ServerProcess a = spec.start(); ServerProcess b = spec.start()) {
            CasPromoteLoad load = new CasPromoteLoad("prod", "platform-agent");

            CasPromoteLoad.Result result = load.run(List.of(a.http(), b.http()), 4, 5);

            assertThat(result.acks().size() + result.gaveUp()).isEqualTo(40);
            load.assertSerialised(a.http(), result);
            // b learns of a's commits through NOTIFY; within a second it must hold the same pin.
            String last = result.acks().get(result.acks().size() - 1).digest();
            Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(PinHistory.currentDigest(b.http(), "prod", "platform-agent"))
                            .isEqualTo(last));
        }
    }
}
