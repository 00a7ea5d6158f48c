package io.lockstep.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Convergence;
import io.lockstep.domain.ExpectedInstances;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.lockstep.wire.JsonFields.text;

/** The JSON form of convergence, both ways: the server writes it, {@code lockstep rollout status} reads it. */
public final class ConvergenceJson {
    private ConvergenceJson() {
    }

    public static Map<String, Object> write(List<Convergence> rows, Instant computedAt, Duration ttl) {
        long instances = rows.stream().mapToLong(Convergence::instances).sum();
        long converged = rows.stream().mapToLong(Convergence::converged).sum();
        long missing = rows.stream().mapToLong(Convergence::missingInstances).sum();
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("instances", instances);
        totals.put("converged", converged);
        totals.put("stale", instances - converged);
        totals.put("missing_instances", missing);
        totals.put("converged_ratio", instances + missing == 0 ? null : (double) converged / (instances + missing));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("computed_at", computedAt.toString());
        m.put("instance_ttl_seconds", ttl.toSeconds());
        m.put("totals", totals);
        m.put("pins", rows.stream().map(ConvergenceJson::row).toList());
        return m;
    }

    static Map<String, Object> row(Convergence c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("environment", c.environment());
        m.put("template", c.template());
        m.put("region", c.region());
        m.put("pin_region", c.pinRegion());
        m.put("pinned_digest", c.pinnedDigest());
        m.put("runtime_version", c.runtimeVersion());
        m.put("last_promoted_at", c.lastPromotedAt() == null ? null : c.lastPromotedAt().toString());
        m.put("instances", c.instances());
        m.put("converged", c.converged());
        m.put("stale_instances", c.staleInstances());
        m.put("expected_instances", c.expected() == null ? null : c.expected().instances());
        m.put("expected_from", c.expected() == null ? null : c.expected().from() == null ? null : c.expected().from().wire());
        m.put("missing_instances", c.missingInstances());
        m.put("converged_ratio", c.ratio());
        List<Map<String, Object>> stale = new ArrayList<>();
        for (Convergence.StaleDigest s : c.stale()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("digest", s.digest());
            d.put("instances", s.instances());
            d.put("sample_instance_ids", s.sampleInstanceIds());
            stale.add(d);
        }
        m.put("stale", stale);
        return m;
    }

    public static List<Convergence> read(JsonNode answer) {
        List<Convergence> out = new ArrayList<>();
        for (JsonNode r : answer.path("pins")) {
            List<Convergence.StaleDigest> stale = new ArrayList<>();
            for (JsonNode s : r.path("stale")) {
                List<String> ids = new ArrayList<>();
                s.path("sample_instance_ids").forEach(x -> ids.add(x.asText()));
                stale.add(new Convergence.StaleDigest(s.path("digest").asText(), s.path("instances").asLong(), ids));
            }
            String promoted = text(r, "last_promoted_at");
            JsonNode expected = r.path("expected_instances");
            String from = text(r, "expected_from");
            // An older server sends no expectation: nothing is known to be missing.
            ExpectedInstances.Expectation expectation = expected.isIntegralNumber()
                    ? new ExpectedInstances.Expectation(expected.asLong(), ExpectedInstances.Source.fromWire(from)) : null;
            out.add(new Convergence(text(r, "environment"), text(r, "template"), text(r, "region"),
                    text(r, "pin_region"), text(r, "pinned_digest"), text(r, "runtime_version"),
                    promoted == null ? null : Instant.parse(promoted), r.path("instances").asLong(),
                    r.path("converged").asLong(), stale, expectation));
        }
        return out;
    }
}
