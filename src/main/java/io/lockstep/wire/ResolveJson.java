package io.lockstep.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Pin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer of {@code GET /api/v1/resolve}: the resolved image at the top, for callers that want
 * one field, and the whole pin that supplied it.
 */
public final class ResolveJson {
    private ResolveJson() {
    }

    public static Map<String, Object> write(Pin pin) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("environment", pin.key().environment());
        body.put("template_name", pin.key().template());
        body.put("image_ref", pin.imageRef());
        body.put("image_digest", pin.digest());
        body.put("region", pin.key().region());
        body.put("pin", PinJson.write(pin));
        return body;
    }

    /** The pin the answer was resolved from. */
    public static Pin read(JsonNode answer) {
        return PinJson.read(answer.path("pin"));
    }
}
