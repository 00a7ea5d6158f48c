package io.lockstep.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.Unique;
import io.lockstep.testing.WebhookReceiver;
import io.lockstep.testing.WebhookReceiver.Answer;
import io.lockstep.testing.WebhookReceiver.Received;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL while webhooks are being delivered (both stores, the real jar in its own process, a real receiver:
 * the JDK HttpServer on loopback, answering slowly so deliveries lag behind the promotes): after a restart on
 * the same data every acknowledged promote's event reaches the receiver at least once, first arrivals in
 * commit order.
 */
class WebhookCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyAcknowledgedPromoteIsDeliveredAfterAKillMidDelivery(StoreKind store) throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer("/crash", n -> new Answer(200, null, Duration.ofMillis(40)));
            String yaml = TestConfig.yaml("""
                    events:
                      webhooks: {allow_loopback: true, backoff_initial: 50ms, backoff_max: 500ms, poll: 200ms,
                                 connect_timeout: 1s, response_timeout: 2s, lease: 6s}
                      subscriptions:
                        - {name: crash, url: "%s", types: [pin.promoted], secret_env: T_HOOK}
                    """.formatted(receiver.url("/crash")));
            ServerProcess.Spec spec = ServerProcess.spec(dir).database(store.create(dir)).config(yaml);
            List<String> acknowledged = new ArrayList<>();
            try (ServerProcess first = spec.start()) {
                Http http = first.http();
                for (int i = 0; i < 60; i++) {
                    String digest = Unique.digest();
                    Http.Response r = http.post("/api/v1/environments/prod/pins/hermes/promote", TestConfig.CI,
                            Json.obj("image_digest", digest));
                    if (r.status() == 200 || r.status() == 201) {
                        acknowledged.add(digest);
                    }
                }
                assertThat(WebhookReceiver.await(Duration.ofSeconds(20), () -> receiver.at("/crash").size() >= 5))
                        .isTrue();
                first.kill(); // SIGKILL mid-delivery: 60 promotes at 40 ms per delivery are not all out yet
            }
            int beforeRestart = receiver.at("/crash").size();
            assertThat(beforeRestart).as("the kill came before every delivery").isLessThan(60);
            try (ServerProcess second = spec.start()) {
                assertThat(WebhookReceiver.await(Duration.ofSeconds(60), () -> digests(receiver).containsAll(
                        acknowledged))).as("received %s of %s", digests(receiver).size(), acknowledged.size()).isTrue();
            }
            assertThat(acknowledged).hasSize(60);
            assertThat(new ArrayList<>(digests(receiver))).containsExactlyElementsOf(acknowledged);
        }
    }

    /** The promoted digests in order of first arrival, after checking each signature. */
    private static Set<String> digests(WebhookReceiver receiver) {
        Set<String> out = new LinkedHashSet<>();
        for (Received r : receiver.at("/crash")) {
            long ts = Long.parseLong(r.header("X-Lockstep-Timestamp"));
            assertThat(io.lockstep.domain.webhook.WebhookSignature.verify(TestConfig.HOOK, ts, r.body(),
                    r.header("X-Lockstep-Signature"))).isTrue();
            try {
                out.add(JSON.readTree(r.body()).path("data").path("to").path("digest").asText());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }
}
