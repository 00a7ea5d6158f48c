package io.lockstep.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS trust (CA file, insecure on loopback) and a registry that goes away, against the real registry. */
class RegistryTlsAndOutageTest {

    @Test
    void httpsWithCaFileWorksAndWithoutItFailsAsUnavailable(@TempDir Path dir) {
        TestPki.KeyPair server = TestPki.selfSigned(dir, "registry", "127.0.0.1", "IP:127.0.0.1,DNS:localhost");
        TestPki.KeyPair unrelated = TestPki.selfSigned(dir, "other-ca", "some other CA", null);
        try (RegistryFixture registry = RegistryFixture.builder().tls(server.certificate(), server.privateKey()).start()) {
            assertThat(registry.url().getScheme()).isEqualTo("https");

            RegistryClient trusted = new RegistryClient(registry.clientConfig().caFile(server.certificate()).build());
            TestImages.PushedImage image = TestImages.pushImage(trusted, "lockstep/tls", "v1", Map.of());
            assertThat(trusted.exists("lockstep/tls", image.digest())).isTrue();

            RegistryClient insecure = new RegistryClient(registry.clientConfig().insecure(true).build());
            assertThat(insecure.exists("lockstep/tls", image.digest())).isTrue();

            RegistryClient wrongCa = new RegistryClient(registry.clientConfig().caFile(unrelated.certificate()).build());
            assertThatThrownBy(() -> wrongCa.exists("lockstep/tls", image.digest()))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("TLS handshake failed")
                    .hasMessageContaining(registry.hostPort());

            // The JVM's default trust store does not know our throw-away CA either.
            RegistryClient defaults = new RegistryClient(registry.clientConfig().build());
            assertThatThrownBy(() -> defaults.ping()).isInstanceOf(RegistryUnavailableException.class).hasMessageContaining("TLS");
        }
    }

    @Test
    void stoppedRegistryIsUnavailableAndRecoversAfterRestart() {
        try (RegistryFixture registry = RegistryFixture.startDefault()) {
            RegistryClient client = new RegistryClient(registry.clientConfig().build());
            TestImages.PushedImage image = TestImages.pushImage(client, "lockstep/outage", "v1", Map.of());

            registry.stop();
            assertThatThrownBy(() -> client.exists("lockstep/outage", image.digest()))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining(registry.hostPort())
                    .hasMessageContaining("lockstep/outage@" + image.digest())
                    .hasMessageContaining("connection refused");
            assertThatThrownBy(() -> client.headManifest("lockstep/outage", "v1")).isInstanceOf(RegistryUnavailableException.class);

            registry.restart();
            assertThat(client.exists("lockstep/outage", image.digest())).isTrue();
        }
    }
}
