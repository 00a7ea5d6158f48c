package io.lockstep.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.ImageStatus;
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
        return write(pin, ImageStatus.UNKNOWN);
    }

    /** {@code image_status}: what the pinned-image audit last found for this digest (present, gone, unknown). */
    public static Map<String, Object> write(Pin pin, ImageStatus status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("environment", pin.key().environment());
        body.put("template_name", pin.key().template());
        body.put("image_ref", pin.imageRef());
        body.put("image_digest", pin.digest());
        body.put("region", pin.key().region());
        body.put("image_status", status.wire());
        body.put("pin", PinJson.write(pin));
        return body;
    }

    /** The answer's {@code image_status} ({@code unknown} from a server that does not send it). */
    public static String imageStatus(JsonNode answer) {
        return answer.path("image_status").asText(ImageStatus.UNKNOWN.wire());
    }

    /** The pin the answer was resolved from. */
    public static Pin read(JsonNode answer) {
        return PinJson.read(answer.path("pin"));
    }
}
