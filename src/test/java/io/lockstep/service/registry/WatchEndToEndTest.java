package io.lockstep.service.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Watch;
import io.lockstep.http.RegistryHookRoutes;
import io.lockstep.oci.ImageLabels;
import io.lockstep.oci.RegistryClient;
import io.lockstep.oci.RegistryFixture;
import io.lockstep.oci.TestImages;
import io.lockstep.testing.Http;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole loop on the real registry: images pushed for real, the registry's own notifications
 * delivered to {@code POST /api/v1/hooks/registry}, discovery, release registration and auto-promote
 * to staging only; plus holds after a hand rollback.
 */
class WatchEndToEndTest {
    private static final String WATCHES = """
            watches:
              - group: runtime
                interval: 1h
                policy: semver
                constraint: ">=0.3.0 <0.4.0"
                allow_tags: '^v\\d+\\.\\d+\\.\\d+$'
                extract: '^v(.+)$'
            hooks:
              registry: {secret_env: HOOK_SECRET}
            audit: {interval: 1h}
            """;

    @TempDir
    Path dir;
    private RegistryFixture registry;
    private RegistryClient client;
    private RegistryServer s;

    @BeforeEach
    void start() {
        registry = RegistryFixture.startDefault();
        client = new RegistryClient(registry.clientConfig().build());
        s = new RegistryServer(TestDatabases.sqlite(dir), registry, "auto_promote: true", null, WATCHES);
        // The registry learns Lockstep's address only now: restart it with its notifications pointed there.
        registry.notifyTo(URI.create(s.server.baseUrl() + RegistryHookRoutes.PATH),
                Map.of("Authorization", "Bearer " + RegistryServer.HOOK_SECRET));
    }

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private Map<String, String> pushRelease(String tag, List<String> templates) {
        Map<String, String> digests = new LinkedHashMap<>();
        for (String t : templates) {
            digests.put(t, TestImages.pushImage(client, "molecule/" + t, tag,
                    Map.of(ImageLabels.REVISION, "19f3175a0c", ImageLabels.VERSION, tag)).digest());
        }
        return digests;
    }

    /** Waits until the registry delivered {@code tagPushes} tag pushes and the discoveries they queued finished. */
    private void awaitDelivered(long tagPushes) {
        await().atMost(Duration.ofSeconds(30)).until(() -> s.hooks().tagPushes() >= tagPushes
                && s.registry().watcher().idle());
    }

    private JsonNode releases() {
        return s.get("/api/v1/releases").path("releases");
    }

