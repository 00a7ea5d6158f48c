package io.lockstep.config;

import io.lockstep.auth.Scope;
import io.lockstep.auth.TokenRegistry;
import io.lockstep.domain.FleetSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invalid configs stop start-up with one line naming the wrong key; environment variables override the file. */
class ConfigLoaderTest {
    private static final String SECRET = "cfg-test-secret-0b7e";
    private static final String VALID = """
            server: {port: 8181, default_environment: prod}
            environments:
              - name: staging
              - name: prod
                upstream: staging
            templates:
              - {name: claude-code, repository: registry.example.com/molecule/claude-code, kinds: [workspace], group: runtime}
              - {name: platform-agent, repository: registry.example.com/molecule/platform-agent, kinds: [platform], group: runtime}
            tokens:
              - {name: ci, scopes: [promote], secret_env: T_CI}
              - {name: reader, scopes: [read], secret_sha256: %s}
            drift: {grace_period: 30m}
            """.formatted(io.lockstep.domain.HistoryChain.sha256("reader-secret"));

    @TempDir
    Path dir;

    private LockstepConfig load(String yaml, Map<String, String> extraEnv) throws IOException {
        Path file = dir.resolve("lockstep.yaml");
        Files.writeString(file, yaml);
        Map<String, String> env = new HashMap<>(Map.of("T_CI", SECRET, "LOCKSTEP_DATA_DIR", dir.toString()));
        env.putAll(extraEnv);
        return ConfigLoader.load(file, env);
    }

