package io.lockstep.oci;

import io.lockstep.server.AdjustableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic (htpasswd) and bearer-token auth against the real registry. */
class RegistryAuthTest {

    private static final String PASSWORD = "s3cret-Pa55-do-not-leak";

    @Test
    void basicAuthWorksWithRightCredentialsAndFailsWithoutLeakingThePassword() {
        try (RegistryFixture registry = RegistryFixture.builder().htpasswd("ci", PASSWORD).start()) {
            RegistryClient good = new RegistryClient(registry.clientConfig()
                    .auth(RegistryAuth.basic(RegistryCredentials.fromEnv("ci", "REG_PW", Map.of("REG_PW", PASSWORD)::get))).build());
            TestImages.PushedImage image = TestImages.pushImage(good, "lockstep/private", "v1", Map.of());
            assertThat(good.headManifest("lockstep/private", "v1").orElseThrow().digest()).isEqualTo(image.digest());
            good.ping();

            String wrongPassword = "wrong-" + PASSWORD;
            RegistryClient bad = new RegistryClient(registry.clientConfig()
                    .auth(RegistryAuth.basic(RegistryCredentials.of("ci", wrongPassword, "test"))).build());
            assertThatThrownBy(() -> bad.headManifest("lockstep/private", "v1"))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageContaining(registry.hostPort())
                    .hasMessageContaining("lockstep/private:v1")
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("user ci")
                    .hasMessageNotContaining(wrongPassword)
                    .hasMessageNotContaining(PASSWORD);

            RegistryClient anonymous = new RegistryClient(registry.clientConfig().build());
            assertThatThrownBy(() -> anonymous.exists("lockstep/private", image.digest()))
                    .isInstanceOf(RegistryAuthException.class).hasMessageContaining("anonymous");
        }
    }

    @Test
    void bearerTokenFlowWorksAndTokensAreCachedPerScope(@TempDir Path dir) {
        try (TestTokenServer tokens = new TestTokenServer(dir, "lockstep-test-registry", "lockstep-test-issuer",
                Map.of("ci", PASSWORD), Duration.ofMinutes(5));
             RegistryFixture registry = RegistryFixture.builder().deleteEnabled(true).tokenAuth(tokens.registryTokenAuth()).start()) {

            AdjustableClock clock = new AdjustableClock();
            clock.freezeAt(java.time.Instant.now());
            RegistryTiming timing = new RegistryTiming(System::nanoTime, clock, Sleeper.SYSTEM, () -> 0.5);
            RegistryClient client = new RegistryClient(registry.clientConfig()
                    .auth(RegistryAuth.bearer(RegistryCredentials.of("ci", PASSWORD, "test"))).build(), timing);

            TestImages.PushedImage image = TestImages.pushImage(client, "lockstep/tokened", "v1", Map.of(ImageLabels.VERSION, "3.1"));
            int afterPush = tokens.requestCount();
            // push needs pull,push; the HEAD blob check before it needs pull: two scopes, two tokens.
            assertThat(afterPush).isEqualTo(2);
            assertThat(tokens.requestedScopes()).contains("repository:lockstep/tokened:pull,push");

            for (int i = 0; i < 5; i++) {
                assertThat(client.headManifest("lockstep/tokened", "v1").orElseThrow().digest()).isEqualTo(image.digest());
            }
            assertThat(client.labels("lockstep/tokened", "v1").version()).contains("3.1");
            assertThat(tokens.requestCount()).as("pull token reused from cache").isEqualTo(afterPush);

            client.deleteManifest("lockstep/tokened", image.digest());
            assertThat(tokens.requestedScopes()).last().isEqualTo("repository:lockstep/tokened:delete");
            assertThat(client.exists("lockstep/tokened", image.digest())).isFalse();
            assertThat(tokens.requestCount()).isEqualTo(afterPush + 1);

            // Tokens live 5 min (cached until 4 min 50 s): past that the client must fetch a new one.
            clock.advance(Duration.ofMinutes(4).plusSeconds(55));
            assertThat(client.headManifest("lockstep/tokened", "v1")).isEmpty();
            assertThat(tokens.requestCount()).isEqualTo(afterPush + 2);
        }
    }

    @Test
    void registryRejectsTokenForAnotherAudience(@TempDir Path dir) {
        try (TestTokenServer tokens = new TestTokenServer(dir, "right-service", "iss", Map.of(), Duration.ofMinutes(5));
             RegistryFixture registry = RegistryFixture.builder().tokenAuth(tokens.registryTokenAuth()).start()) {
            tokens.issueForAudience("some-other-service");
            RegistryClient client = new RegistryClient(registry.clientConfig().build());
            assertThatThrownBy(() -> client.headManifest("lockstep/x", "v1"))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("lockstep/x:v1");
            assertThat(tokens.requestCount()).as("one token fetch, one retry, then give up").isEqualTo(1);
        }
    }

    @Test
    void anonymousBearerTokensAndRefusedTokenRequests(@TempDir Path dir) throws Exception {
        try (TestTokenServer tokens = new TestTokenServer(Files.createDirectories(dir.resolve("closed")), "svc", "iss", Map.of("ci", PASSWORD), Duration.ofMinutes(5));
             RegistryFixture registry = RegistryFixture.builder().tokenAuth(tokens.registryTokenAuth()).start()) {
            RegistryClient wrong = new RegistryClient(registry.clientConfig()
                    .auth(RegistryAuth.bearer(RegistryCredentials.of("ci", "not-the-" + PASSWORD, "test"))).build());
            assertThatThrownBy(() -> wrong.headManifest("lockstep/x", "v1"))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageContaining("token server 127.0.0.1:")
                    .hasMessageContaining("repository:lockstep/x:pull")
                    .hasMessageNotContaining(PASSWORD);

            RegistryClient anonymous = new RegistryClient(registry.clientConfig().build());
            // The test token server refuses anonymous callers when users are configured.
            assertThatThrownBy(() -> anonymous.headManifest("lockstep/x", "v1")).isInstanceOf(RegistryAuthException.class);
        }
        try (TestTokenServer open = new TestTokenServer(Files.createDirectories(dir.resolve("open")), "svc", "iss", Map.of(), Duration.ofMinutes(5));
             RegistryFixture registry = RegistryFixture.builder().tokenAuth(open.registryTokenAuth()).start()) {
            RegistryClient anonymous = new RegistryClient(registry.clientConfig().build());
            assertThat(anonymous.headManifest("lockstep/x", "v1")).isEmpty();
            assertThat(open.requestCount()).isEqualTo(1);
        }
    }
}
