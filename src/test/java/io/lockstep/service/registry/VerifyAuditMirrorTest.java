package io.lockstep.service.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.PinKey;
import io.lockstep.oci.SharedRegistry;
import io.lockstep.oci.TestImages;
import io.lockstep.testing.Http;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Verify before promote, the pinned-image audit and the tag mirror, on a real Lockstep server and
 * the real CNCF registry with images pushed for real.
 */
class VerifyAuditMirrorTest {
    @RegisterExtension
    static final SharedRegistry shared = new SharedRegistry();

    @TempDir
    Path dir;


    private static String push(String template, String tag) {
        return TestImages.pushImage(shared.client(), "molecule/" + template, tag, Map.of()).digest();
    }

    private static String body(String digest) {
        return "{\"image_digest\":\"" + digest + "\",\"git_sha\":\"19f3175\"}";
    }

    private static String promote(String env, String template, String digest) {
        return "/api/v1/environments/" + env + "/pins/" + template + "/promote";
    }

    @Test
    void verifyImagesRefusesMissingDigestsWith422AndAnUnreachableRegistryWith503WithoutChangingAnything() {
        String pushed = push("platform-agent", "verify-1");
        String neverPushed = TestConfig.digest("never pushed");
        try (RegistryServer s = new RegistryServer(TestDatabases.sqlite(dir), shared.fixture(), null, "verify_images: true", null)) {
            Http.Response ok = s.http.post(promote("prod", "platform-agent", pushed), TestConfig.CI,
                    body(pushed));
            assertThat(ok.status()).as(ok.body()).isEqualTo(201);

            Http.Response missing = s.http.post(promote("prod", "platform-agent", neverPushed), TestConfig.CI,
                    body(neverPushed));
            assertThat(missing.status()).as(missing.body()).isEqualTo(422);
            assertThat(missing.code()).isEqualTo("IMAGE_NOT_FOUND");
            assertThat(missing.json().path("error").asText()).contains(shared.fixture().hostPort() + "/molecule/platform-agent@" + neverPushed);
            assertThat(missing.json().path("missing").get(0).path("digest").asText()).isEqualTo(neverPushed);

            // The seed-compatible route goes through the same check.
            Http.Response compat = s.http.post("/cp/admin/runtime-image/promote", TestConfig.CI,
                    Http.promoteBody("platform-agent", neverPushed));
            assertThat(compat.status()).isEqualTo(422);
            assertThat(compat.code()).isEqualTo("IMAGE_NOT_FOUND");

            // A release whose member vanished after registration is refused as a whole at promote.
            Map<String, String> images = new java.util.TreeMap<>();
            for (String t : TestConfig.GROUP) {
                images.put(t, push(t, "verify-rel"));
            }
            Http.Response reg = s.http.post("/api/v1/releases", TestConfig.CI, releaseBody("0.9.0", images));
            assertThat(reg.status()).as(reg.body()).isEqualTo(201);
            shared.client().deleteManifest("molecule/hermes", images.get("hermes"));
            Http.Response rel = s.http.post("/api/v1/environments/prod/releases/runtime@0.9.0/promote", TestConfig.CI, "{}");
            assertThat(rel.status()).as(rel.body()).isEqualTo(422);
            assertThat(rel.json().path("missing")).hasSize(1);
            assertThat(rel.json().path("missing").get(0).path("template_name").asText()).isEqualTo("hermes");

            // staging does not verify: the same digest is accepted there.
            assertThat(s.http.post(promote("staging", "platform-agent", neverPushed), TestConfig.CI,
                    body(neverPushed)).status()).isEqualTo(201);

            shared.fixture().stop();
            try {
                // codex has no prod pin yet: a write would really happen if the check let it through.
                Http.Response downCodex = s.http.post(promote("prod", "codex", images.get("codex")), TestConfig.CI,
                        body(images.get("codex")));
                assertThat(downCodex.status()).as(downCodex.body()).isEqualTo(503);
                assertThat(downCodex.code()).isEqualTo("REGISTRY_UNAVAILABLE");
            } finally {
                shared.fixture().restart();
            }

            JsonNode prodPins = s.get("/api/v1/environments/prod/pins").path("pins");
            assertThat(prodPins).hasSize(1);
            assertThat(prodPins.get(0).path("image_digest").asText()).isEqualTo(pushed);
            assertThat(s.get("/api/v1/environments/prod/pins/platform-agent/history").path("entries")).hasSize(1);
        }
    }

