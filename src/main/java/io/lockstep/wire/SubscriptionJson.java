package io.lockstep.wire;

import io.lockstep.domain.webhook.Delivery;
import io.lockstep.domain.webhook.SubscriptionState;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A webhook subscription and its delivery log as the admin API shows them. The secret is never written,
 * only whether one is set; the URL only up to its host and port, because many receivers (Slack's among
 * them) carry their credential in the URL's path.
 */
public final class SubscriptionJson {
    private SubscriptionJson() {
    }

    public static Map<String, Object> write(SubscriptionState s, long lastEventId) {
        var sub = s.subscription();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", sub.name());
        m.put("url", shownUrl(sub.url()));
        m.put("types", sub.types());
        m.put("environments", sub.environments());
        m.put("groups", sub.groups());
        m.put("format", sub.format().wire());
        m.put("secret_set", sub.secret() != null && !sub.secret().isEmpty());
        m.put("source", sub.source());
        m.put("created_at", s.createdAt().toString());
        m.put("status", s.failing() ? "failing" : "ok");
        m.put("cursor", s.cursor());
        m.put("pending_events", Math.max(0, lastEventId - s.cursor()));
        m.put("consecutive_failures", s.consecutiveFailures());
        m.put("last_error", s.lastError());
        m.put("last_attempt_at", s.lastAttemptAt() == null ? null : s.lastAttemptAt().toString());
        m.put("last_success_at", s.lastSuccessAt() == null ? null : s.lastSuccessAt().toString());
        return m;
    }

    public static Map<String, Object> write(Delivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event_id", d.eventId());
        m.put("status", d.status());
        m.put("http_status", d.httpStatus() == 0 ? null : d.httpStatus());
        m.put("latency_ms", d.latencyMs());
        m.put("attempts", d.attempts());
        m.put("last_error", d.lastError());
        m.put("at", d.at().toString());
        return m;
    }

    /** {@code scheme://host[:port]}, plus {@code /…} when the URL has more: the rest may be a credential. */
    public static String shownUrl(String url) {
        URI u = URI.create(url);
        String origin = u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        String rest = u.getRawPath() == null ? "" : u.getRawPath();
        return rest.isEmpty() || rest.equals("/") && u.getRawQuery() == null ? origin + rest : origin + "/…";
    }
}
