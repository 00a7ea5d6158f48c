package io.lockstep.cli;

import io.lockstep.testing.Http;
import io.lockstep.testing.LimitedTokens;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One control plane hosting staging and prod, two pipelines with their own tokens: staging CI (a
 * token limited to staging) publishes a release into staging first, the prod pipeline publishes the
 * same release file later. The release is vouched for prod only once the prod pipeline registers
 * it, and {@code lockstep publish} does that on its own (docs/api.md, "Who vouches for a release").
 */
class SharedControlPlanePublishIT {
    @TempDir
    Path dir;

    private static Map<String, String> pins(TestServer s, String env) {
        Http.Response r = s.http.get("/api/v1/environments/" + env + "/pins", TestConfig.READER);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, String> out = new TreeMap<>();
        r.json().path("pins").forEach(p -> out.put(p.path("template_name").asText(), p.path("image_digest").asText()));
        return out;
    }

    @Test
    void stagingCiPublishesFirstAndTheProdPipelinePublishesTheSameReleaseLater() throws Exception {
        try (TestServer s = new TestServer(TestDatabases.sqlite(Files.createDirectories(dir.resolve("db"))),
                LimitedTokens.YAML)) {
            StringBuilder b = new StringBuilder("group: runtime\nruntime_version: v1.0.2\nimages:\n");
            Map<String, String> images = new TreeMap<>();
            for (String t : TestConfig.GROUP) {
                images.put(t, TestConfig.digest(t + "@v1.0.2"));
                b.append("  ").append(t).append(": ").append(images.get(t)).append('\n');
            }
            Path release = Files.writeString(dir.resolve("release.yaml"), b.toString());

            Cli.Run staging = new Cli().env("STAGING_TOKEN", LimitedTokens.STAGING_CI).run("publish", "--release",
                    release.toString(), "--target", "staging=" + s.url(), "--token-env", "staging=STAGING_TOKEN");
            assertThat(staging.exit()).as(staging.all()).isZero();
            assertThat(pins(s, "staging")).isEqualTo(images);
            Http.Response early = s.http.post("/api/v1/environments/prod/releases/runtime@v1.0.2/promote",
                    TestConfig.PROD_ONLY, "{}");
            assertThat(early.status()).as(early.body()).isEqualTo(403);
            assertThat(pins(s, "prod")).isEmpty();

            Cli.Run prod = new Cli().env("PROD_TOKEN", TestConfig.PROD_ONLY).run("publish", "--release",
                    release.toString(), "--target", "prod=" + s.url(), "--token-env", "prod=PROD_TOKEN");
            assertThat(prod.exit()).as(prod.all()).isZero();
            assertThat(pins(s, "prod")).isEqualTo(images);
            assertThat(staging.all() + prod.all()).doesNotContain(LimitedTokens.STAGING_CI)
                    .doesNotContain(TestConfig.PROD_ONLY);
        }
    }
}
