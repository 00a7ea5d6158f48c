package io.lockstep.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.domain.Event;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Lockstep JSON form of an {@link Event}, version {@value Event#VERSION}: the body of the event stream,
 * of {@code GET /api/v1/events} pages and of webhooks in the {@code lockstep} format, read back by the CLI.
 * Field names are part of the compatibility contract; add fields, never rename or remove them.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() { };

    private EventJson() {
    }

    public static Map<String, Object> write(Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("version", Event.VERSION);
        m.put("type", e.type());
        m.put("time", e.at().toString());
        m.put("environment", e.environment());
        m.put("template", e.template());
        m.put("region", e.region());
        m.put("group", e.group());
        m.put("actor", e.actor());
        m.put("data", e.data());
        return m;
    }

    /** The event as one line of JSON: the exact bytes a webhook signs and an SSE {@code data:} line carries. */
    public static String text(Event e) {
        try {
            return MAPPER.writeValueAsString(write(e));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("an event's data holds only JSON values", ex);
        }
    }

    public static Event read(JsonNode n) {
        JsonNode data = n.get("data");
        Map<String, Object> values = data == null || data.isNull() ? Map.of() : MAPPER.convertValue(data, OBJECT);
        return new Event(n.path("id").asLong(), JsonFields.text(n, "type"), Instant.parse(JsonFields.text(n, "time")),
                JsonFields.text(n, "environment"), JsonFields.text(n, "template"), JsonFields.text(n, "region"),
                JsonFields.text(n, "group"), JsonFields.text(n, "actor"), values);
    }
}
