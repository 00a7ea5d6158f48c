package io.lockstep.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An environment's upstream on another server (issue 11 item 3): the map form, its checks, its token. */
class ConfigRemoteUpstreamTest {
    private static final String TOKEN = "upstream-read-token-5f1c9";

    @TempDir
    Path dir;

    private LockstepConfig load(String upstream, Map<String, String> extraEnv) throws IOException {
        Path file = dir.resolve("lockstep.yaml");
        Files.writeString(file, """
                environments:
                  - name: prod
                    upstream: %s
                """.formatted(upstream));
        Map<String, String> env = new HashMap<>(Map.of("LOCKSTEP_DATA_DIR", dir.toString()));
        env.putAll(extraEnv);
        return ConfigLoader.load(file, env);
    }

    @Test
    void aProdOnlyServerNamesItsUpstreamOnAnotherServer() throws IOException {
        LockstepConfig c = load("{url: 'https://staging.example/lockstep', environment: staging, token_env: UP_TOKEN,"
                + " cache_ttl: 2s, timeout: 3s}", Map.of("UP_TOKEN", TOKEN));

        assertThat(c.environments()).extracting(e -> e.name()).containsExactly("prod");
        assertThat(c.environments().get(0).upstream()).isEqualTo("staging");
        var remote = c.remoteUpstreams().get("prod");
        assertThat(remote.url()).isEqualTo(URI.create("https://staging.example/lockstep"));
        assertThat(remote.environment()).isEqualTo("staging");
        assertThat(remote.tokenEnv()).isEqualTo("UP_TOKEN");
        assertThat(remote.cacheTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(remote.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.upstreamTokens().get("UP_TOKEN")).isEqualTo(TOKEN);
        assertThat(c.toString()).doesNotContain(TOKEN);
        assertThat(c.upstreamTokens().toString()).doesNotContain(TOKEN).contains("UP_TOKEN");
    }

    @Test
    void defaultsForCacheAndTimeout() throws IOException {
        var remote = load("{url: 'http://127.0.0.1:9/', environment: staging, token_env: UP_TOKEN}",
                Map.of("UP_TOKEN", TOKEN)).remoteUpstreams().get("prod");
        assertThat(remote.cacheTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(remote.timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void thePlainFormStillMustNameAnEarlierEnvironment() {
        assertThatThrownBy(() -> load("staging", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("environments[0].upstream")
                .hasMessageContaining("must name an environment listed before this one");
    }

    @Test
    void aMissingTokenVariableNamesTheVariable() {
        assertThatThrownBy(() -> load("{url: 'https://staging.example', environment: staging, token_env: UP_TOKEN}",
                Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("environments[0].upstream.token_env")
                .hasMessageContaining("environment variable UP_TOKEN is not set");
        assertThatThrownBy(() -> load("{url: 'https://staging.example', environment: staging, token_env: UP_TOKEN}",
                Map.of("UP_TOKEN", "  ")))
                .hasMessageContaining("environment variable UP_TOKEN is not set");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ftp scheme        | {url: 'ftp://staging.example', environment: staging, token_env: UP_TOKEN}          | .url | must be an http:// or https:// URL",
            "no scheme         | {url: 'staging.example', environment: staging, token_env: UP_TOKEN}                | .url | must be an http:// or https:// URL",
            "query             | {url: 'https://staging.example/?token=abc', environment: staging, token_env: UP_TOKEN} | .url | must not have a query",
            "fragment          | {url: 'https://staging.example/#x', environment: staging, token_env: UP_TOKEN}     | .url | must not have a query or fragment",
            "no environment    | {url: 'https://staging.example', token_env: UP_TOKEN}                              | .environment | is required",
            "bad environment   | {url: 'https://staging.example', environment: 'Sta ging', token_env: UP_TOKEN}     | .environment | must be 1-63 characters",
            "no token_env      | {url: 'https://staging.example', environment: staging}                             | .token_env | is required",
            "token in file     | {url: 'https://staging.example', environment: staging, token: abc}                 | .token | unknown key",
            "bad token_env     | {url: 'https://staging.example', environment: staging, token_env: 'UP-TOKEN'}      | .token_env | must be the name of an environment variable",
            "zero timeout      | {url: 'https://staging.example', environment: staging, token_env: UP_TOKEN, timeout: 0s} | .timeout | must be longer than zero",
    })
    void badRemoteForms(String name, String upstream, String key, String message) {
        assertThatThrownBy(() -> load(upstream, Map.of("UP_TOKEN", TOKEN)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("environments[0].upstream" + key)
                .hasMessageContaining(message);
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> load("{url: 'https://ci:hunter2secret@staging.example', environment: staging,"
                + " token_env: UP_TOKEN}", Map.of("UP_TOKEN", TOKEN)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("environments[0].upstream.url")
                .hasMessageContaining("must not hold user:password@")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2secret"));
    }
}
