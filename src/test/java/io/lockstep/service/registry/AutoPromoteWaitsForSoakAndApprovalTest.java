package io.lockstep.service.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.Watch;
import io.lockstep.oci.ImageLabels;
import io.lockstep.oci.RegistryClient;
import io.lockstep.oci.RegistryFixture;
import io.lockstep.oci.TestImages;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.CapturedLog;
import io.lockstep.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 acceptance: "a watched release goes to staging at once and to prod only after soak +
 * approval, without log spam in between". staging and prod both {@code auto_promote}; prod
 * {@code requires: {upstream: staging, soak: 1h}} and {@code approvals: {count: 1}}. Discovery runs
 * again and again; each run reports why prod waits, but the log names each waiting reason (SOAKING,
 * then APPROVAL_REQUIRED) exactly once for the candidate, and the first run after an approval by a
 * token with scope approve promotes prod.
 */
class AutoPromoteWaitsForSoakAndApprovalTest {
    private static final String APPROVER = "test-carol-approver-secret-6d21";
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
                "auto_promote: true\nrequires: {upstream: staging, soak: 1h}\napprovals: {count: 1}", RegistryServer.SEMVER_WATCH,
                "  - {name: carol, scopes: [approve], secret_sha256: " + HistoryChain.sha256(APPROVER) + "}\n");
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

    /** Every line the auto-promotion logged, whatever its level or environment. */
    private List<String> logged() {
        return log.messages();
    }

    private List<String> prodRefusals() {
        return logged().stream().filter(m -> m.contains("auto-promote to prod refused")).toList();
    }

    private void assertProdUnpinned() {
        for (String t : TestConfig.GROUP) {
            assertThat(s.pin("prod", t)).as("nothing pinned in prod: " + t).isNull();
        }
    }

    @Test
    void stagingAtOnceProdOnlyAfterSoakAndApprovalEachWaitSaidOnce() {
        Watch watch = s.registry().watcher().watches().get(0);
        RegistryClient client = new RegistryClient(registry.clientConfig().build());
        for (String t : TestConfig.GROUP) {
            TestImages.pushImage(client, "molecule/" + t, "v0.3.44", Map.of(ImageLabels.VERSION, "v0.3.44"));
        }

        Discovery first = s.registry().watcher().discover(watch);
        assertThat(first.releaseId()).isEqualTo("runtime@0.3.44");
        assertThat(first.promoted()).as("staging at once, prod not").containsExactly("staging");
        assertThat(first.skipped().get("prod")).startsWith("SOAKING");
        for (String t : TestConfig.GROUP) {
            assertThat(s.pin("staging", t).path("runtime_version").asText()).isEqualTo("0.3.44");
        }
        assertProdUnpinned();

        // Soaking: runs every 10 minutes for 50 minutes; every run says why, the log says it once.
        for (int run = 0; run < 5; run++) {
            s.clock.advance(Duration.ofMinutes(10));
            Discovery d = s.registry().watcher().discover(watch);
            assertThat(d.promoted()).isEmpty();
            assertThat(d.skipped().get("prod")).as("every run still reports it").startsWith("SOAKING");
        }
        assertProdUnpinned();
        assertThat(prodRefusals()).as("SOAKING logged once, not once per run").hasSize(1);
        assertThat(prodRefusals().get(0)).contains("watch runtime").contains("soaking in staging until");

        // Past the soak: still refused, now for want of an approval; said once more, then quiet.
        s.clock.advance(Duration.ofMinutes(11));
        for (int run = 0; run < 5; run++) {
            Discovery d = s.registry().watcher().discover(watch);
            assertThat(d.promoted()).isEmpty();
            assertThat(d.skipped().get("prod")).as("every run still reports it").startsWith("APPROVAL_REQUIRED");
            s.clock.advance(Duration.ofMinutes(10));
        }
        assertProdUnpinned();
        assertThat(prodRefusals()).as("APPROVAL_REQUIRED logged once, not once per run").hasSize(2);
        assertThat(prodRefusals().get(1)).contains("needs 1 more approval from a token with scope approve");
        JsonNode pending = s.get("/api/v1/environments/prod/approvals").path("pending");
        assertThat(pending.findValuesAsText("release")).as("the watch filed one request").containsExactly("runtime@0.3.44");

        // A read token cannot approve; nothing changes.
        assertThat(s.http.post("/api/v1/environments/prod/approvals", TestConfig.READER,
                Json.obj("release", "runtime@0.3.44")).status()).isEqualTo(403);
        assertThat(s.registry().watcher().discover(watch).skipped().get("prod")).startsWith("APPROVAL_REQUIRED");
        assertProdUnpinned();

        Http.Response approved = s.http.post("/api/v1/environments/prod/approvals", APPROVER,
                Json.obj("release", "runtime@0.3.44", "notes", "soaked fine"));
        assertThat(approved.status()).as(approved.body()).isEqualTo(201);
        assertThat(approved.json().path("approver").asText()).isEqualTo("carol");

        Discovery done = s.registry().watcher().discover(watch);
        assertThat(done.promoted()).as("the first run after the approval promotes prod").containsExactly("prod");
        assertThat(done.skipped()).doesNotContainKey("prod");
        for (String t : TestConfig.GROUP) {
            JsonNode pin = s.pin("prod", t);
            assertThat(pin.path("runtime_version").asText()).isEqualTo("0.3.44");
            assertThat(pin.path("image_digest").asText()).isEqualTo(s.pin("staging", t).path("image_digest").asText());
        }
        JsonNode after = s.get("/api/v1/environments/prod/approvals");
        assertThat(after.path("approvals").findValuesAsText("id")).as("the approval was used")
                .doesNotContain(approved.json().path("id").asText());
        assertThat(after.path("pending")).as("the request was fulfilled").isEmpty();

        // Nothing left to do: later runs promote nothing and log nothing more.
        // The release is in prod, its approval used: a later run has nothing to move, so it neither asks
        // for a new approval of a change already made nor says prod was refused.
        for (int run = 0; run < 2; run++) {
            s.clock.advance(Duration.ofMinutes(10));
            Discovery idle = s.registry().watcher().discover(watch);
            assertThat(idle.promoted()).isEmpty();
            assertThat(idle.skipped()).as("prod is not waiting for anything").doesNotContainKey("prod");
        }
        assertThat(s.get("/api/v1/environments/prod/approvals").path("pending"))
                .as("no approval requested for the release already in prod").isEmpty();
        assertThat(prodRefusals()).as("each waiting reason exactly once").hasSize(2);
        assertThat(logged().stream().filter(m -> m.contains("refused")).toList())
                .as("no other refusal was logged (staging never waited)").hasSize(2);
    }
}
