package io.lockstep.drift;

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
import io.lockstep.http.Views;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of drift, both ways: the server writes reports and inputs with it, the CLI reads
 * them back into domain objects so it can match {@code --fail-on} and compare targets with the
 * same engine the server runs.
 */
public final class DriftWire {
    private DriftWire() {
    }

    public static Map<String, Object> report(DriftReport report, List<Environment> environments, Duration grace) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("computed_at", report.computedAt().toString());
        m.put("grace_period_seconds", grace.toSeconds());
        m.put("environments", environments.stream().map(DriftWire::environment).toList());
        Map<String, Integer> counts = new LinkedHashMap<>();
        report.countsByStatus().forEach((s, n) -> counts.put(s.wire(), n));
        m.put("counts", counts);
        m.put("findings", report.findings().stream().map(DriftWire::finding).toList());
        return m;
    }

    public static Map<String, Object> finding(DriftFinding f) {
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
    public static Map<String, Object> input(DriftInput in) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now", in.now().toString());
        m.put("grace_period_seconds", in.gracePeriod().toSeconds());
        m.put("environments", in.environments().stream().map(DriftWire::environment).toList());
        m.put("templates", in.templates().stream().map(Views::template).toList());
        m.put("pins", in.pins().stream().map(Views::pin).toList());
        m.put("releases", in.releases().stream().map(Views::release).toList());
        Map<String, Object> signals = new LinkedHashMap<>();
        signals.put("image_gone", in.signals().imageGone().stream().map(DriftWire::key).toList());
        signals.put("mirror_stale", in.signals().mirrorStale().stream().map(DriftWire::key).toList());
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
        n.path("environments").forEach(e -> environments.add(new Environment(text(e, "name"), text(e, "upstream"),
                false, false, null, false)));
        List<Template> templates = new ArrayList<>();
        n.path("templates").forEach(t -> {
            List<String> kinds = new ArrayList<>();
            t.path("kinds").forEach(k -> kinds.add(k.asText()));
            templates.add(new Template(text(t, "name"), text(t, "repository"), kinds, text(t, "group"),
                    t.path("pinnable").asBoolean(true)));
        });
        List<Pin> pins = new ArrayList<>();
        n.path("pins").forEach(p -> pins.add(readPin(p)));
        List<Release> releases = new ArrayList<>();
        n.path("releases").forEach(r -> releases.add(new Release(text(r, "id"), text(r, "group"),
                text(r, "runtime_version"), text(r, "git_sha"), strings(r.path("images")), strings(r.path("exclude")),
                instant(r, "created_at"), text(r, "created_by"))));
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

    public static Pin readPin(JsonNode p) {
        return new Pin(new PinKey(text(p, "environment"), text(p, "template_name"), text(p, "region")),
                text(p, "image_digest"), text(p, "image_ref"), text(p, "git_sha"), text(p, "runtime_version"),
                instant(p, "promoted_at"), text(p, "promoted_by"), text(p, "notes"), strings(p.path("provenance")),
                p.path("version").asLong(0));
    }

    private static Map<String, Object> environment(Environment e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("upstream", e.upstream());
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

    private static Map<String, String> strings(JsonNode obj) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String v = text(n, field);
        return v == null ? null : Instant.parse(v);
    }
}