    @Test
    void theValidConfigLoads() throws IOException {
        LockstepConfig c = load(VALID, Map.of());
        assertThat(c.port()).isEqualTo(8181);
        assertThat(c.defaultEnvironment()).isEqualTo("prod");
        assertThat(c.environments()).extracting(e -> e.name()).containsExactly("staging", "prod");
        assertThat(c.templates()).hasSize(2);
        assertThat(c.tokens()).extracting(t -> t.name()).containsExactly("ci", "reader");
        assertThat(c.database().url()).startsWith("jdbc:sqlite:").endsWith("lockstep.db");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown top-level key        | 'server: {port: 8181, default_environment: prod}' | 'servre: {port: 1}\nserver: {port: 8181, default_environment: prod}' | servre
            unknown nested key           | 'server: {port: 8181, default_environment: prod}' | 'server: {port: 8181, prot: 1, default_environment: prod}'          | server.prot
            bad duration                 | 'drift: {grace_period: 30m}'                      | 'drift: {grace_period: 30 minutes}'                                 | drift.grace_period
            token with both secrets      | '{name: ci, scopes: [promote], secret_env: T_CI}' | '{name: ci, scopes: [promote], secret_env: T_CI, secret_sha256: abc}' | tokens[0]
            token with neither secret    | '{name: ci, scopes: [promote], secret_env: T_CI}' | '{name: ci, scopes: [promote]}'                                     | tokens[0]
            secret_env unset             | '{name: ci, scopes: [promote], secret_env: T_CI}' | '{name: ci, scopes: [promote], secret_env: T_NOT_SET}'              | tokens[0].secret_env
            secret_sha256 not hex        | 'secret_sha256: '                                 | 'secret_sha256: NOTHEX'                                             | tokens[1].secret_sha256
            unknown scope                | 'scopes: [read]'                                  | 'scopes: [root]'                                                    | tokens[1].scopes
            plain secret in the file     | 'secret_env: T_CI}'                               | 'secret: hunter2}'                                                  | tokens[0].secret
            upstream names a later env   | '  - name: staging\n  - name: prod\n    upstream: staging' | '  - name: staging\n    upstream: prod\n  - name: prod' | environments[0].upstream
            duplicate template           | 'platform-agent, repository'                      | 'claude-code, repository'                                           | templates[1].name
            kind resolving twice         | 'kinds: [platform]'                               | 'kinds: [workspace]'                                                | templates[1].kinds
            bad repository               | 'registry.example.com/molecule/platform-agent'    | 'Registry.Example.com/x:latest'                                     | templates[1]
            default env not configured   | 'default_environment: prod'                       | 'default_environment: qa'                                           | server.default_environment
            port out of range            | 'port: 8181'                                      | 'port: 70000'                                                       | server.port
            environment name invalid     | '  - name: staging\n'                             | '  - name: Staging!\n'                                              | environments[0].name
            fleet retention below ttl    | 'drift: {grace_period: 30m}'                      | 'drift: {grace_period: 30m}\nfleet: {instance_ttl: 1h, retention: 30m}' | fleet.retention
            fleet instance ttl zero      | 'drift: {grace_period: 30m}'                      | 'drift: {grace_period: 30m}\nfleet: {instance_ttl: 0s}'           | fleet.instance_ttl
            fleet batch size zero        | 'drift: {grace_period: 30m}'                      | 'drift: {grace_period: 30m}\nfleet: {max_batch_size: 0}'          | fleet.max_batch_size
            expected in unknown env      | 'drift: {grace_period: 30m}'                      | 'drift: {grace_period: 30m}\nfleet: {expected_instances: [{environment: qa, template: t, instances: 1}]}' | fleet.expected_instances[0].environment
            expected count negative      | 'drift: {grace_period: 30m}'                      | 'drift: {grace_period: 30m}\nfleet: {expected_instances: [{environment: prod, template: t, instances: -1}]}' | fleet.expected_instances[0].instances
            expected count missing       | 'drift: {grace_period: 30m}'                      | 'drift: {grace_period: 30m}\nfleet: {expected_instances: [{environment: prod, template: t}]}' | fleet.expected_instances[0].instances
            expected entry twice         | 'drift: {grace_period: 30m}'                      | 'drift: {grace_period: 30m}\nfleet: {expected_instances: [{environment: prod, template: t, instances: 1}, {environment: prod, template: t, region: global, instances: 2}]}' | fleet.expected_instances[1]
            instance memory negative     | 'drift: {grace_period: 30m}'                      | 'drift: {grace_period: 30m}\nfleet: {instance_memory: -1s}'     | fleet.instance_memory
            """)
    void anInvalidConfigIsOneLineNamingTheKey(String what, String from, String to, String key) {
        String yaml = VALID.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
        assertThat(yaml).as("the case must change the config").isNotEqualTo(VALID);
        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).as(what).doesNotContain("\n").contains(key + ":");
                    assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("hunter2");
                });
    }

    @Test
    void theFleetSectionIsReadIntoFleetSettingsAtLoad() throws IOException {
        assertThat(load(VALID, Map.of()).fleet()).isEqualTo(FleetSettings.defaults());
        LockstepConfig c = load(VALID.replace("drift: {grace_period: 30m}", "drift: {grace_period: 30m}\n"
                + "fleet: {instance_ttl: 5m, max_clock_skew: 30s, max_batch_size: 100, retention: 2h}"), Map.of());
        assertThat(c.fleet()).isEqualTo(new FleetSettings(Duration.ofMinutes(5), Duration.ofSeconds(30), 100,
                Duration.ofHours(2)));
        LockstepConfig expected = load(VALID.replace("drift: {grace_period: 30m}", "drift: {grace_period: 30m}\n"
                + "fleet: {instance_memory: 2h, expected_instances: [{environment: prod, template: platform-agent, instances: 3},"
                + " {environment: staging, template: platform-agent, region: eu-west, instances: 0}]}"), Map.of());
        assertThat(expected.fleet().instanceMemory()).isEqualTo(Duration.ofHours(2));
        assertThat(expected.fleet().configuredExpected("prod", "platform-agent", "global")).isEqualTo(3L);
        assertThat(expected.fleet().configuredExpected("staging", "platform-agent", "eu-west")).isZero();
        assertThat(expected.fleet().configuredExpected("staging", "platform-agent", "global")).isNull();
    }

    @Test
    void requiresReadsUpstreamSoakAndMinConvergedAndRefusesWhatItCannotEnforce() throws IOException {
        assertThat(load(VALID, Map.of()).environments()).extracting(io.lockstep.domain.Environment::requires).containsOnlyNulls();
        LockstepConfig c = load(VALID.replace("    upstream: staging\n", "    upstream: staging\n    requires: {upstream: staging, soak: 2h}\n"), Map.of());
        assertThat(c.environments().get(1).requires())
                .isEqualTo(new io.lockstep.domain.StageRequirement("staging", java.time.Duration.ofHours(2)));
        assertThat(load(VALID.replace("    upstream: staging\n", "    upstream: staging\n    requires: {soak: 10m}\n"), Map.of())
                .environments().get(1).requires().upstream()).as("defaults to the environment's upstream").isEqualTo("staging");
        assertThat(load(VALID.replace("    upstream: staging\n",
                "    upstream: staging\n    requires: {upstream: staging, soak: 2h, min_converged: 0.95}\n"), Map.of())
                .environments().get(1).requires().minConverged()).isEqualTo(0.95);
        for (String bad : List.of("0", "1.5", "'most'")) {
            assertThatThrownBy(() -> load(VALID.replace("    upstream: staging\n",
                    "    upstream: staging\n    requires: {min_converged: " + bad + "}\n"), Map.of()))
                    .isInstanceOf(ConfigException.class).as(bad).hasMessageContaining("environments[1].requires.min_converged");
        }
        assertThatThrownBy(() -> load(VALID.replace("    upstream: staging\n", "    upstream: staging\n    requires: {upstream: qa}\n"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("environments[1].requires.upstream")
                .hasMessageContaining("local environment listed before");
        assertThatThrownBy(() -> load(VALID.replace("    upstream: staging\n", "    upstream: staging\n    requires: {soak: soon}\n"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("environments[1].requires.soak");
        assertThatThrownBy(() -> load(VALID.replace("  - name: staging\n", "  - name: staging\n    requires: {soak: 1h}\n"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("environments[0].requires.upstream");
    }

    @Test
    void onImageGoneIsWarnByDefaultRefuseWhenSetAndAnythingElseStopsStartupNamingTheKey() throws IOException {
        LockstepConfig defaults = load(VALID, Map.of());
        assertThat(defaults.environments()).extracting(io.lockstep.domain.Environment::onImageGone)
                .containsOnly(io.lockstep.domain.OnImageGone.WARN);
        LockstepConfig refusing = load(VALID.replace("    upstream: staging\n", "    upstream: staging\n    on_image_gone: refuse\n"), Map.of());
        assertThat(refusing.environments().get(1).onImageGone()).isEqualTo(io.lockstep.domain.OnImageGone.REFUSE);
        assertThat(refusing.environments().get(0).onImageGone()).isEqualTo(io.lockstep.domain.OnImageGone.WARN);
        assertThatThrownBy(() -> load(VALID.replace("    upstream: staging\n", "    upstream: staging\n    on_image_gone: block\n"),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("environments[1].on_image_gone")
                .hasMessageContaining("refuse or warn");
    }

    @Test
    void duplicateYamlKeysAreRejected() {
        String yaml = VALID.replace("drift: {grace_period: 30m}", "drift: {grace_period: 30m}\ndrift: {grace_period: 1h}");
        assertThatThrownBy(() -> load(yaml, Map.of())).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("drift"));
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nope.yaml");
    }

    @Test
    void lockstepAdminTokenAddsBootstrapAdmin() throws IOException {
        LockstepConfig c = load(VALID, Map.of("LOCKSTEP_ADMIN_TOKEN", "bootstrap-secret-99"));
        var registry = new TokenRegistry(c.tokens());
        var token = registry.authenticate("bootstrap-secret-99").orElseThrow();
        assertThat(token.name()).isEqualTo(ConfigLoader.BOOTSTRAP_ADMIN).isEqualTo("bootstrap-admin");
        assertThat(token.allows(Scope.ADMIN)).isTrue();
        assertThat(token.allowsEnvironment("prod")).isTrue();
        assertThat(load(VALID, Map.of()).tokens()).extracting(t -> t.name()).doesNotContain("bootstrap-admin");
    }

    @Test
    void environmentVariablesOverrideTheFile() throws IOException {
        LockstepConfig c = load(VALID, Map.of("LOCKSTEP_PORT", "9393", "LOCKSTEP_DATABASE_URL", "jdbc:sqlite:/tmp/other.db",
                "LOCKSTEP_DEFAULT_ENVIRONMENT", "staging"));
        assertThat(c.port()).isEqualTo(9393);
        assertThat(c.database().url()).isEqualTo("jdbc:sqlite:/tmp/other.db");
        assertThat(c.defaultEnvironment()).isEqualTo("staging");

        assertThatThrownBy(() -> load(VALID, Map.of("LOCKSTEP_PORT", "eighty"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("LOCKSTEP_PORT:");
        assertThatThrownBy(() -> load(VALID, Map.of("LOCKSTEP_DATABASE_URL", "mysql://x"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("LOCKSTEP_DATABASE_URL:");
    }
}
