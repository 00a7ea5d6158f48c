package io.lockstep.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.domain.Event;
import io.lockstep.domain.webhook.WebhookFormat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a webhook delivery in each {@link WebhookFormat}; the exact bytes returned are the bytes sent
 * and signed. {@code lockstep}: {@link EventJson#text}. {@code cloudevents}: a CloudEvents 1.0 event in
 * structured JSON mode (written by hand against the spec: the CloudEvents SDK is not among this build's
 * dependencies), the Lockstep event as {@code data}. {@code slack}: an incoming-webhook message (also
 * understood by Mattermost and Rocket.Chat): one human sentence in {@code text} plus an attachment of fields.
 */
public final class WebhookJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** CloudEvents {@code type} prefix: reverse DNS, as the spec recommends. */
    public static final String CLOUDEVENTS_TYPE_PREFIX = "io.lockstep.";
    public static final String CLOUDEVENTS_SOURCE = "/lockstep";

    private WebhookJson() {
    }

    public static byte[] body(WebhookFormat format, Event e) {
        String text = switch (format) {
            case LOCKSTEP -> EventJson.text(e);
            case CLOUDEVENTS -> json(cloudEvent(e));
            case SLACK -> json(slack(e));
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static Map<String, Object> cloudEvent(Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("specversion", "1.0");
        m.put("id", Long.toString(e.id()));
        m.put("source", CLOUDEVENTS_SOURCE);
        m.put("type", CLOUDEVENTS_TYPE_PREFIX + e.type());
        m.put("time", e.at().toString());
        String subject = subject(e);
        if (subject != null) {
            m.put("subject", subject);
        }
        m.put("datacontenttype", "application/json");
        m.put("data", EventJson.write(e));
        return m;
    }

    /** What the event is about: {@code environment/template/region}, the group, or the environment. */
    static String subject(Event e) {
        if (e.environment() != null && e.template() != null) {
            return e.environment() + "/" + e.template() + (e.region() == null ? "" : "/" + e.region());
        }
        if (e.environment() != null && e.group() != null) {
            return e.environment() + "/" + e.group();
        }
        return e.environment() != null ? e.environment() : e.group();
    }

    public static Map<String, Object> slack(Event e) {
        List<Map<String, Object>> fields = new ArrayList<>();
        field(fields, "Event", e.type());
        field(fields, "Environment", e.environment());
        field(fields, "Template", e.template());
        field(fields, "Region", e.region());
        field(fields, "Group", e.group());
        field(fields, "Actor", e.actor());
        field(fields, "Digest", digestTo(e));
        field(fields, "Release", e.data().get("release"));
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put("fallback", sentence(e));
        attachment.put("color", e.type().equals(Event.PIN_ROLLED_BACK) || e.type().equals(Event.OVERRIDE_USED)
                ? "warning" : "good");
        attachment.put("fields", fields);
        attachment.put("footer", "Lockstep event " + e.id());
        attachment.put("ts", e.at().getEpochSecond());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", sentence(e));
        m.put("attachments", List.of(attachment));
        return m;
    }

    /** One sentence a person reads in a chat channel. */
    public static String sentence(Event e) {
        String what = e.template() != null ? e.template() + (e.region() == null || e.region().equals(io.lockstep.domain.Names.DEFAULT_REGION) ? ""
                : " (" + e.region() + ")") : e.group() != null ? "group " + e.group() : "Lockstep";
        String where = e.environment() == null ? "" : " in " + e.environment();
        String by = e.actor() == null ? "" : " by " + e.actor();
        String digest = digestTo(e);
        String release = e.data().get("release") instanceof String r ? r : null;
        return switch (e.type()) {
            case Event.PIN_PROMOTED -> what + where + " was promoted to " + (release != null ? "release " + release
                    : shortDigest(digest)) + by + ".";
            case Event.PIN_ROLLED_BACK -> what + where + " was rolled back to " + shortDigest(digest) + by + ".";
            case Event.RELEASE_PROMOTED -> "Release " + release + " was promoted" + where + by + ".";
            case Event.OVERRIDE_USED -> "A promotion gate was overridden for " + what + where + by + ": "
                    + e.data().get("reason") + ".";
            case Event.FREEZE_STARTED -> e.data().get("window") instanceof String w
                    ? e.environment() + " is frozen by freeze window " + w + " until " + e.data().get("until") + "."
                    : "The line was stopped" + where + (e.group() == null ? "" : " for group " + e.group()) + by + ": "
                    + e.data().get("reason") + ".";
            case Event.FREEZE_LIFTED -> e.data().get("window") instanceof String w
                    ? e.environment() + " is no longer frozen by freeze window " + w + " (" + e.data().get("lift_reason") + ")."
                    : "The line stop" + where + (e.group() == null ? "" : " for group " + e.group()) + " was lifted" + by + ".";
            default -> e.type() + ": " + what + where + by + ".";
        };
    }

    private static String digestTo(Event e) {
        return e.data().get("to") instanceof Map<?, ?> to && to.get("digest") instanceof String d ? d : null;
    }

    private static String shortDigest(String d) {
        return d == null ? "an image" : d.length() > 19 ? d.substring(0, 19) + "…" : d;
    }

    private static void field(List<Map<String, Object>> fields, String title, Object value) {
        if (value != null) {
            fields.add(Map.of("title", title, "value", value.toString(), "short", true));
        }
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("webhook bodies hold only JSON values", ex);
        }
    }
}
