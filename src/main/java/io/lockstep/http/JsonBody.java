package io.lockstep.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import io.lockstep.domain.ErrorKind;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Names;
import org.eclipse.jetty.http.BadMessageException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A strictly parsed JSON request body. Duplicate keys, trailing content, unknown fields and wrong
 * types are all 400s with a sentence naming the field: a typo such as {@code expected_digets} must
 * never be silently ignored, because it would turn a compare-and-set into a blind write.
 */
public final class JsonBody {
    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private final JsonNode node;

    private JsonBody(JsonNode node) {
        this.node = node;
    }

    public static JsonBody read(Context ctx) {
        return read(ctx, DEFAULT_LIMIT);
    }

    public static JsonBody read(Context ctx, int maxBytes) {
        String type = ctx.contentType();
        if (type != null && !type.isBlank()) {
            String mime = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
            if (!mime.equals("application/json") && !mime.endsWith("+json")) {
                throw new LockstepException(Problem.UNSUPPORTED_MEDIA_TYPE, "Send the body as JSON with "
                        + "Content-Type: application/json; got " + Names.quoteForError(mime) + ".");
            }
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            if (e.getCause() instanceof java.util.concurrent.TimeoutException) {
                throw new BadMessageException(408, "request body idle"); // the connection's idle timeout (RequestLimits)
            }
            throw new LockstepException(Problem.UNREADABLE_BODY, "The request body could not be read.");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        if (bytes.length == 0) {
            throw new LockstepException(Problem.EMPTY_BODY, "The request needs a JSON object body.");
        }
        JsonNode parsed;
        try {
            parsed = STRICT.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new LockstepException(Problem.MALFORMED_JSON, "The body is not valid JSON: " + e.getOriginalMessage()
                    .lines().findFirst().orElse("parse error") + ".");
        } catch (IOException e) {
            throw new LockstepException(Problem.MALFORMED_JSON, "The body is not valid JSON.");
        }
        if (parsed == null || !parsed.isObject()) {
            throw new LockstepException(Problem.MALFORMED_JSON, "The body must be a JSON object.");
        }
        return new JsonBody(parsed);
    }

    private static LockstepException tooLarge(int maxBytes) {
        return new LockstepException(Problem.BODY_TOO_LARGE, "The request body is larger than "
                + maxBytes + " bytes.");
    }

    public JsonBody allowOnly(String... fields) {
        Set<String> allowed = Set.of(fields);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new LockstepException(Problem.UNKNOWN_FIELD, "Unknown field " + Names.quoteForError(f)
                        + "; allowed fields are " + String.join(", ", new java.util.TreeSet<>(allowed)) + ".");
            }
        }
        return this;
    }

    public boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    public String string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new LockstepException(Problem.WRONG_TYPE, field + " must be a string.");
        }
        return v.textValue();
    }

    public String requiredString(String field) {
        String v = string(field);
        if (v == null || v.isEmpty()) {
            throw new LockstepException(Problem.MISSING_FIELD, field + " is required.");
        }
        return v;
    }

    public Long integer(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new LockstepException(Problem.WRONG_TYPE, field + " must be a whole number.");
        }
        return v.longValue();
    }

    public Boolean bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new LockstepException(Problem.WRONG_TYPE, field + " must be true or false.");
        }
        return v.booleanValue();
    }

    /** An object whose values are all strings (images, exclude, provenance). */
    public Map<String, String> stringMap(String field) {
        JsonNode v = node.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw new LockstepException(Problem.WRONG_TYPE, field + " must be an object of strings.");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new LockstepException(Problem.WRONG_TYPE, field + "." + e.getKey() + " must be a string.");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    public java.util.List<String> stringList(String field) {
        JsonNode v = node.get(field);
        java.util.List<String> out = new java.util.ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new LockstepException(Problem.WRONG_TYPE, field + " must be a list of strings.");
        }
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw new LockstepException(Problem.WRONG_TYPE, field + " must be a list of strings.");
            }
            out.add(item.textValue());
        }
        return out;
    }

    public JsonNode raw() {
        return node;
    }
}
