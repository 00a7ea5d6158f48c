package io.lockstep.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.http.Context;
import io.lockstep.domain.Problem;

import java.util.LinkedHashMap;
import java.util.Map;

/** Writes JSON responses and the uniform error body {@code {"error": …, "code": …, "retryable": …}}. */
public final class Respond {
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Respond() {
    }

    public static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serialisable", e);
        }
    }

    public static void error(Context ctx, int status, String code, String message, Map<String, Object> details) {
        Map<String, Object> body = errorBody(code, message);
        body.putAll(details);
        json(ctx, status, body);
    }

    /** {@code retryable} comes from the {@link Problem} catalogue: clients retry on it, not on their own list. */
    public static Map<String, Object> errorBody(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("code", code);
        body.put("retryable", Problem.isRetryable(code));
        return body;
    }

    public static byte[] bytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serialisable", e);
        }
    }
}
