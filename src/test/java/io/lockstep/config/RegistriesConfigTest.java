package io.lockstep.config;

import io.lockstep.oci.ImageLocation;
import io.lockstep.oci.Registries;
import io.lockstep.oci.RegistriesConfig;
import io.lockstep.oci.RegistryAuth;
import io.lockstep.oci.RegistryConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Template;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registries/audit/hooks sections: parsing, template matching, errors naming the key, no secret in any message. */
class RegistriesConfigTest {
    private static final String SECRET = "s3cr3t-registry-password";
    private static final Map<String, String> ENV = Map.of("REG_PASSWORD", SECRET, "HOOK", "hook-secret-0123456789");
    private static final List<Template> TEMPLATES = List.of(
            new Template("app", "registry.example.com/team/app", List.of(), null, true),
            new Template("other", "ghcr.io/org/other", List.of(), null, true));

    @Test
    void parsesRegistriesAndMatchesTemplatesByLongestPrefix(@TempDir Path dir) throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), SECRET + "\n");
        RegistriesConfig c = parse("""
                registries:
                  registry.example.com:
                    auth: basic
                    username: bot
                    password_env: REG_PASSWORD
                    rate_limit: {requests_per_second: 5, burst: 7}
                    retry: {max_attempts: 3, initial_backoff: 50ms}
                  registry.example.com/team:
                    url: http://127.0.0.1:5000
                    auth: bearer
                    username: bot
                    password_file: %s
                  ghcr.io: {}
                audit: {interval: 10m, mirror_retry_interval: 30s}
                hooks: {registry: {secret_env: HOOK}}
                """.formatted(pw), List.of(Environment.named("prod")));
        assertThat(c.registries()).hasSize(3);
        RegistryConfig first = c.registries().get("registry.example.com");
        assertThat(first.baseUrl().toString()).isEqualTo("https://registry.example.com");
        assertThat(first.auth()).isInstanceOf(RegistryAuth.Basic.class);
        assertThat(first.requestsPerSecond()).isEqualTo(5);
        assertThat(first.burst()).isEqualTo(7);
        assertThat(first.retry().maxAttempts()).isEqualTo(3);
        assertThat(c.auditInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.mirrorRetryInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.repairMirrorTags()).as("mirror_tags: repair is the default").isTrue();
        assertThat(parse("audit: {mirror_tags: flag}", List.of(Environment.named("prod"))).repairMirrorTags()).isFalse();
        assertThat(c.hookSecret()).get().matches(s -> s.matches("hook-secret-0123456789") && !s.matches("hook-secret-012345678"));
        assertThat(c.hookSecret().get().toString()).doesNotContain("hook-secret-0123456789");
        assertThat(c.providerHooks()).as("provider hooks are off unless configured").isEmpty();

        Registries registries = new Registries(c);
        ImageLocation app = registries.locate(TEMPLATES.get(0).repository()).orElseThrow();
        assertThat(app.client().host()).isEqualTo("127.0.0.1:5000");
        assertThat(app.repository()).isEqualTo("team/app");
        assertThat(registries.locate(TEMPLATES.get(1).repository()).orElseThrow().repository()).isEqualTo("org/other");
        assertThat(registries.locate(new Template("x", "quay.io/x/y", List.of(), null, true).repository())).isEmpty();
        assertThat(c.toString()).doesNotContain(SECRET);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "registries: {r.example.com: {auth: basic, username: bot, password_env: MISSING}}|registries.r.example.com|MISSING is not set",
            "registries: {r.example.com: {auth: basic, username: bot}}|registries.r.example.com|needs username and password_env",
            "registries: {r.example.com: {auth: anonymous, password_env: REG_PASSWORD}}|registries.r.example.com.auth|anonymous takes no",
            "registries: {r.example.com: {auth: kerberos}}|registries.r.example.com.auth|must be anonymous, basic, bearer or ecr",
            "registries: {r.example.com: {insecure: true}}|registries.r.example.com|insecure is only allowed",
            "registries: {r.example.com: {url: 'https://r.example.com/v2'}}|registries.r.example.com|must not have a path",
            "registries: {'https://r.example.com': {}}|registries.https://r.example.com|key must be a registry host",
            "registries: {r.example.com: {password: hunter2}}|registries.r.example.com.password|unknown key",
            "registries: {r.example.com: {rate_limit: {requests_per_second: -1}}}|registries.r.example.com.rate_limit.requests_per_second|between",
            "hooks: {registry: {secret_env: NOPE}}|hooks.registry.secret_env|NOPE is not set",
            "hooks: {registry: {secret_env: REG_PASSWORD, header: X}}|hooks.registry.header|unknown key",
            "hooks: {github: {secret_env: NOPE}}|hooks.github.secret_env|NOPE is not set",
            "hooks: {harbor: {}}|hooks.harbor.secret_env|is required",
            "hooks: {gitlab: {allow_from: [10.0.0.0/8]}}|hooks.gitlab.allow_from|unknown key",
            "hooks: {dockerhub: {secret_env: HOOK}}|hooks.dockerhub.secret_env|unknown key",
            "hooks: {dockerhub: {}}|hooks.dockerhub.allow_from|is required",
            "hooks: {quay: {allow_from: [quay.io]}}|hooks.quay.allow_from[0]|IP address or CIDR block",
            "hooks: {quay: {allow_from: [10.0.0.0/33]}}|hooks.quay.allow_from[0]|IP address or CIDR block",
            "hooks: {acr: {secret_env: HOOK}}|hooks.acr|unknown key",
            "audit: {interval: soon}|audit.interval|duration",
            "audit: {mirror_tags: fix}|audit.mirror_tags|must be repair or flag"})
    void errorsNameTheKeyAndNeverTheSecret(String yaml, String path, String message) {
        assertThatThrownBy(() -> parse(yaml, List.of(Environment.named("prod"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(path + ":").hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void providerHooksTakeASecretOrTheNetworksTheyMayComeFrom() {
        RegistriesConfig c = parse("""
                hooks:
                  github: {secret_env: HOOK}
                  dockerhub: {allow_from: [203.0.113.0/24, "2001:db8::/32", 198.51.100.7]}
                """, List.of(Environment.named("prod")));
        assertThat(c.providerHooks().keySet()).containsExactlyInAnyOrder("github", "dockerhub");
        assertThat(c.providerHooks().get("github").secret()).get().matches(s -> s.matches("hook-secret-0123456789"));
        assertThat(c.providerHooks().get("github").secret().get()
                .hmacSha256Hex("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .as("HMAC-SHA256(key, body), independently computed with openssl")
                .isEqualTo("eaf20359b380847588c65521ec52f7a8803c0c395d7ff34a83ca33af6fc667f0");
        var from = c.providerHooks().get("dockerhub").allowFrom();
        java.util.function.Predicate<String> allowed = a -> from.stream().anyMatch(n -> {
            try {
                return n.contains(java.net.InetAddress.getByName(a));
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(allowed).accepts("203.0.113.0", "203.0.113.255", "2001:db8:ffff::1", "198.51.100.7", "::ffff:203.0.113.9")
                .rejects("203.0.114.0", "203.0.112.255", "2001:db9::1", "198.51.100.8", "127.0.0.1", "::1");
        assertThat(c.toString()).doesNotContain("hook-secret-0123456789");
    }

    @Test
    void verifyImagesNeedsARegistryForEveryTemplate() {
        Environment prod = new Environment("prod", null, false, true, null, false);
        assertThatThrownBy(() -> parse("registries: {registry.example.com: {}}", List.of(prod)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("environments[0].verify_images").hasMessageContaining("other")
                .hasMessageContaining("ghcr.io/org/other");
        Environment mirrored = new Environment("prod", null, false, false, "prod", false);
        assertThatThrownBy(() -> parse("", List.of(mirrored))).hasMessageContaining("environments[0].mirror_tag");
    }

    private static RegistriesConfig parse(String yaml, List<Environment> envs) {
        try {
            var doc = new ObjectMapper(new YAMLFactory()).readTree(yaml.isBlank() ? "{}" : yaml);
            return RegistriesSection.parse(new ConfigNode(doc, ""), ENV::get, envs, TEMPLATES);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
