package io.lockstep.domain.webhook;

import java.time.Instant;

/**
 * One row of a subscription's delivery log: the latest attempt to deliver {@code eventId}. {@code status} is
 * {@value #DELIVERED}, {@value #FAILING} (not delivered yet, still being retried) or {@value #QUEUED} (a
 * redelivery asked for); {@code httpStatus} is 0 when no response came; {@code lastError} a capped excerpt.
 */
public record Delivery(String subscription, long eventId, String status, int httpStatus, long latencyMs,
                       int attempts, String lastError, Instant at) {
    public static final String DELIVERED = "delivered";
    public static final String FAILING = "failing";
    public static final String QUEUED = "queued";
    /** What is kept of an error or a response: enough to recognise it, never a whole body. */
    public static final int MAX_ERROR_CHARS = 200;

    public static String excerpt(String text) {
        if (text == null) {
            return null;
        }
        String one = text.replaceAll("\\s+", " ").strip();
        return one.length() > MAX_ERROR_CHARS ? one.substring(0, MAX_ERROR_CHARS) + "…" : one;
    }
}
