package io.lockstep.cli;

import io.lockstep.testing.Http;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code requires} naming a remote upstream (issue 12, on issue 11's remote upstreams): prod's server hosts
 * prod only and its gate reads staging's pins from staging's server (separate processes, real HTTP). A digest
 * staging does not run is refused 422 NOT_IN_UPSTREAM; once staging runs it, prod takes it; with staging's
 * server gone the promote is a 503 UPSTREAM_UNAVAILABLE and changes nothing, never a guess.
 */
class RemoteUpstreamGateIT {
    @TempDir
    Path dir;

    /** RemoteUpstreamIT's prod-only server, whose prod also requires its remote upstream to run a change first. */
    private static String prodConfig(String stagingUrl) {
        String yaml = RemoteUpstreamIT.prodConfig(stagingUrl).replace("cache_ttl: 0s, timeout: 2s}\n",
                "cache_ttl: 0s, timeout: 2s}\n    requires: {soak: 0s}\n");
        assertThat(yaml).contains("requires: {soak: 0s}");
        return yaml;
    }

    @Test
    void prodsGateReadsItsRemoteUpstream() throws Exception {
        Path sDir = Files.createDirectories(dir.resolve("staging"));
        Path pDir = Files.createDirectories(dir.resolve("prod"));
        String digest = TestConfig.digest("hermes@v1");
        try (ServerProcess staging = ServerProcess.spec(sDir).database(TestDatabases.sqlite(sDir)).config(RemoteUpstreamIT.stagingConfig())
                .start();
             ServerProcess prod = ServerProcess.spec(pDir).database(TestDatabases.sqlite(pDir))
                     .config(prodConfig(staging.url())).env("LOCKSTEP_UPSTREAM_TOKEN", TestConfig.STAGING_READER).start()) {
            Http.Response early = promote(prod.http(), digest);
            assertThat(early.status()).as(early.body()).isEqualTo(422);
            assertThat(early.json().path("code").asText()).isEqualTo("NOT_IN_UPSTREAM");
            assertThat(early.json().path("error").asText()).contains("staging");

            Http.Response inStaging = staging.http().post("/api/v1/environments/staging/pins/hermes/promote", TestConfig.CI,
                    Json.obj("image_digest", digest));
            assertThat(inStaging.status()).as(inStaging.body()).isEqualTo(201);
            Http.Response ok = promote(prod.http(), digest);
            assertThat(ok.status()).as(ok.body()).isEqualTo(201);

            staging.stop();
            Http.Response gone = promote(prod.http(), TestConfig.digest("hermes@v2"));
            assertThat(gone.status()).as(gone.body()).isEqualTo(503);
            assertThat(gone.json().path("code").asText()).isEqualTo("UPSTREAM_UNAVAILABLE");
            assertThat(gone.json().path("retryable").booleanValue()).isTrue();
            assertThat(gone.body()).doesNotContain(TestConfig.STAGING_READER);
            Http.Response pin = prod.http().get("/api/v1/environments/prod/pins/hermes", TestConfig.READER);
            assertThat(pin.json().path("image_digest").asText()).as("nothing changed").isEqualTo(digest);
        }
    }

    private static Http.Response promote(Http prod, String digest) {
        return prod.post("/api/v1/environments/prod/pins/hermes/promote", TestConfig.CI, Json.obj("image_digest", digest));
    }
}
