package io.lockstep.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryConfigTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1:5000", "https://127.8.9.10", "https://localhost:443", "https://[::1]:5000",
            "http://registry.internal:5000", "http://10.0.0.5"})
    void insecureIsAllowedForLoopbackOrPlainHttp(String url) {
        assertThat(RegistryConfig.builder(url).insecure(true).build().insecure()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://registry.example.com", "https://10.0.0.5:5000", "https://localhost.evil.com", "https://127.0.0.1.nip.io"})
    void insecureIsRejectedForNetworkHttpsHosts(String url) {
        assertThatThrownBy(() -> RegistryConfig.builder(url).insecure(true).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("insecure is only allowed for loopback hosts")
                .hasMessageContaining("ca_file");
    }

    @Test
    void rejectsMalformedUrlsAndCombinations(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> RegistryConfig.builder("ftp://x").build()).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> RegistryConfig.builder("https://x/some/path").build()).hasMessageContaining("must not have a path");
        assertThatThrownBy(() -> RegistryConfig.builder("https://user:hunter2@x").build())
                .hasMessageContaining("must not contain credentials").hasMessageNotContaining("hunter2");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        assertThatThrownBy(() -> RegistryConfig.builder("http://x").caFile(ca).build()).hasMessageContaining("only applies to https");
        assertThatThrownBy(() -> RegistryConfig.builder("https://127.0.0.1").caFile(ca).insecure(true).build()).hasMessageContaining("not both");
        assertThatThrownBy(() -> RegistryConfig.builder("https://x").rateLimit(-1, 1).build()).hasMessageContaining("rate limit");
        assertThat(RegistryConfig.builder("https://Registry.Example.com/").build().host()).isEqualTo("Registry.Example.com");
    }

    @Test
    void caFileThatIsNotPemFailsWhenTheClientIsBuilt(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        RegistryConfig config = RegistryConfig.builder("https://registry.example.com").caFile(ca).build();
        assertThatThrownBy(() -> new RegistryClient(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ca.toString()).hasMessageContaining("PEM");
        RegistryConfig missing = RegistryConfig.builder("https://registry.example.com").caFile(dir.resolve("nope.pem")).build();
        assertThatThrownBy(() -> new RegistryClient(missing)).hasMessageContaining("does not exist");
    }

    @Test
    void credentialsFromEnvNameTheVariableNeverTheValue() {
        RegistryCredentials c = RegistryCredentials.fromEnv("ci", "REGISTRY_PASSWORD", Map.of("REGISTRY_PASSWORD", "pa55w0rd")::get);
        assertThat(c.username()).isEqualTo("ci");
        assertThat(c.toString()).doesNotContain("pa55w0rd").contains("REGISTRY_PASSWORD");
        assertThat(c.basicAuthorization()).isEqualTo("Basic Y2k6cGE1NXcwcmQ=");

        assertThatThrownBy(() -> RegistryCredentials.fromEnv("ci", "MISSING_VAR", Map.<String, String>of()::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MISSING_VAR").hasMessageContaining("not set");
        assertThatThrownBy(() -> RegistryCredentials.fromEnv("ci", "EMPTY", Map.of("EMPTY", "")::get)).hasMessageContaining("EMPTY is empty");
        assertThatThrownBy(() -> RegistryCredentials.fromEnv("", "X", Map.of("X", "secret-value")::get))
                .hasMessageContaining("username").hasMessageNotContaining("secret-value");
    }

    @Test
    void credentialsFromFileDropOneTrailingNewline(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("pw"), "from-file-secret\n");
        RegistryCredentials c = RegistryCredentials.fromFile("ci", f);
        assertThat(c.basicAuthorization()).isEqualTo(RegistryCredentials.of("ci", "from-file-secret", "t").basicAuthorization());
        assertThat(c.toString()).doesNotContain("from-file-secret").contains(f.toString());
        assertThatThrownBy(() -> RegistryCredentials.fromFile("ci", dir.resolve("absent")))
                .hasMessageContaining(dir.resolve("absent").toString()).hasMessageContaining("does not exist");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> RegistryCredentials.fromFile("ci", empty)).hasMessageContaining("is empty");
    }

    @Test
    void builderFactoriesResolveCredentialsEagerly(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("pw"), "x");
        RegistryConfig config = RegistryConfig.builder("https://r.example").basicAuthFromFile("bot", f).build();
        assertThat(config.auth()).isInstanceOfSatisfying(RegistryAuth.Basic.class, b -> assertThat(b.credentials().username()).isEqualTo("bot"));
        assertThat(config.toString()).doesNotContain("=x,").doesNotContain("password=x");
        assertThatThrownBy(() -> RegistryConfig.builder("https://r.example").bearerAuthFromEnv("bot", "LOCKSTEP_TEST_SURELY_UNSET_VAR"))
                .hasMessageContaining("LOCKSTEP_TEST_SURELY_UNSET_VAR");
    }

    @Test
    void ecrRegionComesFromTheHost() {
        assertThat(AwsEcrAuthorizationSource.regionOfHost("123456789012.dkr.ecr.eu-west-1.amazonaws.com")).isEqualTo("eu-west-1");
        assertThatThrownBy(() -> AwsEcrAuthorizationSource.regionOfHost("ghcr.io")).hasMessageContaining("not an ECR registry host");
    }
}
