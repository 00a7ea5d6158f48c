package io.lockstep.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The fixture's options that the client tests do not already exercise. */
class RegistryFixtureTest {

    private static boolean isPushOf(String body, TestImages.PushedImage image) throws java.io.IOException {
        for (JsonNode event : new ObjectMapper().readTree(body).path("events")) {
            JsonNode target = event.path("target");
            if (event.path("action").asText().equals("push") && target.path("repository").asText().equals(image.repository())
                    && target.path("digest").asText().equals(image.digest()) && target.path("tag").asText().equals(image.reference())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPushOfUnchecked(String body, TestImages.PushedImage image) {
        try {
            return isPushOf(body, image);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void notificationsReachTheConfiguredEndpointWithHeaders() {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> secrets = new CopyOnWriteArrayList<>();
        try (StandInServer hook = new StandInServer((ex, n) -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            secrets.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Lockstep-Hook-Secret")));
            StandInServer.respond(ex, 200, new byte[0]);
        });
             RegistryFixture registry = RegistryFixture.builder()
                     .notifications(hook.url().resolve("/api/v1/hooks/registry"), Map.of("X-Lockstep-Hook-Secret", "hook-secret"))
                     .start()) {
            RegistryClient client = new RegistryClient(registry.clientConfig().build());
            TestImages.PushedImage image = TestImages.pushImage(client, "lockstep/notified", "v7", Map.of());

            // The envelope is pretty-printed JSON: {"events":[{"action":"push","target":{"repository","digest","tag",…}}]}
            await().atMost(Duration.ofSeconds(10)).until(() -> bodies.stream().anyMatch(b -> isPushOfUnchecked(b, image)));
            assertThat(secrets).contains("hook-secret");
            assertThat(hook.received().get(0).uri().getPath()).isEqualTo("/api/v1/hooks/registry");
        }
    }
}
