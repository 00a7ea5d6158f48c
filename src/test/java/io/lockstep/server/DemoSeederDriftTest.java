package io.lockstep.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo shows the seed incident as drift and as a fleet that has not converged. */
class DemoSeederDriftTest {
    @TempDir
    Path dir;

    @Test
    void demoDataShowsPlatformAgentStuckAndConciergesOnThePreFixImage() {
        try (TestServer s = new TestServer(TestDatabases.sqlite(dir))) {
            new DemoSeeder(s.server, s.clock).seed();
            JsonNode drift = s.http.get("/api/v1/drift?environment=prod", TestConfig.READER).json();
            JsonNode agent = null;
            for (JsonNode f : drift.path("findings")) {
                if (f.path("template").asText().equals("platform-agent")) {
                    agent = f;
                }
            }
            assertThat(agent).isNotNull();
            assertThat(agent.path("status").asText()).isEqualTo("stuck");
            assertThat(agent.path("releases_behind").asInt()).isEqualTo(1);

            JsonNode conv = s.http.get("/api/v1/fleet/convergence?environment=prod&template=platform-agent",
                    TestConfig.READER).json().path("pins").get(0);
            assertThat(conv.path("instances").asLong()).isEqualTo(40);
            assertThat(conv.path("pinned_digest").asText()).isEqualTo(DemoSeeder.digest("platform-agent", "v0.3.40"));
            JsonNode claude = s.http.get("/api/v1/fleet/convergence?environment=prod&template=claude-code",
                    TestConfig.READER).json().path("pins").get(0);
            assertThat(claude.path("converged_ratio").asDouble()).isEqualTo(1.0);
        }
    }
}
