package io.lockstep.service.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;

import static io.lockstep.service.fleet.FleetReportsTest.convergence;
import static io.lockstep.service.fleet.FleetReportsTest.row;
import static io.lockstep.service.fleet.SeedIncident.OLD;
import static io.lockstep.service.fleet.SeedIncident.digest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 5, over HTTP on both stores: destroy-then-pull leaves nothing running, and convergence
 * says so ({@code missing_instances}) instead of "converged".
 */
class MissingInstancesTest {
    private static final String AGENT_OLD = digest("platform-agent", OLD);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void hadThreeNowNoneIsThreeMissingUntilTheMemoryPasses(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir), "fleet: {instance_ttl: 1m, instance_memory: 1h}\n")) {
            SeedIncident seed = new SeedIncident(s).replay();
            seed.send(seed.reports("prod", "platform", "concierge", 3, AGENT_OLD));
            JsonNode live = row(convergence(s, "/api/v1/fleet/convergence?environment=prod"), "platform-agent");
            assertThat(live.path("instances").asLong()).isEqualTo(3);
            assertThat(live.path("missing_instances").asLong()).isZero();
            assertThat(live.path("expected_instances").isNull()).as("history says nothing while instances are live").isTrue();

            // destroyed, never pulled: past the TTL nothing is live
            s.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
            JsonNode answer = convergence(s, "/api/v1/fleet/convergence?environment=prod");
            JsonNode gone = row(answer, "platform-agent");
            assertThat(gone.path("instances").asLong()).isZero();
            assertThat(gone.path("expected_instances").asLong()).isEqualTo(3);
            assertThat(gone.path("expected_from").asText()).isEqualTo("history");
            assertThat(gone.path("missing_instances").asLong()).isEqualTo(3);
            assertThat(gone.path("converged_ratio").asDouble()).isEqualTo(0.0);
            assertThat(answer.path("totals").path("missing_instances").asLong()).isEqualTo(3);
            // a pin that never had instances still has nothing to converge
            assertThat(row(answer, "hermes").path("missing_instances").asLong()).isZero();
            assertThat(row(answer, "hermes").path("converged_ratio").isNull()).isTrue();
            // the template filter keeps the row
            assertThat(row(convergence(s, "/api/v1/fleet/convergence?environment=prod&template=platform-agent"),
                    "platform-agent").path("missing_instances").asLong()).isEqualTo(3);

            // the pull: instances report again and nothing is missing
            s.clock.advance(Duration.ofMinutes(5));
            seed.send(seed.reports("prod", "platform", "concierge-new", 3, AGENT_OLD));
            assertThat(row(convergence(s, "/api/v1/fleet/convergence?environment=prod"), "platform-agent")
                    .path("missing_instances").asLong()).isZero();

            // retired on purpose: once the memory passes it no longer counts as missing
            s.clock.advance(Duration.ofMinutes(2));
            assertThat(row(convergence(s, "/api/v1/fleet/convergence?environment=prod"), "platform-agent")
                    .path("missing_instances").asLong()).isEqualTo(3);
            s.clock.advance(Duration.ofHours(1));
            JsonNode forgotten = row(convergence(s, "/api/v1/fleet/convergence?environment=prod"), "platform-agent");
            assertThat(forgotten.path("missing_instances").asLong()).isZero();
            assertThat(forgotten.path("expected_instances").isNull()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aConfiguredCountHoldsWhateverIsLiveAndNamesAPinThatNeverRan(StoreKind kind) {
        String config = """
                fleet:
                  expected_instances:
                    - {environment: prod, template: platform-agent, instances: 5}
                    - {environment: prod, template: codex, region: eu-west, instances: 2}
                    - {environment: staging, template: platform-agent, instances: 0}
                """;
        try (TestServer s = new TestServer(kind.create(dir), config)) {
            SeedIncident seed = new SeedIncident(s).replay();
            seed.send(seed.reports("prod", "platform", "concierge", 3, AGENT_OLD));
            seed.send(seed.reports("staging", "platform", "concierge", 3, AGENT_OLD));

            JsonNode prod = convergence(s, "/api/v1/fleet/convergence?environment=prod");
            JsonNode agent = row(prod, "platform-agent");
            assertThat(agent.path("expected_instances").asLong()).isEqualTo(5);
            assertThat(agent.path("expected_from").asText()).isEqualTo("config");
            assertThat(agent.path("missing_instances").asLong()).isEqualTo(2);
            assertThat(agent.path("converged_ratio").asDouble()).isEqualTo(0.6);
            JsonNode codex = null;
            for (JsonNode r : prod.path("pins")) {
                if (r.path("template").asText().equals("codex") && r.path("region").asText().equals("eu-west")) {
                    codex = r;
                }
            }
            assertThat(codex).as("a configured region with no pin and no instance still gets a row").isNotNull();
            assertThat(codex.path("missing_instances").asLong()).isEqualTo(2);
            assertThat(codex.path("pin_region").asText()).isEqualTo("global");

            // expected 0 (a pin meant to run nothing): history never makes it missing
            s.clock.advance(Duration.ofMinutes(11));
            JsonNode staging = row(convergence(s, "/api/v1/fleet/convergence?environment=staging"), "platform-agent");
            assertThat(staging.path("instances").asLong()).isZero();
            assertThat(staging.path("expected_instances").asLong()).isZero();
            assertThat(staging.path("missing_instances").asLong()).isZero();
        }
    }
}
