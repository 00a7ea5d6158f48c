package io.lockstep.service.registry;

import io.lockstep.domain.Watch;
import io.lockstep.oci.ImageLabels;
import io.lockstep.oci.RegistryClient;
import io.lockstep.oci.RegistryFixture;
import io.lockstep.oci.TestImages;
import io.lockstep.testing.Http;
import io.lockstep.testing.LimitedTokens;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registry watch reads a build's digests from the registry itself, so it vouches for them in every
 * environment, even when a staging-only token registered the same release first: auto-promote into
 * prod still works (docs/api.md, "Who vouches for a release").
 */
class WatchVouchesForEveryEnvironmentTest {
    @TempDir
    Path dir;
    private RegistryFixture registry;
    private RegistryServer s;

    @BeforeEach
    void start() {
        registry = RegistryFixture.startDefault();
        s = new RegistryServer(TestDatabases.sqlite(dir), registry, null, "auto_promote: true", RegistryServer.SEMVER_WATCH);
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

    @Test
    void aReleaseAStagingTokenRegisteredFirstIsStillAutoPromotedIntoProd() {
        RegistryClient client = new RegistryClient(registry.clientConfig().build());
        Map<String, String> pushed = new LinkedHashMap<>();
        for (String t : TestConfig.GROUP) {
            pushed.put(t, TestImages.pushImage(client, "molecule/" + t, "v0.5.0",
                    Map.of(ImageLabels.VERSION, "v0.5.0")).digest());
        }
        Http.Response first = s.http.post("/api/v1/releases", LimitedTokens.STAGING_CI,
                VerifyAuditMirrorTest.releaseBody("0.5.0", pushed));
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().path("registrant_environments").toString()).isEqualTo("[\"staging\"]");

        Watch watch = s.registry().watcher().watches().get(0);
        Discovery d = s.registry().watcher().discover(watch);

        assertThat(d.promoted()).as(d.toString()).containsExactly("prod");
        for (String t : TestConfig.GROUP) {
            assertThat(s.pin("prod", t).path("image_digest").asText()).isEqualTo(pushed.get(t));
        }
        assertThat(s.get("/api/v1/releases/runtime@0.5.0").path("registrant_environments").isNull()).isTrue();
    }
}
