package io.lockstep.wire;

import io.lockstep.domain.ApprovalPolicy;
import io.lockstep.domain.FreezeWindow;
import io.lockstep.domain.PolicyChange;
import io.lockstep.domain.PromotionPolicy;
import io.lockstep.domain.StageRequirement;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An environment's promotion policy in the keys of the configuration file ({@code requires},
 * {@code approvals}, {@code freeze_windows}), so what {@code GET …/policy} shows can be sent back with {@code PUT}; and
 * the record of a change (who, why, when).
 */
public final class PolicyJson {
    private PolicyJson() {
    }

    public static Map<String, Object> write(PromotionPolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        StageRequirement r = p.requires();
        if (r != null) {
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("upstream", r.upstream());
            req.put("soak", r.soak().toSeconds() + "s");
            if (r.minConverged() != null) {
                req.put("min_converged", r.minConverged());
            }
            m.put("requires", req);
        }
        ApprovalPolicy a = p.approvals();
        if (a != null) {
            Map<String, Object> approvals = new LinkedHashMap<>();
            approvals.put("count", a.count());
            approvals.put("from_scopes", a.fromScopes());
            approvals.put("distinct_from_promoter", a.distinctFromPromoter());
            approvals.put("expire_after", a.expireAfter().toSeconds() + "s");
            m.put("approvals", approvals);
        }
        if (!p.freezeWindows().isEmpty()) {
            List<Map<String, Object>> windows = new ArrayList<>();
            for (FreezeWindow w : p.freezeWindows()) {
                windows.add(window(w));
            }
            m.put("freeze_windows", windows);
        }
        return m;
    }

    private static Map<String, Object> window(FreezeWindow w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", w.name());
        if (w.recurring()) {
            m.put("from", dayTime(w.fromDay(), w.from()));
            m.put("to", dayTime(w.toDay(), w.to()));
        } else {
            m.put("start", w.start().toString());
            m.put("end", w.end().toString());
        }
        m.put("zone", w.zone().getId());
        return m;
    }

    private static String dayTime(DayOfWeek day, LocalTime time) {
        return (day == null ? "" : day.name().substring(0, 3).toLowerCase(Locale.ROOT) + " ") + time;
    }

    public static Map<String, Object> write(PolicyChange c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", c.seq());
        m.put("environment", c.environment());
        m.put("changed_by", c.changedBy());
        m.put("reason", c.reason());
        m.put("changed_at", c.changedAt().toString());
        m.put("action", c.resetsToConfig() ? "reset_to_config" : "set");
        return m;
    }
}
