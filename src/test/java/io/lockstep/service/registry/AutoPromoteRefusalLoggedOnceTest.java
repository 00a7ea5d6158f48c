package io.lockstep.service.registry;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lockstep.domain.Watch;
import io.lockstep.oci.ImageLabels;
import io.lockstep.oci.RegistryClient;
import io.lockstep.oci.RegistryFixture;
import io.lockstep.oci.TestImages;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

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
    private static final String WATCHES = """
            watches:
              - group: runtime
                interval: 1h
                policy: semver
                allow_tags: '^v\\d+\\.\\d+\\.\\d+$'
                extract: '^v(.+)$'
            """;

    @TempDir
    Path dir;
    private RegistryFixture registry;
    private RegistryServer s;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(AutoPromotion.class);

    @BeforeEach
    void start() {
        log.start();
        logger.addAppender(log);
        registry = RegistryFixture.startDefault();
        s = new RegistryServer(TestDatabases.sqlite(dir), registry, "auto_promote: true\nrequire_provenance: true", null, WATCHES);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(log);
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
        return log.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("auto-promote to staging refused")).toList();
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
