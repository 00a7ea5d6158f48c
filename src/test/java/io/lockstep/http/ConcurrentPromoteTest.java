package io.lockstep.http;

import io.lockstep.testing.CasPromoteLoad;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.StoreWriteLock;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Eight CI jobs racing compare-and-set promotes of one pin through the HTTP API: every acknowledged
 * promote is exactly one history row, in order, and the pin ends on the last one, however the threads
 * interleave. Then a forced collision (promotes queued behind the store's write lock held by the
 * test): exactly one wins, whatever the scheduling. The same across two server processes is
 * {@code io.lockstep.server.ReplicaConcurrencyIT}.
 */
class ConcurrentPromoteTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void eightThreadsCompareAndSetOnePinWithoutLosingAPromote(StoreKind store) throws Exception {
        try (TestServer server = new TestServer(store.create(dir))) {
            CasPromoteLoad load = new CasPromoteLoad("prod", "hermes");

            CasPromoteLoad.Result result = load.run(List.of(server.http), 8, 5);

            load.assertSerialised(server.http, result);
            assertThat(result.acks().size() + result.gaveUp()).isEqualTo(40);

            // Whether the threads above overlapped is up to the scheduler; this collision is not.
            CasPromoteLoad.Collision collision = load.collide(List.of(server.http), 4, StoreWriteLock.hold(server));
            assertThat(collision.refused()).hasSize(3);
        }
    }
}