    @Test
    void registrationAsksTheRegistryWhereTheRegistrantsPromotesWouldSoAFailedPublishDoesNotBurnTheVersion() {
        Map<String, String> images = new java.util.TreeMap<>();
        for (String t : TestConfig.GROUP) {
            images.put(t, push(t, "register-ok"));
        }
        Map<String, String> bad = new java.util.TreeMap<>(images);
        bad.put("hermes", TestConfig.digest("hermes never pushed"));
        try (RegistryServer s = new RegistryServer(TestDatabases.sqlite(dir), shared.fixture(), null, "verify_images: true", null)) {
            // The unrestricted token may promote into prod, which verifies images: refused, nothing registered.
            Http.Response refused = s.http.post("/api/v1/releases", TestConfig.CI, releaseBody("0.9.1", bad));
            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(refused.code()).isEqualTo("IMAGE_NOT_FOUND");
            assertThat(refused.json().path("missing")).hasSize(1);
            assertThat(refused.json().path("missing").get(0).path("template_name").asText()).isEqualTo("hermes");
            assertThat(s.http.get("/api/v1/releases/runtime@0.9.1", TestConfig.ADMIN).status()).isEqualTo(404);

            // The fixed re-run registers the same version.
            Http.Response fixed = s.http.post("/api/v1/releases", TestConfig.CI, releaseBody("0.9.1", images));
            assertThat(fixed.status()).as(fixed.body()).isEqualTo(201);

            // A staging-only token vouches for staging only, which does not verify: the registry is not its check.
            Http.Response staging = s.http.post("/api/v1/releases", TestConfig.STAGING_CI, releaseBody("0.9.2", bad));
            assertThat(staging.status()).as(staging.body()).isEqualTo(201);
            // The prod pipeline's registration (other digests, never promoted) replaces it, after the same check.
            Http.Response stillBad = s.http.post("/api/v1/releases", TestConfig.CI, releaseBody("0.9.2", bad));
            assertThat(stillBad.status()).as(stillBad.body()).isEqualTo(422);
            Http.Response replaced = s.http.post("/api/v1/releases", TestConfig.CI, releaseBody("0.9.2", images));
            assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
            assertThat(replaced.json().path("result").asText()).isEqualTo("replaced");
            assertThat(s.get("/api/v1/releases/runtime@0.9.2").path("images").path("hermes").asText())
                    .isEqualTo(images.get("hermes"));
        }
    }

    @Test
    void auditReportsImageGoneOnItsNextRunAfterThePinnedManifestIsDeleted() {
        String keep = push("codex", "audit-keep");
        String doomed = push("hermes", "audit-doomed");
        try (RegistryServer s = new RegistryServer(TestDatabases.sqlite(dir), shared.fixture(), null, "verify_images: true", null)) {
            for (String env : new String[] {"staging", "prod"}) {
                assertThat(s.http.post(promote(env, "codex", keep), TestConfig.CI, body(keep)).status()).isEqualTo(201);
                assertThat(s.http.post(promote(env, "hermes", doomed), TestConfig.CI, body(doomed)).status()).isEqualTo(201);
            }
            PinnedImageAudit audit = s.registry().audit();
            PinnedImageAudit.Run clean = audit.runOnce();
            assertThat(clean.checked()).isEqualTo(4);
            assertThat(clean.missing()).isEmpty();
            assertThat(s.drift("prod", "hermes").path("status").asText()).isNotEqualTo("image_gone");

            shared.client().deleteManifest("molecule/hermes", doomed);
            assertThat(s.drift("prod", "hermes").path("status").asText()).as("nothing is reported before the audit runs")
                    .isNotEqualTo("image_gone");

            PinnedImageAudit.Run run = audit.runOnce();
            assertThat(run.missing()).containsExactlyInAnyOrder(new PinKey("staging", "hermes", "global"),
                    new PinKey("prod", "hermes", "global"));
            assertThat(run.errors()).isZero();
            assertThat(s.drift("prod", "hermes").path("status").asText()).isEqualTo("image_gone");
            assertThat(s.drift("staging", "hermes").path("status").asText()).isEqualTo("image_gone");
            assertThat(s.drift("prod", "codex").path("status").asText()).isNotEqualTo("image_gone");
            String metrics = s.http.get("/metrics", null).body();
            assertThat(metrics).containsPattern("lockstep_pinned_image_missing\\{[^}]*environment=\"prod\",region=\"global\",template=\"hermes\"\\} 1\\.0");
            assertThat(metrics).containsPattern("lockstep_pinned_image_missing\\{[^}]*environment=\"prod\",region=\"global\",template=\"codex\"\\} 0\\.0");

            // Re-pinning to an image that exists clears it; so does the registry answering again.
            String fixed = push("hermes", "audit-fixed");
            assertThat(s.http.post(promote("staging", "hermes", fixed), TestConfig.CI, body(fixed)).status()).isEqualTo(200);
            assertThat(s.drift("staging", "hermes").path("status").asText()).isNotEqualTo("image_gone");
            assertThat(s.drift("prod", "hermes").path("status").asText()).isEqualTo("image_gone");
        }
    }

