package io.lockstep.config;

import java.time.Duration;

/**
 * {@code events.stream}: the limits of the live event stream ({@code GET /api/v1/events} as Server-Sent Events).
 * Each open stream holds one of the server's request permits (and a thread) for as long as it is open, so
 * {@code max_clients} stays well under the request limit (100) that keeps the rest of the API answering.
 *
 * @param maxClients streams open at once; one more is refused 503 {@code SERVER_BUSY} with {@code Retry-After}
 * @param heartbeat  an idle stream sends a comment this often, so proxies keep it open and a gone client is noticed
 * @param poll       an idle stream re-reads the outbox this often even without a change notification (safety net)
 */
public record EventStreamSection(int maxClients, Duration heartbeat, Duration poll) {
    public static final EventStreamSection DEFAULT = new EventStreamSection(32, Duration.ofSeconds(15),
            Duration.ofSeconds(5));

    /** Reads {@code events.stream} of the configuration document {@code root}. */
    public static EventStreamSection parse(ConfigNode root) {
        ConfigNode stream = root.get("events").requireObject().get("stream").requireObject();
        stream.allowOnly("max_clients", "heartbeat", "poll");
        int max = stream.integer("max_clients", DEFAULT.maxClients(), 1, 64);
        Duration heartbeat = stream.duration("heartbeat", DEFAULT.heartbeat());
        Duration poll = stream.duration("poll", DEFAULT.poll());
        requireBetween("events.stream.heartbeat", heartbeat, Duration.ofMillis(100), Duration.ofSeconds(25));
        requireBetween("events.stream.poll", poll, Duration.ofMillis(100), Duration.ofMinutes(1));
        return new EventStreamSection(max, heartbeat, poll);
    }

    private static void requireBetween(String key, Duration d, Duration min, Duration max) {
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            // Above 25 s an idle stream would outlive the connection idle timeout (30 s) between heartbeats.
            throw new ConfigException(key, "must be from " + min.toMillis() + "ms to " + max.toSeconds() + "s");
        }
    }
}
