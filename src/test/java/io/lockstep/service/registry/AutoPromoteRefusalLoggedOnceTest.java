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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refusal retrying cannot fix (here: staging requires provenance, which a watch never has) comes
 * back on every discovery run. The run still reports it every time, but the log says it once per
 * candidate build, not once per interval; a new build is worth one new line.
 */
class AutoPromoteRefusalLoggedOnceTest {
    @TempDir
    Path dir;
    private RegistryFixture registry;
    private RegistryServer s;
    private CapturedLog log;

    @BeforeEach
    void start() {
        log = new CapturedLog(AutoPromotion.class);
        registry = RegistryFixture.startDefault();
        s = new RegistryServer(TestDatabases.sqlite(dir), registry, "auto_promote: true\nrequire_provenance: true", null, RegistryServer.SEMVER_WATCH);
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

    private void push(String tag) {
        RegistryClient client = new RegistryClient(registry.clientConfig().build());
        for (String t : TestConfig.GROUP) {
            TestImages.pushImage(client, "molecule/" + t, tag, Map.of(ImageLabels.VERSION, tag));
        }
    }

    private List<String> refusals() {
        return log.containing("auto-promote to staging refused");
    }

    @Test
    void aRefusalThatCannotChangeByItselfIsLoggedOncePerCandidate() {
        Watch watch = s.registry().watcher().watches().get(0);
        push("v0.3.44");
        for (int run = 0; run < 3; run++) {
            Discovery d = s.registry().watcher().discover(watch);
            assertThat(d.releaseId()).isEqualTo("runtime@0.3.44");
            assertThat(d.promoted()).isEmpty();
            assertThat(d.skipped().get("staging")).as("every run still reports the refusal").startsWith("PROVENANCE_REQUIRED");
        }
        assertThat(refusals()).hasSize(1);
        assertThat(refusals().get(0)).contains("watch runtime");

        push("v0.3.45");
        Discovery next = s.registry().watcher().discover(watch);
        assertThat(next.releaseId()).isEqualTo("runtime@0.3.45");
        assertThat(next.skipped().get("staging")).startsWith("PROVENANCE_REQUIRED");
        s.registry().watcher().discover(watch);
        assertThat(refusals()).as("a new candidate is logged once more").hasSize(2);
    }
}
