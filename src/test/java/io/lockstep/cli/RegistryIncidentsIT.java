package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.oci.RegistryClient;
import io.lockstep.oci.RegistryFixture;
import io.lockstep.oci.TestImages;
import io.lockstep.testing.Http;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 items 6, 7 and 8 replayed the way a pipeline meets them: a real Lockstep server process,
 * the real CNCF registry (deletes enabled) and the packaged jar as CLI.
 */
class RegistryIncidentsIT {
    private static RegistryFixture registry;
    private static RegistryClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        registry = RegistryFixture.startDefault();
        client = new RegistryClient(registry.clientConfig().build());
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    /** A server whose templates live in the test registry, with extra YAML lines for staging and prod. */
    private ServerProcess server(String stagingSettings, String prodSettings, String extraYaml) {
        String yaml = TestConfig.yaml("""
                registries:
                  registry.example.com:
                    url: %s
                    connect_timeout: 1s
                    request_timeout: 5s
                    retry: {max_attempts: 2, initial_backoff: 10ms, max_backoff: 20ms, max_retry_after: 1s}
                    rate_limit: {requests_per_second: 0}
                """.formatted(registry.url()) + (extraYaml == null ? "" : extraYaml))
                .replace("  - name: staging\n", "  - name: staging\n" + indent(stagingSettings))
                .replace("  - name: prod\n", "  - name: prod\n" + indent(prodSettings));
        return ServerProcess.spec(dir).database(TestDatabases.sqlite(dir)).config(yaml).start();
    }

    private static String indent(String lines) {
        StringBuilder out = new StringBuilder();
        if (lines != null) {
            for (String l : lines.split("\n")) {
                out.append("    ").append(l).append('\n');
            }
        }
        return out.toString();
    }

    private static Cli cli() {
        return new Cli().env("PROD_TOKEN", TestConfig.CI).env("STAGING_TOKEN", TestConfig.CI);
    }

    private static String[] prodTarget(ServerProcess s) {
        return new String[]{"--target", "prod=" + s.url(), "--token-env", "prod=PROD_TOKEN"};
    }

    private static String[] args(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(tail, 0, all, 0, tail.length);
        System.arraycopy(head, 0, all, tail.length, head.length);
        return all;
    }

    /** Pushes one image per member of group runtime under {@code tag}; template → digest. */
    private static Map<String, String> pushGroup(String tag) {
        Map<String, String> images = new TreeMap<>();
        for (String t : TestConfig.GROUP) {
            images.put(t, TestImages.pushImage(client, "molecule/" + t, tag, Map.of("build", tag)).digest());
        }
        return images;
    }

    private Path releaseFile(String version, Map<String, String> images) throws IOException {
        StringBuilder b = new StringBuilder("group: runtime\nruntime_version: " + version + "\ngit_sha: 19f3175\nimages:\n");
        images.forEach((t, d) -> b.append("  ").append(t).append(": ").append(d).append('\n'));
        return Files.writeString(dir.resolve("release-" + version + "-" + images.hashCode() + ".yaml"), b.toString());
    }