    @Test
    void fiveImagesPushedWithOneTagBecomeOneReleaseAutoPromotedToStagingOnly() {
        // Both environments run 0.3.43 (registered and promoted by CI before the watch existed).
        Map<String, String> old = new java.util.TreeMap<>();
        for (String t : TestConfig.GROUP) {
            old.put(t, TestConfig.digest(t + "@0.3.43"));
        }
        assertThat(s.http.post("/api/v1/releases", TestConfig.CI, VerifyAuditMirrorTest.releaseBody("0.3.43", old)).status()).isEqualTo(201);
        for (String env : List.of("staging", "prod")) {
            Http.Response r = s.http.post("/api/v1/environments/" + env + "/releases/runtime@0.3.43/promote", TestConfig.CI, "{}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        s.clock.advance(Duration.ofMinutes(1));

        List<String> firstFour = List.of(TestConfig.GROUP).subList(0, 4);
        pushRelease("v0.4.0", List.of(TestConfig.GROUP)); // outside the constraint: never a release
        Map<String, String> pushed = pushRelease("v0.3.44", firstFour);
        awaitDelivered(5 + 4);
        assertThat(releases()).as("four of five members pushed: no release").hasSize(1);
        assertThat(s.pin("staging", "claude-code").path("image_digest").asText()).isEqualTo(old.get("claude-code"));
        Discovery afterFour = s.registry().watcher().last("runtime").orElseThrow();
        assertThat(afterFour.tag()).isNull();
        assertThat(afterFour.skipped().get("tag")).contains("every member");

        pushed.putAll(pushRelease("v0.3.44", List.of("openclaw")));
        awaitDelivered(5 + 5);

        JsonNode all = releases();
        assertThat(all).hasSize(2);
        JsonNode created = s.get("/api/v1/releases/runtime@0.3.44");
        assertThat(created.path("git_sha").asText()).isEqualTo("19f3175a0c");
        for (String t : TestConfig.GROUP) {
            assertThat(created.path("images").path(t).asText()).isEqualTo(pushed.get(t));
            JsonNode staging = s.pin("staging", t);
            assertThat(staging.path("image_digest").asText()).isEqualTo(pushed.get(t));
            assertThat(staging.path("promoted_by").asText()).isEqualTo("watch:runtime");
            assertThat(staging.path("runtime_version").asText()).isEqualTo("0.3.44");
            assertThat(s.pin("prod", t).path("image_digest").asText()).as("prod is manual").isEqualTo(old.get(t));
            assertThat(s.drift("prod", t).path("status").asText()).isEqualTo("in_flight");
            assertThat(s.drift("staging", t).path("status").asText()).isEqualTo("current");
        }
        // Pushing the same tag again (the registry re-sends, or CI re-runs) changes nothing.
        long before = s.hooks().tagPushes();
        pushRelease("v0.3.44", List.of("codex"));
        awaitDelivered(before + 1);
        assertThat(releases()).hasSize(2);
    }

    @Test
    void aHandRollbackIsHeldNotOverwrittenUntilTheNextHandPromote() {
        // Notifications trigger discovery in the background; each step waits for them and then also
        // runs discovery directly, so the assertions hold whichever run did the work.
        Watch watch = s.registry().watcher().watches().get(0);
        Map<String, String> v44 = pushRelease("v0.3.44", List.of(TestConfig.GROUP));
        awaitDelivered(5);
        s.registry().watcher().discover(watch);
        assertThat(s.pin("staging", "hermes").path("image_digest").asText()).isEqualTo(v44.get("hermes"));
        s.clock.advance(Duration.ofMinutes(1));

        Map<String, String> v45 = pushRelease("v0.3.45", List.of(TestConfig.GROUP));
        awaitDelivered(10);
        s.registry().watcher().discover(watch);
        assertThat(s.pin("staging", "hermes").path("image_digest").asText()).isEqualTo(v45.get("hermes"));
        s.clock.advance(Duration.ofMinutes(1));

        // 0.3.45 is bad: a person rolls staging back to 0.3.44 by hand.
        Http.Response back = s.http.post("/api/v1/environments/staging/releases/runtime@0.3.44/promote", TestConfig.CI, "{}");
        assertThat(back.status()).as(back.body()).isEqualTo(200);
        s.clock.advance(Duration.ofMinutes(1));

        Map<String, String> v46 = pushRelease("v0.3.46", List.of(TestConfig.GROUP));
        awaitDelivered(15);
        Discovery held = s.registry().watcher().discover(watch);
        assertThat(held.releaseId()).isEqualTo("runtime@0.3.46");
        assertThat(held.promoted()).isEmpty();
        assertThat(held.skipped().get("staging")).contains("held");
        for (String t : TestConfig.GROUP) {
            assertThat(s.pin("staging", t).path("image_digest").asText()).isEqualTo(v44.get(t));
            assertThat(s.drift("staging", t).path("status").asText()).isEqualTo("held");
        }
        JsonNode holds = s.get("/api/v1/drift/input").path("signals").path("holds");
        assertThat(holds).hasSize(5);
        assertThat(holds.get(0).path("reason").asText()).contains("ci").contains("by hand");

        // A discovery run again does not change its mind.
        assertThat(s.registry().watcher().discover(watch).promoted()).isEmpty();

        // The next hand promote (to the newest release) releases the hold; discovery then moves staging again.
        Http.Response forward = s.http.post("/api/v1/environments/staging/releases/runtime@0.3.46/promote", TestConfig.CI, "{}");
        assertThat(forward.status()).isEqualTo(200);
        assertThat(s.get("/api/v1/drift/input").path("signals").path("holds")).isEmpty();
        assertThat(s.drift("staging", "hermes").path("status").asText()).isEqualTo("current");
        s.clock.advance(Duration.ofMinutes(1));
        Map<String, String> v47 = pushRelease("v0.3.47", List.of(TestConfig.GROUP));
        awaitDelivered(20);
        s.registry().watcher().discover(watch);
        assertThat(s.pin("staging", "hermes").path("image_digest").asText()).isEqualTo(v47.get("hermes"));
        assertThat(s.pin("staging", "hermes").path("promoted_by").asText()).isEqualTo("watch:runtime");
        assertThat(s.pin("prod", "hermes")).as("prod is never auto-promoted").isNull();
    }

    @Test
    void hookRefusesAWrongSecretAndMalformedBodies() {
        Http.Response none = s.http.post(RegistryHookRoutes.PATH, null, "{\"events\":[]}");
        assertThat(none.status()).isEqualTo(401);
        Http.Response wrong = s.http.post(RegistryHookRoutes.PATH, "hook-secret-3f9d2c71a0b9", "{\"events\":[]}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(RegistryServer.HOOK_SECRET);
        Http.Response bad = s.http.post(RegistryHookRoutes.PATH, RegistryServer.HOOK_SECRET, "{\"events\":");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("INVALID_NOTIFICATION");
        Http.Response notEnvelope = s.http.post(RegistryHookRoutes.PATH, RegistryServer.HOOK_SECRET, "[1,2]");
        assertThat(notEnvelope.status()).isEqualTo(400);
        Http.Response ok = s.http.post(RegistryHookRoutes.PATH, RegistryServer.HOOK_SECRET, """
                {"events":[{"action":"pull","target":{"repository":"molecule/hermes","tag":"v0.3.50"}},
                           {"action":"push","target":{"repository":"molecule/hermes","tag":"v0.3.50","digest":"sha256:00"}},
                           {"action":"push","target":{"repository":"elsewhere/thing","tag":"v0.3.50"}}]}""");
        assertThat(ok.status()).isEqualTo(202);
        assertThat(ok.json().path("push_events").asInt()).isEqualTo(2);
        assertThat(ok.json().path("triggered").toString()).isEqualTo("[\"runtime\"]");
    }
}