    @Test
    void resolveCarriesTheAuditedImageStatusAndAGoneImageIsRefusedOrWarnedPerEnvironment() {
        String doomed = push("codex", "resolve-doomed");
        try (RegistryServer s = new RegistryServer(TestDatabases.sqlite(dir), shared.fixture(), "on_image_gone: refuse",
                null, null)) {
            for (String env : new String[] {"staging", "prod"}) {
                assertThat(s.http.post(promote(env, "codex", doomed), TestConfig.CI, body(doomed)).status()).isEqualTo(201);
            }
            Http.Response before = s.http.get("/api/v1/resolve?environment=prod&template=codex", TestConfig.READER);
            assertThat(before.json().path("image_status").asText()).as("not audited yet").isEqualTo("unknown");
            s.registry().audit().runOnce();
            Http.Response present = s.http.get("/api/v1/resolve?environment=staging&template=codex", TestConfig.READER);
            assertThat(present.status()).isEqualTo(200);
            assertThat(present.json().path("image_status").asText()).isEqualTo("present");
            assertThat(present.raw().headers().firstValue("Lockstep-Image-Status")).isEmpty();

            shared.client().deleteManifest("molecule/codex", doomed);
            assertThat(s.http.get("/api/v1/resolve?environment=staging&template=codex", TestConfig.READER).status())
                    .as("nothing changes before the audit runs").isEqualTo(200);
            s.registry().audit().runOnce();

            Http.Response refused = s.http.get("/api/v1/resolve?environment=staging&template=codex", TestConfig.READER);
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.code()).isEqualTo("IMAGE_GONE");
            assertThat(refused.json().path("retryable").asBoolean()).isFalse();
            assertThat(refused.json().path("error").asText()).contains("staging").contains("codex").contains(doomed);
            // A region without a pin of its own falls back to global: the same refusal.
            assertThat(s.http.get("/api/v1/resolve?environment=staging&template=codex&region=eu", TestConfig.READER).status())
                    .isEqualTo(409);

            for (int i = 1; i <= 2; i++) {
                Http.Response warned = s.http.get("/api/v1/resolve?environment=prod&template=codex", TestConfig.READER);
                assertThat(warned.status()).as(warned.body()).isEqualTo(200);
                assertThat(warned.json().path("image_status").asText()).isEqualTo("gone");
                assertThat(warned.json().path("image_digest").asText()).isEqualTo(doomed);
                assertThat(warned.raw().headers().firstValue("Lockstep-Image-Status")).contains("gone");
            }
            assertThat(s.http.get("/metrics", null).body()).containsPattern(
                    "lockstep_resolve_image_gone_total\\{[^}]*environment=\"prod\",template=\"codex\"\\} 2\\.0");

            // A pin moved to an image that exists is not gone (and not yet audited).
            String fixed = push("codex", "resolve-fixed");
            assertThat(s.http.post(promote("staging", "codex", fixed), TestConfig.CI, body(fixed)).status()).isEqualTo(200);
            Http.Response moved = s.http.get("/api/v1/resolve?environment=staging&template=codex", TestConfig.READER);
            assertThat(moved.status()).isEqualTo(200);
            assertThat(moved.json().path("image_status").asText()).isEqualTo("unknown");
            assertThat(moved.raw().headers().firstValue("Lockstep-Image-Status")).isEmpty();
        }
    }

    @Test
    void mirrorTagFollowsThePinAndAFailedMirrorIsStaleUntilARetrySucceeds() {
        String first = push("openclaw", "mirror-1");
        String second = push("openclaw", "mirror-2");
        try (RegistryServer s = new RegistryServer(TestDatabases.sqlite(dir), shared.fixture(), null, "mirror_tag: prod", null)) {
            assertThat(s.http.post(promote("prod", "openclaw", first), TestConfig.CI, body(first)).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(10)).until(() -> digestOf("molecule/openclaw", "prod").equals(Optional.of(first))
                    && s.registry().mirror().mirrorStale().isEmpty());
            assertThat(s.drift("prod", "openclaw").path("status").asText()).isNotEqualTo("mirror_stale");

            shared.fixture().stop();
            try {
                Http.Response promoted = s.http.post(promote("prod", "openclaw", second), TestConfig.CI, body(second));
                assertThat(promoted.status()).as("a failed mirror never blocks or undoes the pin").isEqualTo(200);
                await().atMost(Duration.ofSeconds(20)).until(() -> s.registry().mirror().mirrorStale()
                        .contains(new PinKey("prod", "openclaw", "global")));
                JsonNode f = s.drift("prod", "openclaw");
                assertThat(f.path("status").asText() + f.path("flags")).contains("mirror_stale");
                assertThat(s.pin("prod", "openclaw").path("image_digest").asText()).isEqualTo(second);
            } finally {
                shared.fixture().restart();
            }
            assertThat(digestOf("molecule/openclaw", "prod")).contains(first);
            s.registry().mirror().reconcile(false);
            assertThat(digestOf("molecule/openclaw", "prod")).contains(second);
            assertThat(s.registry().mirror().mirrorStale()).isEmpty();
            JsonNode f = s.drift("prod", "openclaw");
            assertThat(f.path("status").asText() + f.path("flags")).doesNotContain("mirror_stale");
        }
    }

    /** What a person does with skopeo copy or a push: the tag now names another manifest. */
    private static void moveTagByHand(String repository, String tag, String digest) {
        io.lockstep.oci.Manifest m = shared.client().getManifest(repository, digest);
        shared.client().putManifest(repository, tag, m.body(), m.ref().mediaType());
        assertThat(digestOf(repository, tag)).contains(digest);
    }

    @Test
    void theAuditRepointsAMirrorTagMovedByHandAndCountsTheRepair() {
        String pinned = push("openclaw", "hand-1");
        String other = push("openclaw", "hand-2");
        try (RegistryServer s = new RegistryServer(TestDatabases.sqlite(dir), shared.fixture(), null, "mirror_tag: prod",
                "audit: {interval: 0s}\n")) {
            assertThat(s.http.post(promote("prod", "openclaw", pinned), TestConfig.CI, body(pinned)).status()).isEqualTo(201);
            await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10)) // past the start-up reconcile
                    .until(() -> digestOf("molecule/openclaw", "prod").equals(Optional.of(pinned)));
            moveTagByHand("molecule/openclaw", "prod", other);

            s.registry().mirror().auditTags();

            assertThat(digestOf("molecule/openclaw", "prod")).contains(pinned);
            assertThat(s.registry().mirror().mirrorStale()).isEmpty();
            assertThat(s.http.get("/metrics", null).body()).containsPattern(
                    "lockstep_mirror_tag_moved_total\\{action=\"repaired\",environment=\"prod\",template=\"openclaw\"\\} 1\\.0");
            s.registry().mirror().auditTags();
            assertThat(s.http.get("/metrics", null).body()).as("a tag in place is not repaired again").containsPattern(
                    "lockstep_mirror_tag_moved_total\\{action=\"repaired\",environment=\"prod\",template=\"openclaw\"\\} 1\\.0");
        }
    }

    @Test
    void inFlagModeTheAuditReportsAMovedMirrorTagAsMirrorStaleAndLeavesItUntilTheNextPromote() {
        String pinned = push("openclaw", "flag-1");
        String other = push("openclaw", "flag-2");
        try (RegistryServer s = new RegistryServer(TestDatabases.sqlite(dir), shared.fixture(), null, "mirror_tag: prod",
                "audit: {interval: 0s, mirror_tags: flag}\n")) {
            assertThat(s.http.post(promote("prod", "openclaw", pinned), TestConfig.CI, body(pinned)).status()).isEqualTo(201);
            await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                    .until(() -> digestOf("molecule/openclaw", "prod").equals(Optional.of(pinned)));
            s.registry().mirror().auditTags();
            assertThat(s.registry().mirror().mirrorStale()).isEmpty();
            moveTagByHand("molecule/openclaw", "prod", other);

            s.registry().mirror().auditTags();
            s.registry().mirror().reconcile(false); // the failed-mirror retries do not overrule flag mode

            assertThat(digestOf("molecule/openclaw", "prod")).contains(other);
            assertThat(s.registry().mirror().mirrorStale()).containsExactly(new PinKey("prod", "openclaw", "global"));
            JsonNode f = s.drift("prod", "openclaw");
            assertThat(f.path("status").asText() + f.path("flags")).contains("mirror_stale");
            assertThat(s.http.get("/metrics", null).body()).containsPattern(
                    "lockstep_mirror_tag_moved_total\\{action=\"flagged\",environment=\"prod\",template=\"openclaw\"\\} 1\\.0");

            // Promoting the pin again (even unchanged) mirrors it, which clears the flag.
            assertThat(s.http.post(promote("prod", "openclaw", pinned), TestConfig.CI, body(pinned)).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> digestOf("molecule/openclaw", "prod").equals(Optional.of(pinned))
                    && s.registry().mirror().mirrorStale().isEmpty());
        }
    }

    private static Optional<String> digestOf(String repository, String tag) {
        return shared.client().headManifest(repository, tag).map(m -> m.digest());
    }

    static String releaseBody(String version, Map<String, String> images) {
        StringBuilder b = new StringBuilder("{\"group\":\"runtime\",\"runtime_version\":\"" + version + "\",\"images\":{");
        String sep = "";
        for (Map.Entry<String, String> e : images.entrySet()) {
            b.append(sep).append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
            sep = ",";
        }
        return b.append("}}").toString();
    }
}
