package io.lockstep.config;

import io.lockstep.auth.OidcIssuer;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code oidc:} section: presets, defaults, and the configurations that would open a hole. */
class OidcConfigTest {
    @TempDir
    Path dir;

    private LockstepConfig load(String issuerYaml) {
        return TestConfig.config(TestDatabases.sqlite(dir), "oidc:\n  issuers:\n" + issuerYaml);
    }

    @Test
    void aGithubPresetFillsIssuerAlgorithmsAndDefaults() {
        OidcIssuer i = load("""
                    - name: github
                      preset: github_actions
                      audience: https://lockstep.example.com
                      rules: [{name: main, match: {repository: acme/runtime, ref: refs/heads/main}, scopes: [promote], environments: [staging]}]
                """).oidcIssuers().get(0);
        assertThat(i.issuer()).isEqualTo("https://token.actions.githubusercontent.com");
        assertThat(i.algorithms()).containsExactly("RS256");
        assertThat(i.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(i.jwksRefetchInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(i.recordedClaims()).contains("repository", "ref", "workflow_ref", "environment");
        assertThat(i.rules().get(0).environments()).containsExactly("staging");
    }

    @Test
    void holesAreRefusedAtLoad() {
        assertThatThrownBy(() -> load("""
                    - {name: github, preset: github_actions, audience: x,
                       rules: [{name: any-main, match: {ref: refs/heads/main}, scopes: [promote]}]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("must pin one of");
        assertThatThrownBy(() -> load("""
                    - {name: github, preset: github_actions, audience: x,
                       rules: [{name: any-acme, match: {repository: "acme/*"}, scopes: [promote]}]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("exactly");
        assertThatThrownBy(() -> load("""
                    - {name: ci, issuer: https://ci.example.com, audience: x, algorithms: [HS256],
                       rules: [{name: r, match: {sub: a}, scopes: [read]}]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("asymmetric");
        assertThatThrownBy(() -> load("""
                    - {name: ci, issuer: http://ci.example.com, audience: x,
                       rules: [{name: r, match: {sub: a}, scopes: [read]}]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> load("""
                    - {name: ci, issuer: https://ci.example.com, rules: [{name: r, match: {sub: a}, scopes: [read]}]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("audience");
        assertThatThrownBy(() -> load("""
                    - {name: ci, issuer: https://ci.example.com, audience: x, rules: []}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("at least one rule");
        assertThatThrownBy(() -> load("""
                    - {name: ci, issuer: https://ci.example.com, audience: x,
                       rules: [{name: r, match: {sub: a}, scopes: [read], environments: [qa]}]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("qa");
    }
}
