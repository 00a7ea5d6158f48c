package io.lockstep.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.testing.Http;
import io.lockstep.testing.PinHistory;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL in the middle of a stream of promotes, then a restart on the same database: every
 * promote acknowledged with a 2xx is in the pin table and the history, and the chain verifies.
 *
 * <p>A promote can commit and the process die before the response leaves, so the history may
 * hold one more entry per client than was acknowledged: exactly the request that was in flight.
 * Each client streams to its own pin, sequentially, so its history must be its acknowledged
 * digests in order, optionally followed by that one in-flight digest, and nothing else.
 */
class CrashRecoveryIT {
    private static final String ENV = "prod";
    private static final List<String> PINS = List.of("hermes", "codex", "openclaw");
    private static final int ACKS_BEFORE_KILL = 15;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyAcknowledgedPromoteSurvivesSigkill(StoreKind store) throws Exception {
        ServerProcess.Spec spec = ServerProcess.spec(dir).database(store.create(dir));
        List<Streamer> streamers = new ArrayList<>();
        try (ServerProcess first = spec.start()) {
            PINS.forEach(template -> streamers.add(new Streamer(first.http(), template)));
            streamers.forEach(Thread::start);
            Awaitility.await("each client has acknowledged promotes").atMost(Duration.ofSeconds(20))
                    .until(() -> streamers.stream().allMatch(s -> s.acked.size() >= ACKS_BEFORE_KILL));

            first.kill();

            for (Streamer s : streamers) {
                s.join(Duration.ofSeconds(20).toMillis());
                assertThat(s.isAlive()).as("client of %s noticed the crash", s.template).isFalse();
                assertThat(s.unexpected).as("responses other than 2xx before the crash").isEmpty();
            }
        }

        try (ServerProcess restarted = spec.start()) {
            int rows = 0;
            for (Streamer s : streamers) {
                List<JsonNode> history = PinHistory.oldestFirst(restarted.http(), ENV, s.template);
                List<String> recorded = history.stream().map(e -> e.path("to_digest").asText()).toList();
                List<String> ackedThenInFlight = new ArrayList<>(s.acked);
                ackedThenInFlight.add(s.inFlight);
                assertThat(recorded).as("history of %s: the acknowledged promotes, perhaps plus the one in flight",
                        s.template).isIn(s.acked, ackedThenInFlight);
                assertThat(PinHistory.currentDigest(restarted.http(), ENV, s.template))
                        .as("pin %s is the last entry of its history", s.template)
                        .isEqualTo(recorded.get(recorded.size() - 1));
                rows += history.size();
            }
            PinHistory.assertChainValid(restarted.http(), rows);
        }
    }

    /** Promotes distinct digests to one pin, one after another, until the server stops answering. */
    private static final class Streamer extends Thread {
        final String template;
        final Http http;
        final List<String> acked = new CopyOnWriteArrayList<>();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        volatile String inFlight;

        Streamer(Http http, String template) {
            super("promote-stream-" + template);
            this.http = http;
            this.template = template;
        }

        @Override
        public void run() {
            for (int i = 0; ; i++) {
                String digest = TestConfig.digest(template + "-" + i);
                inFlight = digest;
                Http.Response r;
                try {
                    r = http.post("/api/v1/environments/" + ENV + "/pins/" + template + "/promote", TestConfig.CI,
                            "{\"image_digest\":\"" + digest + "\",\"git_sha\":\"19f3175\",\"notes\":\"stream " + i + "\"}");
                } catch (UncheckedIOException e) {
                    return; // the server is gone; this digest may or may not have committed
                }
                if (r.status() / 100 == 2) {
                    acked.add(digest);
                } else {
                    unexpected.add(r.status() + " " + r.body());
                    return;
                }
            }
        }
    }
}
