package io.lockstep.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.domain.Action;
import io.lockstep.domain.Convergence;
import io.lockstep.domain.Environment;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.ProvenanceKind;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;
import io.lockstep.domain.drift.DriftEngine;
import io.lockstep.domain.drift.DriftInput;
import io.lockstep.domain.drift.DriftReport;
import io.lockstep.domain.drift.DriftSignals;
import io.lockstep.wire.PromoteResultJson.PromoteResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server writes with these codecs and the CLI reads with them: what one writes, the other must
 * read back unchanged, under the field names the seed's clients already parse.
 */
class WireCodecsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-06-21T10:19:30.123456Z");
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private static final Pin PIN = new Pin(new PinKey("prod", "claude-code", "eu-west"), D2, "reg.example/cc@" + D2,
            "abc1234", "v0.3.43", AT, "ci", "hotfix", Map.of("run", "https://ci.example/run/7"), 7,
            ProvenanceKind.DECLARED);

    private static JsonNode tree(Object written) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(written));
    }

    @Test
    void aPinReadsBackAsWritten() throws Exception {
        JsonNode n = tree(PinJson.write(PIN));
        assertThat(n.fieldNames()).toIterable().containsExactly("environment", "template_name", "region",
                "image_digest", "image_ref", "git_sha", "runtime_version", "promoted_at", "promoted_by", "notes",
                "provenance", "provenance_kind", "version");
        assertThat(PinJson.read(n)).isEqualTo(PIN);
    }

    /** The kind travels as its own field; a pin from before kinds were recorded shows the kind its provenance implies. */
    @Test
    void aPinCarriesHowFarItsProvenanceCanBeTrusted() throws Exception {
        Pin verified = new Pin(PIN.key(), D2, PIN.imageRef(), null, null, AT, "github:publish",
                null, Map.of("repository", "acme/agents", "run_id", "7"), 8, ProvenanceKind.VERIFIED);
        assertThat(tree(PinJson.write(verified)).path("provenance_kind").asText()).isEqualTo("verified");
        assertThat(PinJson.read(tree(PinJson.write(verified)))).isEqualTo(verified);
        Pin old = new Pin(PIN.key(), D2, PIN.imageRef(), null, null, AT, "ci", null, Map.of(), 3);
        assertThat(tree(PinJson.write(old)).path("provenance_kind").asText()).isEqualTo("none");
        Pin oldDeclared = new Pin(PIN.key(), D2, PIN.imageRef(), null, null, AT, "ci", null, Map.of("ci_run", "r"), 3);
        assertThat(tree(PinJson.write(oldDeclared)).path("provenance_kind").asText()).isEqualTo("declared");
        HistoryEntry entry = new HistoryEntry(42, PIN.key(), D1, D2, null, null, null, "github:publish",
                verified.provenance(), Action.PROMOTE, AT, null, "prev", "hash", ProvenanceKind.VERIFIED);
        assertThat(tree(HistoryJson.write(entry)).path("provenance_kind").asText()).isEqualTo("verified");
    }

    @Test
    void aPinWithoutRegionOrOptionalFieldsReadsAsGlobalWithNulls() throws Exception {
        Pin read = PinJson.read(JSON.readTree("{\"environment\":\"prod\",\"template_name\":\"hermes\","
                + "\"image_digest\":\"" + D1 + "\",\"runtime_version\":null,\"promoted_at\":\"" + AT + "\"}"));
        assertThat(read.key()).isEqualTo(new PinKey("prod", "hermes", "global"));
        assertThat(read.runtimeVersion()).isNull();
        assertThat(read.provenance()).isEmpty();
    }

    @Test
    void aResolveAnswerCarriesTheImageOnTopAndThePinThatSuppliedIt() throws Exception {
        JsonNode n = tree(ResolveJson.write(PIN));
        assertThat(n.fieldNames()).toIterable().containsExactly("environment", "template_name", "image_ref",
                "image_digest", "region", "image_status", "pin");
        assertThat(n.get("image_ref").asText()).isEqualTo(PIN.imageRef());
        assertThat(ResolveJson.read(n)).isEqualTo(PIN);
        assertThat(ResolveJson.imageStatus(n)).isEqualTo("unknown");
        assertThat(ResolveJson.imageStatus(tree(ResolveJson.write(PIN, io.lockstep.domain.ImageStatus.GONE)))).isEqualTo("gone");
    }

    @Test
    void aPromoteResultReadsBackAsWritten() throws Exception {
        HistoryEntry entry = new HistoryEntry(42, PIN.key(), D1, D2, "abc1234", "v0.3.43", null, "ci", Map.of(),
                Action.PROMOTE, AT, null, "prev", "hash");
        PromoteResult updated = PromoteResult.of("updated", PIN, D1, entry);
        assertThat(updated.templateName()).isEqualTo("claude-code");
        assertThat(updated.historySeq()).isEqualTo(42L);
        JsonNode n = tree(PromoteResultJson.write(updated));
        assertThat(n.fieldNames()).toIterable().containsExactly("result", "template_name", "previous_digest", "pin",
                "history_seq");
        assertThat(PromoteResultJson.read(n)).isEqualTo(updated);
        assertThat(PromoteResultJson.read(n).digest()).isEqualTo(D2);
    }

    @Test
    void anExcludedTemplateHasNoPinAndTakesItsNameFromTheHistoryEntry() throws Exception {
        HistoryEntry exclude = new HistoryEntry(43, new PinKey("prod", "builder", null), null, null, null, "v0.3.43",
                "not built", "ci", Map.of(), Action.EXCLUDE, AT, "r43", "prev", "hash");
        PromoteResult excluded = PromoteResult.of("excluded", null, null, exclude);
        JsonNode n = tree(PromoteResultJson.write(excluded));
        assertThat(n.get("template_name").asText()).isEqualTo("builder");
        assertThat(n.get("pin").isNull()).isTrue();
        PromoteResult read = PromoteResultJson.read(n);
        assertThat(read).isEqualTo(excluded);
        assertThat(read.digest()).isNull();
    }

    @Test
    void theDriftInputReadsBackSoTheCliRunsTheSameEngine() throws Exception {
        Template cc = new Template("claude-code", "reg.example/cc", List.of("workspace"), "runtime", true);
        Template builder = new Template("builder", "reg.example/builder", List.of(), "runtime", false);
        Release r43 = new Release("r43", "runtime", "v0.3.43", "bbbbbbb", Map.of("claude-code", D2),
                Map.of("builder", "not built"), AT, "ci");
        Environment prod = new Environment("prod", "staging", true, true, "prod", false);
        DriftInput in = new DriftInput(List.of(cc, builder), List.of(Environment.named("staging"), prod), List.of(PIN),
                List.of(r43), AT, Duration.ofMinutes(45), DriftSignals.none()
                .withImageGone(Set.of(PIN.key())).withHolds(Map.of(PIN.key(), "held by hand"))
                .withInFlight(Set.of("r43")));

        DriftInput read = DriftJson.readInput(tree(DriftJson.writeInput(in)));

        assertThat(read.templates()).isEqualTo(in.templates());
        assertThat(read.pins()).isEqualTo(in.pins());
        assertThat(read.releases()).extracting(Release::id, Release::images, Release::exclude, Release::createdAt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("r43", Map.of("claude-code", D2),
                        Map.of("builder", "not built"), AT));
        // drift's view of an environment is its name, upstream and provenance requirement (UNVERIFIED);
        // the rest of the promote policy is not on this wire
        assertThat(read.environments()).containsExactly(Environment.named("staging"),
                Environment.named("prod").withUpstream("staging").withProvenance(Environment.RequiredProvenance.DECLARED));
        assertThat(read.now()).isEqualTo(AT);
        assertThat(read.gracePeriod()).isEqualTo(Duration.ofMinutes(45));
        assertThat(read.signals()).isEqualTo(in.signals());
        DriftReport server = new DriftEngine().compute(in);
        assertThat(new DriftEngine().compute(read).findings()).isEqualTo(server.findings());
        assertThat(DriftJson.readReport(tree(DriftJson.writeReport(server, in.environments(), in.gracePeriod())))
                .findings()).isEqualTo(server.findings());
    }

    @Test
    void convergenceReadsBackAsWritten() throws Exception {
        Convergence c = new Convergence("prod", "claude-code", "eu-west", "global", D2, "v0.3.43", AT, 5, 3,
                List.of(new Convergence.StaleDigest(D1, 2, List.of("pod-a", "pod-b"))));
        Convergence empty = new Convergence("prod", "hermes", "global", null, null, null, null, 0, 0, List.of());
        Convergence vanished = new Convergence("prod", "codex", "global", "global", D2, "v0.3.43", AT, 0, 0, List.of(),
                new io.lockstep.domain.ExpectedInstances.Expectation(3, io.lockstep.domain.ExpectedInstances.Source.HISTORY));
        JsonNode n = tree(ConvergenceJson.write(List.of(c, empty, vanished), AT, Duration.ofMinutes(10)));
        assertThat(n.path("totals").path("stale").asLong()).isEqualTo(2);
        assertThat(n.path("totals").path("missing_instances").asLong()).isEqualTo(3);
        assertThat(n.path("totals").path("converged_ratio").asDouble()).isEqualTo(3.0 / 8);
        assertThat(n.path("pins").get(2).path("expected_from").asText()).isEqualTo("history");
        assertThat(ConvergenceJson.read(n)).containsExactly(c, empty, vanished);
    }
}
