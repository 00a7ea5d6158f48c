package io.lockstep.service.fleet;

import io.lockstep.testing.Http;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed incident, driven through the real HTTP API of a {@link TestServer} with a frozen clock:
 * runtime v0.3.40 promoted everywhere, v0.3.43 registered an hour later, and only claude-code
 * promoted to it. Every step asserts its own 2xx so a failing setup never looks like drift.
 */
public final class SeedIncident {
    public static final String OLD = "v0.3.40";
    public static final String FIX = "v0.3.43";
    public static final Instant T0 = Instant.parse("2026-06-13T08:00:00Z");
    public static final List<String> ENVIRONMENTS = List.of("staging", "prod");

    private final TestServer server;

    public SeedIncident(TestServer server) {
        this.server = server;
    }

    public static String digest(String template, String version) {
        return TestConfig.digest(template + "@" + version);
    }

    public static String gitSha(String version) {
        return TestConfig.digest("commit " + version).substring(7, 47);
    }

    /** Both releases registered; v0.3.40 everywhere; claude-code alone on v0.3.43. Clock ends at T43 + 5m. */
    public SeedIncident replay() {
        server.clock.freezeAt(T0);
        register(OLD);
        for (String env : ENVIRONMENTS) {
            promoteRelease(env, OLD);
        }
        server.clock.advance(Duration.ofHours(1));
        register(FIX);
        for (String env : ENVIRONMENTS) {
            Http.Response r = server.http.post("/cp/admin/runtime-image/promote", TestConfig.CI,
                    "{\"environment\":\"" + env + "\",\"template_name\":\"claude-code\",\"image_digest\":\""
                            + digest("claude-code", FIX) + "\",\"git_sha\":\"" + gitSha(FIX)
                            + "\",\"runtime_version\":\"" + FIX + "\",\"notes\":\"auto-promote from publish-image.yml\"}");
            assertThat(r.status()).as(r.body()).isBetween(200, 201);
        }
        server.clock.advance(Duration.ofMinutes(5));
        return this;
    }

    public static Instant fixRegisteredAt() {
        return T0.plus(Duration.ofHours(1));
    }

    public void register(String version) {
        String images = java.util.Arrays.stream(TestConfig.GROUP)
                .map(t -> "\"" + t + "\":\"" + digest(t, version) + "\"").collect(Collectors.joining(","));
        Http.Response r = server.http.post("/api/v1/releases", TestConfig.CI, "{\"group\":\"runtime\",\"runtime_version\":\""
                + version + "\",\"git_sha\":\"" + gitSha(version) + "\",\"images\":{" + images + "}}");
        assertThat(r.status()).as(r.body()).isBetween(200, 201);
    }

    public void promoteRelease(String env, String version) {
        Http.Response r = server.http.post("/api/v1/environments/" + env + "/releases/runtime@" + version + "/promote",
                TestConfig.CI, "{\"notes\":\"promote the whole group\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    /** {@code count} instances named {@code prefix-N} reporting {@code digest} now, as one batch body. */
    public String reports(String env, String kind, String prefix, int count, String digest) {
        return reportsAt(env, kind, prefix, count, digest, server.clock.instant());
    }

    public static String reportsAt(String env, String kind, String prefix, int count, String digest, Instant at) {
        List<String> items = new ArrayList<>();
        IntStream.range(0, count).forEach(i -> items.add(report(prefix + "-" + i, env, kind, digest, at)));
        return "{\"reports\":[" + String.join(",", items) + "]}";
    }

    public static String report(String id, String env, String kind, String digest, Instant at) {
        return "{\"instance_id\":\"" + id + "\",\"environment\":\"" + env + "\",\"kind\":\"" + kind
                + "\",\"region\":\"global\",\"digest\":\"" + digest + "\",\"observed_at\":\"" + at + "\"}";
    }

    public void send(String body) {
        Http.Response r = server.http.post("/api/v1/fleet/reports", TestConfig.REPORTER, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
}