    private static JsonNode get(ServerProcess s, String path) {
        Http.Response r = s.http().get(path, TestConfig.ADMIN);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode finding(ServerProcess s, String env, String template) {
        for (JsonNode f : get(s, "/api/v1/drift?environment=" + env).path("findings")) {
            if (f.path("template").asText().equals(template)) {
                return f;
            }
        }
        throw new AssertionError("no drift finding for " + env + "/" + template);
    }

    @Test
    void aPublishWithADigestMissingFromTheRegistryIsRefusedBeforeRegistrationAndTheFixedReRunSucceeds() throws Exception {
        Map<String, String> good = pushGroup("v0.3.43");
        Map<String, String> bad = new TreeMap<>(good);
        bad.put("hermes", TestConfig.digest("hermes v0.3.43 was never pushed"));
        try (ServerProcess s = server(null, "verify_images: true", null)) {
            Cli.Run failed = cli().run(args(prodTarget(s), "publish", "--release", releaseFile("v0.3.43", bad).toString()));

            assertThat(failed.exit()).as(failed.all()).isEqualTo(1);
            assertThat(failed.stdout()).containsPattern("(?m)^prod\\s+hermes\\s.*FAILED.*register failed: HTTP 422.*IMAGE_NOT_FOUND");
            assertThat(get(s, "/api/v1/releases").path("releases")).as("nothing registered").isEmpty();
            assertThat(get(s, "/api/v1/environments/prod/pins").path("pins")).isEmpty();

            Cli.Run fixed = cli().run(args(prodTarget(s), "publish", "--release", releaseFile("v0.3.43", good).toString()));

            assertThat(fixed.exit()).as(fixed.all()).isZero();
            assertThat(get(s, "/api/v1/environments/prod/pins/hermes").path("image_digest").asText()).isEqualTo(good.get("hermes"));
            assertThat(get(s, "/api/v1/releases/runtime@v0.3.43").path("images").path("hermes").asText())
                    .isEqualTo(good.get("hermes"));
        }
    }

    @Test
    void aNeverPromotedReleaseIsReplacedOrWithdrawnAndAPromotedOneIsRefused409() throws Exception {
        Map<String, String> first = pushGroup("v1.0.0");
        Map<String, String> second = pushGroup("v1.1.0-rc1");
        Map<String, String> rebuilt = pushGroup("v1.1.0-rc2");
        try (ServerProcess s = server(null, "verify_images: true", null)) {
            assertThat(cli().run(args(prodTarget(s), "publish", "--release", releaseFile("v1.0.0", first).toString())).exit())
                    .isZero();
            // A fence stops the promote after registration: v1.1.0 is registered, promoted nowhere.
            Http.Response fence = s.http().post("/api/v1/environments/prod/fences", TestConfig.ADMIN,
                    "{\"reason\":\"prod freeze\",\"ttl_seconds\":3600}");
            assertThat(fence.status()).as(fence.body()).isEqualTo(201);
            Cli.Run fenced = cli().run(args(prodTarget(s), "publish", "--release", releaseFile("v1.1.0", second).toString(),
                    "--retry-budget", "0s"));
            assertThat(fenced.exit()).as(fenced.all()).isEqualTo(1);
            assertThat(get(s, "/api/v1/releases/runtime@v1.1.0").path("images")).isNotEmpty();
            assertThat(finding(s, "prod", "hermes").path("newest_release_id").asText()).isEqualTo("runtime@v1.1.0");

            // The rebuilt images take the same version: the registration replaces the unpromoted release.
            Cli.Run again = cli().run(args(prodTarget(s), "publish", "--release", releaseFile("v1.1.0", rebuilt).toString(),
                    "--retry-budget", "0s"));
            assertThat(again.stdout()).doesNotContain("RELEASE_CONFLICT").contains("FENCED");
            assertThat(get(s, "/api/v1/releases/runtime@v1.1.0").path("images").path("hermes").asText())
                    .isEqualTo(rebuilt.get("hermes"));

            // Withdrawn: gone from the releases and from drift's advice; recorded with the replacement.
            Cli.Run withdrawn = cli().run(args(prodTarget(s), "withdraw", "runtime@v1.1.0", "--reason", "freeze: not shipping"));
            assertThat(withdrawn.exit()).as(withdrawn.all()).isZero();
            assertThat(withdrawn.stdout()).containsPattern("(?m)^prod\\s+runtime@v1.1.0\\s+withdrawn$");
            assertThat(s.http().get("/api/v1/releases/runtime@v1.1.0", TestConfig.ADMIN).status()).isEqualTo(404);
            assertThat(finding(s, "prod", "hermes").path("newest_release_id").asText()).isEqualTo("runtime@v1.0.0");
            JsonNode events = get(s, "/api/v1/release-events").path("events");
            assertThat(events).hasSize(2);
            assertThat(events.get(0).path("action").asText()).isEqualTo("replaced");
            assertThat(events.get(1).path("action").asText()).isEqualTo("withdrawn");
            assertThat(events.get(1).path("reason").asText()).isEqualTo("freeze: not shipping");

            // A promoted release stays: withdraw exits 1 naming the target and the reason; re-registration is 409.
            Cli.Run refused = cli().run(args(prodTarget(s), "withdraw", "runtime@v1.0.0"));
            assertThat(refused.exit()).as(refused.all()).isEqualTo(1);
            assertThat(refused.stderr()).containsPattern("lockstep: prod: withdraw runtime@v1.0.0 failed: HTTP 409 .*promoted to prod.*RELEASE_CONFLICT");
            assertThat(refused.stderr().lines().filter(l -> l.startsWith("lockstep: "))).hasSize(1);
            Cli.Run conflict = cli().run(args(prodTarget(s), "publish", "--release", releaseFile("v1.0.0", second).toString()));
            assertThat(conflict.exit()).isEqualTo(1);
            assertThat(conflict.stdout()).contains("RELEASE_CONFLICT");
            assertThat(get(s, "/api/v1/releases/runtime@v1.0.0").path("images").path("hermes").asText())
                    .isEqualTo(first.get("hermes"));
        }
    }

    private static void promote(ServerProcess s, String env, String template, String digest) {
        Http.Response r = s.http().post("/api/v1/environments/" + env + "/pins/" + template + "/promote", TestConfig.CI,
                "{\"image_digest\":\"" + digest + "\",\"git_sha\":\"19f3175\"}");
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }

    @Test
    void anImageTheAuditFoundGoneIsRefusedByResolveInARefusingEnvironmentAndWarnedInAWarningOne() {
        String doomed = TestImages.pushImage(client, "molecule/codex", "gone-1", Map.of("build", "gone-1")).digest();
        try (ServerProcess s = server("on_image_gone: refuse", null, "audit: {interval: 1s}\n")) {
            promote(s, "staging", "codex", doomed);
            promote(s, "prod", "codex", doomed);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> "present".equals(
                    s.http().get("/api/v1/resolve?environment=staging&template=codex", TestConfig.READER).json()
                            .path("image_status").asText()));

            client.deleteManifest("molecule/codex", doomed);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                    s.http().get("/api/v1/resolve?environment=staging&template=codex", TestConfig.READER).status() == 409);

            Cli.Run refused = cli().run("resolve", "--template", "codex", "--target", "staging=" + s.url(),
                    "--token-env", "staging=STAGING_TOKEN");
            assertThat(refused.exit()).as(refused.all()).isEqualTo(1);
            assertThat(refused.stdout()).isEmpty();
            assertThat(refused.stderr().lines().toList()).hasSize(1);
            assertThat(refused.stderr()).startsWith("lockstep: staging: HTTP 409 ")
                    .contains("Environment staging refuses to resolve template codex").contains(doomed).contains("IMAGE_GONE");

            Cli.Run warned = cli().run("resolve", "--template", "codex", "--target", "prod=" + s.url(),
                    "--token-env", "prod=PROD_TOKEN");
            assertThat(warned.exit()).as(warned.all()).isZero();
            assertThat(warned.stdout()).contains("codex  registry.example.com/molecule/codex@" + doomed);
            assertThat(warned.stderr()).contains("lockstep: warning: prod: environment prod template codex: the registry no longer has")
                    .contains("on_image_gone: warn");
            Http.Response raw = s.http().get("/api/v1/resolve?environment=prod&template=codex", TestConfig.READER);
            assertThat(raw.raw().headers().firstValue("Lockstep-Image-Status")).contains("gone");
            assertThat(s.http().get("/metrics", null).body()).containsPattern(
                    "lockstep_resolve_image_gone_total\\{[^}]*environment=\"prod\",template=\"codex\"\\} [1-9]");
            assertThat(finding(s, "staging", "codex").path("status").asText()).isEqualTo("image_gone");
        }
    }

    private static String tagDigest(String repository, String tag) {
        return client.headManifest(repository, tag).map(m -> m.digest()).orElse(null);
    }

    private static void moveTagByHand(String repository, String tag, String digest) {
        io.lockstep.oci.Manifest m = client.getManifest(repository, digest);
        client.putManifest(repository, tag, m.body(), m.ref().mediaType());
        assertThat(tagDigest(repository, tag)).isEqualTo(digest);
    }

    @Test
    void aMirrorTagMovedByHandIsRepairedByTheNextAuditWithoutARestart() {
        String pinned = TestImages.pushImage(client, "molecule/hermes", "mirror-a", Map.of("build", "mirror-a")).digest();
        String other = TestImages.pushImage(client, "molecule/hermes", "mirror-b", Map.of("build", "mirror-b")).digest();
        try (ServerProcess s = server(null, "mirror_tag: prod-repair", "audit: {interval: 1s}\n")) {
            promote(s, "prod", "hermes", pinned);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> pinned.equals(tagDigest("molecule/hermes", "prod-repair")));
            moveTagByHand("molecule/hermes", "prod-repair", other);

            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> pinned.equals(tagDigest("molecule/hermes", "prod-repair")));
            assertThat(s.stderrText()).contains("mirror audit: ").contains("re-pointing the tag");
            assertThat(s.http().get("/metrics", null).body()).containsPattern(
                    "lockstep_mirror_tag_moved_total\\{action=\"repaired\",environment=\"prod\",template=\"hermes\"\\} [1-9]");
        }
    }

    @Test
    void inFlagModeAMirrorTagMovedByHandShowsAsMirrorStaleInDriftAndFailsTheDriftGate() {
        String pinned = TestImages.pushImage(client, "molecule/platform-agent", "mirror-c", Map.of("build", "mirror-c")).digest();
        String other = TestImages.pushImage(client, "molecule/platform-agent", "mirror-d", Map.of("build", "mirror-d")).digest();
        try (ServerProcess s = server(null, "mirror_tag: prod-flag", "audit: {interval: 1s, mirror_tags: flag}\n")) {
            promote(s, "prod", "platform-agent", pinned);
            // Past the start-up reconcile (1 s after start), which re-points every tag in either mode.
            org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofSeconds(2)).atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> pinned.equals(tagDigest("molecule/platform-agent", "prod-flag")));
            moveTagByHand("molecule/platform-agent", "prod-flag", other);

            try {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                    JsonNode f = finding(s, "prod", "platform-agent");
                    return (f.path("status").asText() + f.path("flags")).contains("mirror_stale");
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(finding(s, "prod", "platform-agent") + "\n" + s.stderrText(), e);
            }
            assertThat(tagDigest("molecule/platform-agent", "prod-flag")).as("flag mode leaves the tag").isEqualTo(other);
            Cli.Run drift = cli().run("drift", "--target", "prod=" + s.url(), "--token-env", "prod=PROD_TOKEN",
                    "--fail-on", "mirror_stale");
            assertThat(drift.exit()).as(drift.all()).isEqualTo(3);
            assertThat(drift.all()).contains("platform-agent").containsIgnoringCase("mirror_stale");
        }
    }
}
