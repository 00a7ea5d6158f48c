package io.lockstep.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * What a target answered: HTTP status, raw body and the body as JSON (MissingNode if not JSON).
 * A connection failure is status 0 with {@code transportError} set, so callers handle every
 * outcome in one place instead of catching exceptions per call. {@code maybeDelivered} is true when
 * the request may have reached the server although no answer came (a timeout, a connection cut
 * after connecting): a write in that state may yet be applied, so it is neither success nor failure.
 * {@code retryAfter} is the raw {@code Retry-After} header, or null.
 */
public record ApiResponse(int status, String body, JsonNode json, String transportError, boolean maybeDelivered,
                          String retryAfter) {
    public ApiResponse(int status, String body, JsonNode json, String transportError) {
        this(status, body, json, transportError, false, null);
    }

    public ApiResponse(int status, String body, JsonNode json, String transportError, boolean maybeDelivered) {
        this(status, body, json, transportError, maybeDelivered, null);
    }

    /** The request never reached the server (refused, unresolvable, invalid, or never sent). */
    public static ApiResponse unreachable(String message) {
        return new ApiResponse(0, "", MissingNode.getInstance(), message, false);
    }

    /** The request may have reached the server, but no answer came. */
    public static ApiResponse noAnswer(String message) {
        return new ApiResponse(0, "", MissingNode.getInstance(), message, true);
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public boolean unreachable() {
        return status == 0;
    }

    /** The server's machine code ({@code FENCED}, {@code FORBIDDEN}, …) or null. */
    public String code() {
        return json.path("code").asText(null);
    }

    /** One line for humans: {@code HTTP 403 {"error":…}} or {@code connection failed: …}; server text escaped. */
    public String describe() {
        if (unreachable()) {
            return (maybeDelivered ? "no answer: " : "connection failed: ") + Printable.text(transportError);
        }
        String oneLine = body == null ? "" : body.replaceAll("\\s*\\R\\s*", " ").trim();
        if (oneLine.length() > 2000) {
            oneLine = oneLine.substring(0, 2000) + "…";
        }
        return "HTTP " + status + (oneLine.isEmpty() ? "" : " " + Printable.text(oneLine));
    }
}
