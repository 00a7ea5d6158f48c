package io.lockstep.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Refusal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET …/promotability}: whether a promote would pass now and, if not, what it
 * would answer (status, code, {@code retryable}, {@code retry_after_seconds} of the first refusal, as
 * the promote's error would) with every refusal in the gate's order.
 */
public final class PromotabilityJson {
    private PromotabilityJson() {
    }

    /** One refusal as the CLI reads it. */
    public record Entry(String code, String message, boolean retryable) {
    }

    /** The answer as the CLI reads it; {@code status} 200 when promotable. */
    public record Answer(boolean promotable, int status, String code, List<Entry> refusals) {
        /** The first refusal's sentence and how many more there are, e.g. "… (and 2 more)"; null when promotable. */
        public String blocker() {
            if (refusals.isEmpty()) {
                return null;
            }
            int more = refusals.size() - 1;
            return refusals.get(0).message() + (more == 0 ? "" : " (and " + more + " more)");
        }
    }

    public static Map<String, Object> write(List<Refusal> refusals) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("promotable", refusals.isEmpty());
        if (refusals.isEmpty()) {
            m.put("status", 200);
            m.put("code", null);
            m.put("retryable", false);
        } else {
            Refusal first = refusals.get(0);
            m.put("status", first.problem().kind().httpStatus());
            m.put("code", first.problem().code());
            m.put("retryable", first.problem().retryable());
            Object retry = first.details().get("retry_after_seconds");
            if (retry != null) {
                m.put("retry_after_seconds", retry);
            }
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (Refusal r : refusals) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("code", r.problem().code());
            e.put("message", r.message());
            e.put("retryable", r.problem().retryable());
            e.put("details", r.details());
            list.add(e);
        }
        m.put("refusals", list);
        return m;
    }

    public static Answer read(JsonNode n) {
        List<Entry> refusals = new ArrayList<>();
        for (JsonNode r : n.path("refusals")) {
            refusals.add(new Entry(r.path("code").asText(), r.path("message").asText(), r.path("retryable").asBoolean()));
        }
        JsonNode code = n.path("code");
        return new Answer(n.path("promotable").asBoolean(), n.path("status").asInt(),
                code.isTextual() ? code.asText() : null, refusals);
    }
}
