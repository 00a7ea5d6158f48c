package io.lockstep.server;

import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.CasPromoteLoad;
import io.lockstep.testing.PinHistory;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.StoreWriteLock;
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
 * just across threads of one JVM, also when the promotes are forced to collide; both replicas must
 * end up agreeing on the final pin.
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

            // Whether the promotes above overlapped across processes is up to the scheduler; this
            // collision is not: promotes through both processes queue behind the advisory lock the
            // test holds, and exactly one of them may win.
            CasPromoteLoad.Collision collision = load.collide(List.of(a.http(), b.http()), 4, StoreWriteLock.holdPostgres(db));

            // Both replicas end on the winner. (That b learns it through NOTIFY, not the 30 s safety
            // net, is proven by ReplicaVisibilityTest; here the deadline only has to outlast a slow machine.)
            for (ServerProcess replica : List.of(a, b)) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(PinHistory.currentDigest(replica.http(), "prod", "platform-agent"))
                                .isEqualTo(collision.winner()));
            }
        }
    }
}
