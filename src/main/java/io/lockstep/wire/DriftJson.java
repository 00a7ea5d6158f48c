package io.lockstep.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;
import io.lockstep.domain.drift.DriftFinding;
import io.lockstep.domain.drift.DriftInput;
import io.lockstep.domain.drift.DriftReport;
import io.lockstep.domain.drift.DriftSignals;
import io.lockstep.domain.drift.DriftStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.lockstep.wire.JsonFields.instant;
import static io.lockstep.wire.JsonFields.text;

/**
 * The JSON form of drift, both ways: the server writes reports and inputs with it, the CLI reads
 * them back into domain objects so it can match {@code --fail-on} and compare targets with the
 * same engine the server runs.
 */
public final class DriftJson {
    private DriftJson() {
    }

    public static Map<String, Object> writeReport(DriftReport report, List<Environment> environments, Duration grace) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("computed_at", report.computedAt().toString());
        m.put("grace_period_seconds", grace.toSeconds());
        m.put("environments", environments.stream().map(DriftJson::environment).toList());
        Map<String, Integer> counts = new LinkedHashMap<>();
        report.countsByStatus().forEach((s, n) -> counts.put(s.wire(), n));
        m.put("counts", counts);
        m.put("findings", report.findings().stream().map(DriftJson::writeFinding).toList());
        return m;
    }

    public static Map<String, Object> writeFinding(DriftFinding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("environment", f.environment());
        m.put("template", f.template());
        m.put("region", f.region());
        m.put("group", f.group());
        m.put("status", f.status().wire());
        m.put("flags", f.flags().stream().map(DriftStatus::wire).toList());
        m.put("digest", f.pinnedDigest());
        m.put("current_release_id", f.currentReleaseId());
        m.put("current_runtime_version", f.currentRuntimeVersion());
        m.put("newest_release_id", f.newestReleaseId());
        m.put("newest_runtime_version", f.newestRuntimeVersion());
        m.put("releases_behind", f.releasesBehind());
        m.put("behind_since", f.behindSince() == null ? null : f.behindSince().toString());
        m.put("age_seconds", f.age() == null ? null : f.age().toSeconds());
        m.put("explanation", f.explanation());
        return m;
    }

    public static DriftFinding readFinding(JsonNode n) {
        Set<DriftStatus> flags = EnumSet.noneOf(DriftStatus.class);
        n.path("flags").forEach(x -> flags.add(DriftStatus.fromWire(x.asText())));
        JsonNode age = n.path("age_seconds");
        return new DriftFinding(text(n, "environment"), text(n, "template"), text(n, "region"), text(n, "group"),
                DriftStatus.fromWire(text(n, "status")), flags, text(n, "digest"), text(n, "current_release_id"),
                text(n, "current_runtime_version"), text(n, "newest_release_id"), text(n, "newest_runtime_version"),
                n.path("releases_behind").asInt(0), instant(n, "behind_since"),
                age.isNumber() ? Duration.ofSeconds(age.asLong()) : null, text(n, "explanation"));
    }

    public static DriftReport readReport(JsonNode n) {
        List<DriftFinding> findings = new ArrayList<>();
        n.path("findings").forEach(f -> findings.add(readFinding(f)));
        Instant at = instant(n, "computed_at");
        return new DriftReport(at == null ? Instant.EPOCH : at, findings);
    }

    /** Everything the engine needed for a report, so a client can re-run it merged with other targets. */
    public static Map<String, Object> writeInput(DriftInput in) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now", in.now().toString());
        m.put("grace_period_seconds", in.gracePeriod().toSeconds());
        m.put("environments", in.environments().stream().map(DriftJson::environment).toList());
        m.put("templates", in.templates().stream().map(TemplateJson::write).toList());
        m.put("pins", in.pins().stream().map(PinJson::write).toList());
        m.put("releases", in.releases().stream().map(ReleaseJson::write).toList());
        Map<String, Object> signals = new LinkedHashMap<>();
        signals.put("image_gone", in.signals().imageGone().stream().map(DriftJson::key).toList());
        signals.put("mirror_stale", in.signals().mirrorStale().stream().map(DriftJson::key).toList());
        List<Map<String, Object>> holds = new ArrayList<>();
        in.signals().holds().forEach((k, reason) -> {
            Map<String, Object> h = key(k);
            h.put("reason", reason);
            holds.add(h);
        });
        signals.put("holds", holds);
        signals.put("in_flight_release_ids", List.copyOf(in.signals().inFlightReleaseIds()));
        m.put("signals", signals);
        return m;
    }

    public static DriftInput readInput(JsonNode n) {
        List<Environment> environments = new ArrayList<>();
        n.path("environments").forEach(e -> environments.add(Environment.named(text(e, "name"))
                .withUpstream(text(e, "upstream"))
                .withProvenance(Environment.RequiredProvenance.fromApiWord(text(e, "required_provenance")))));
        List<Template> templates = new ArrayList<>();
        n.path("templates").forEach(t -> templates.add(TemplateJson.read(t)));
        List<Pin> pins = new ArrayList<>();
        n.path("pins").forEach(p -> pins.add(PinJson.read(p)));
        List<Release> releases = new ArrayList<>();
        n.path("releases").forEach(r -> releases.add(ReleaseJson.read(r)));
        JsonNode s = n.path("signals");
        Map<PinKey, String> holds = new HashMap<>();
        s.path("holds").forEach(h -> holds.put(readKey(h), text(h, "reason")));
        Set<String> inFlight = new HashSet<>();
        s.path("in_flight_release_ids").forEach(x -> inFlight.add(x.asText()));
        DriftSignals signals = new DriftSignals(keys(s.path("image_gone")), keys(s.path("mirror_stale")), holds, inFlight);
        return new DriftInput(templates, environments, pins, releases, instant(n, "now"),
                Duration.ofSeconds(n.path("grace_period_seconds").asLong(DriftInput.DEFAULT_GRACE_PERIOD.toSeconds())),
                signals);
    }

    private static Map<String, Object> environment(Environment e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("upstream", e.upstream());
        m.put("required_provenance", e.provenance().apiWord());
        return m;
    }

    private static Map<String, Object> key(PinKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("environment", k.environment());
        m.put("template", k.template());
        m.put("region", k.region());
        return m;
    }

    private static PinKey readKey(JsonNode n) {
        return new PinKey(text(n, "environment"), text(n, "template"), text(n, "region"));
    }

    private static Set<PinKey> keys(JsonNode list) {
        Set<PinKey> out = new HashSet<>();
        list.forEach(k -> out.add(readKey(k)));
        return out;
    }
}
