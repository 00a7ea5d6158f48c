package io.lockstep.service.registry;

import io.lockstep.domain.Watch;
import io.lockstep.oci.ImageLabels;
import io.lockstep.oci.RegistryClient;
import io.lockstep.oci.RegistryFixture;
import io.lockstep.oci.TestImages;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.CapturedLog;
import io.lockstep.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: a watch's auto-promote obeys {@code requires}. prod ({@code requires: {soak: 1h}}) waits
 * while the release soaks in staging: every run reports {@code SOAKING}, the log says it once per
 * candidate (a soak ends by itself; a line per interval would be noise), and the first run after the
 * soak promotes it.
 */
class AutoPromoteWaitsForSoakTest {
    @TempDir
    Path dir;
    private RegistryFixture registry;
    private RegistryServer s;
    private CapturedLog log;

    @BeforeEach
    void start() {
        log = new CapturedLog(AutoPromotion.class);
        registry = RegistryFixture.startDefault();
        s = new RegistryServer(TestDatabases.sqlite(dir), registry, "auto_promote: true",
                "auto_promote: true\nrequires: {soak: 1h}", RegistryServer.SEMVER_WATCH);
    }

    @AfterEach
    void stop() {
        log.close();
        if (s != null) {
            s.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private List<String> prodRefusals() {
        return log.containing("auto-promote to prod refused");
    }

    @Test
    void prodWaitsQuietlyForTheSoakAndIsPromotedWhenItEnds() {
        Watch watch = s.registry().watcher().watches().get(0);
        RegistryClient client = new RegistryClient(registry.clientConfig().build());
        for (String t : TestConfig.GROUP) {
            TestImages.pushImage(client, "molecule/" + t, "v0.3.44", Map.of(ImageLabels.VERSION, "v0.3.44"));
        }
        Discovery first = s.registry().watcher().discover(watch);
        assertThat(first.promoted()).containsExactly("staging");
        assertThat(first.skipped().get("prod")).startsWith("SOAKING");
        for (int run = 0; run < 3; run++) {
            s.clock.advance(Duration.ofMinutes(10));
            Discovery d = s.registry().watcher().discover(watch);
            assertThat(d.promoted()).isEmpty();
            assertThat(d.skipped().get("prod")).as("every run still reports it").startsWith("SOAKING");
        }
        assertThat(prodRefusals()).as("logged once, not once per run").hasSize(1);
        assertThat(s.pin("prod", TestConfig.GROUP[0])).as("nothing pinned in prod yet").isNull();

        s.clock.advance(Duration.ofMinutes(31));
        Discovery done = s.registry().watcher().discover(watch);
        assertThat(done.promoted()).containsExactly("prod");
        assertThat(s.pin("prod", TestConfig.GROUP[0]).path("runtime_version").asText()).isEqualTo("0.3.44");
    }

    @Test
    void aFreezeWindowIsAlsoSaidOnceNotOncePerRun() {
        s.close();
        s = new RegistryServer(TestDatabases.sqlite(dir.resolve("frozen")), registry, "auto_promote: true",
                "auto_promote: true\nfreeze_windows:\n  - {name: year-end, start: 2000-01-01T00:00:00Z, end: 2100-01-01T00:00:00Z}",
                RegistryServer.SEMVER_WATCH);
        Watch watch = s.registry().watcher().watches().get(0);
        RegistryClient client = new RegistryClient(registry.clientConfig().build());
        for (String t : TestConfig.GROUP) {
            TestImages.pushImage(client, "molecule/" + t, "v0.3.45", Map.of(ImageLabels.VERSION, "v0.3.45"));
        }
        for (int run = 0; run < 4; run++) {
            Discovery d = s.registry().watcher().discover(watch);
            assertThat(d.skipped().get("prod")).as("every run still reports it").startsWith("FROZEN");
            s.clock.advance(Duration.ofMinutes(10));
        }
        assertThat(prodRefusals()).as("a freeze window lasts hours: logged once, not once per run").hasSize(1);
    }

    /** A stop of the line holds a watch's auto-promote like a person's promote, said once; lifted, the next run promotes. */
    @Test
    void aStoppedLineIsSaidOnceAndTheFirstRunAfterItIsLiftedPromotes() {
        s.close();
        s = new RegistryServer(TestDatabases.sqlite(dir.resolve("stopped")), registry, "auto_promote: true",
                "auto_promote: true", RegistryServer.SEMVER_WATCH);
        var stop = s.http.post("/api/v1/environments/prod/freezes", TestConfig.ADMIN,
                io.lockstep.testing.Json.obj("reason", "incident 4711", "group", "runtime"));
        assertThat(stop.status()).as(stop.body()).isEqualTo(201);
        Watch watch = s.registry().watcher().watches().get(0);
        RegistryClient client = new RegistryClient(registry.clientConfig().build());
        for (String t : TestConfig.GROUP) {
            TestImages.pushImage(client, "molecule/" + t, "v0.3.46", Map.of(ImageLabels.VERSION, "v0.3.46"));
        }
        for (int run = 0; run < 4; run++) {
            Discovery d = s.registry().watcher().discover(watch);
            assertThat(d.skipped().get("prod")).as("every run still reports it").startsWith("LINE_STOPPED");
            s.clock.advance(Duration.ofMinutes(10));
        }
        assertThat(prodRefusals()).as("a stop lasts until lifted: logged once, not once per run").hasSize(1);
        assertThat(s.pin("prod", TestConfig.GROUP[0])).isNull();

        assertThat(s.http.delete("/api/v1/environments/prod/freezes/" + stop.json().path("id").asText(),
                TestConfig.ADMIN).status()).isEqualTo(200);
        assertThat(s.registry().watcher().discover(watch).promoted()).containsExactly("prod");
    }

    /** {@code min_converged}: staging's fleet has not converged (nobody reports at all); an expected wait, said once. */
    @Test
    void anUnconvergedUpstreamFleetIsSaidOnceNotOncePerRun() {
        s.close();
        s = new RegistryServer(TestDatabases.sqlite(dir.resolve("converging")), registry, "auto_promote: true",
                "auto_promote: true\nrequires: {soak: 0s, min_converged: 0.5}", RegistryServer.SEMVER_WATCH);
        Watch watch = s.registry().watcher().watches().get(0);
        RegistryClient client = new RegistryClient(registry.clientConfig().build());
        for (String t : TestConfig.GROUP) {
            TestImages.pushImage(client, "molecule/" + t, "v0.3.47", Map.of(ImageLabels.VERSION, "v0.3.47"));
        }
        for (int run = 0; run < 4; run++) {
            Discovery d = s.registry().watcher().discover(watch);
            assertThat(d.skipped().get("prod")).as("every run still reports it").startsWith("UPSTREAM_NOT_CONVERGED");
            s.clock.advance(Duration.ofMinutes(10));
        }
        assertThat(prodRefusals()).as("a fleet converges in its own time: logged once, not once per run").hasSize(1);
    }
}
