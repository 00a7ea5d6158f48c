package io.lockstep.service.dashboard;

import io.lockstep.domain.Event;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the {@link ActivityView} from one backward page of events; the one-line summaries are decided here. */
public final class ActivityViews {
    /** A summary longer than this is cut (notes can be long); the full event is in the API. */
    static final int MAX_SUMMARY = 200;

    private ActivityViews() {
    }

    public static ActivityView build(List<Event> newestFirst, Long older, ActivityView.Filter filter,
                                     List<String> environmentChoices, List<String> groupChoices) {
        List<ActivityView.Row> rows = new ArrayList<>(newestFirst.size());
        for (Event e : newestFirst) {
            rows.add(new ActivityView.Row(e.id(), e.at().toString(), e.type(), e.environment(), e.template(),
                    e.region(), e.group(), e.actor() == null ? "server" : e.actor(), summary(e)));
        }
        String olderPath = older == null ? null : path(filter, older);
        String newestPath = filter.before() == null ? null : path(filter, null);
        return new ActivityView(rows, filter, Event.TYPES, environmentChoices, groupChoices, olderPath, newestPath);
    }

    static String path(ActivityView.Filter f, Long before) {
        StringBuilder q = new StringBuilder();
        param(q, "type", f.type());
        param(q, "environment", f.environment());
        param(q, "group", f.group());
        param(q, "before", before == null ? null : before.toString());
        return q.isEmpty() ? "/activity" : "/activity?" + q;
    }

    private static void param(StringBuilder q, String name, String value) {
        if (value != null) {
            q.append(q.isEmpty() ? "" : "&").append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    /** One line saying what happened, from the event's data; plain text (escaped where it is rendered). */
    public static String summary(Event e) {
        Map<String, Object> d = e.data();
        String s = switch (e.type()) {
            case Event.PIN_PROMOTED, Event.PIN_ROLLED_BACK -> {
                String to = image(d.get("to"));
                String from = image(d.get("from"));
                yield (Event.PIN_ROLLED_BACK.equals(e.type()) ? "Rolled back to " : "Promoted to ") + to
                        + (from == null ? " (new pin)" : " from " + from) + notes(d.get("notes"));
            }
            case Event.RELEASE_REGISTERED, Event.RELEASE_REPLACED, Event.RELEASE_WITHDRAWN ->
                    "Release " + d.get("release") + " (" + d.get("runtime_version") + ") "
                            + e.type().substring("release.".length()) + reason(d.get("reason"));
            case Event.RELEASE_PROMOTED -> "Release " + d.get("release") + " (" + d.get("runtime_version")
                    + ") promoted; moved " + d.get("moved");
            case Event.DRIFT_CHANGED -> "Drift " + status(d.get("from")) + " → " + status(d.get("to")) + ". "
                    + text(d.get("explanation"));
            case Event.IMAGE_GONE, Event.MIRROR_STALE -> text(d.get("explanation"));
            case Event.FLEET_CONVERGED, Event.FLEET_REGRESSED -> d.get("converged_instances") + " of "
                    + d.get("instances") + " instances run " + MatrixViews.shortDigest(text(d.get("digest")))
                    + (d.get("ratio") instanceof Number r ? " (" + (int) Math.floor(r.doubleValue() * 100) + "%)" : "")
                    + (Event.FLEET_CONVERGED.equals(e.type()) ? ": converged" : ": regressed")
                    + (d.get("threshold") instanceof Number t ? " (threshold " + Math.round(t.doubleValue() * 100) + "%)" : "");
            case Event.APPROVAL_GIVEN, Event.APPROVAL_REVOKED, Event.APPROVAL_REQUESTED ->
                    e.type().substring("approval.".length()).replace('_', ' ') + " for "
                            + (d.get("release") != null ? "release " + d.get("release")
                            : MatrixViews.shortDigest(text(d.get("digest")))) + notes(d.get("notes"));
            case Event.FREEZE_STARTED -> d.get("window") != null ? "Freeze window " + d.get("window") + " opened, until "
                    + d.get("until") : "Line stopped" + reason(d.get("reason"));
            case Event.FREEZE_LIFTED -> d.get("window") != null ? "Freeze window " + d.get("window") + " ended"
                    + reason(d.get("lift_reason")) : "Line stop lifted" + reason(d.get("lift_reason"));
            case Event.POLICY_CHANGED -> "Policy " + ("reset_to_config".equals(d.get("action"))
                    ? "returned to the configuration file's" : "set") + reason(d.get("reason"));
            case Event.OVERRIDE_USED -> "Gates overridden " + d.get("overrode") + reason(d.get("reason"));
            default -> e.type();
        };
        s = s.replaceAll("[\\r\\n\\t]+", " ");
        return s.length() > MAX_SUMMARY ? s.substring(0, MAX_SUMMARY - 1) + "…" : s;
    }

    private static String image(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            return null;
        }
        Object version = m.get("runtime_version");
        String digest = MatrixViews.shortDigest(text(m.get("digest")));
        return version == null ? digest : version + " (" + digest + ")";
    }

    private static String status(Object o) {
        return o instanceof Map<?, ?> m && m.get("status") != null
                ? m.get("status").toString().toUpperCase(java.util.Locale.ROOT) : "?";
    }

    private static String notes(Object o) {
        return o == null || o.toString().isBlank() ? "" : "; notes: " + o;
    }

    private static String reason(Object o) {
        return o == null || o.toString().isBlank() ? "" : ": " + o;
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }
}
