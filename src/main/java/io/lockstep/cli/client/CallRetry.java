package io.lockstep.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Only {@code 409} is retried (the seed contract: 400/401/403/422/503 and connection errors are
 * terminal), until {@code budget} is spent, and only when the server marks it
 * {@code "retryable": true} (from its error catalogue, {@code domain/Problem}): a fence is lifted in
 * time, a digest mismatch never resolves by waiting. Between attempts the CLI waits what the server
 * asks ({@code Retry-After}), else {@code interval}; when the server asks for longer than the budget
 * has left (a fence ending after it), waiting is pointless and the CLI stops at once.
 */
public record CallRetry(Duration interval, Duration budget) {
    /** Servers from before the {@code retryable} field: the 409s they send that waiting cannot change. */
    static final Set<String> PERMANENT_CONFLICTS_OF_OLDER_SERVERS =
            Set.of("RELEASE_CONFLICT", "DIGEST_CONFLICT", "NOTHING_TO_ROLL_BACK");
    /** The longest single wait whatever the server asks: asking again sooner is harmless, it answers anew. */
    static final Duration LONGEST_WAIT = Duration.ofMinutes(5);
    /** The shortest wait after a {@code Retry-After: 0}, so a server asking for "now" is not hammered. */
    static final Duration SHORTEST_WAIT = Duration.ofMillis(250);

    public static final CallRetry NONE = new CallRetry(Duration.ZERO, Duration.ZERO);

    public boolean retryable(ApiResponse r) {
        if (r.status() != 409) {
            return false;
        }
        JsonNode flag = r.json().path("retryable");
        return flag.isBoolean() ? flag.booleanValue() : !PERMANENT_CONFLICTS_OF_OLDER_SERVERS.contains(r.code());
    }

    /**
     * What to do after a retryable answer with {@code left} of the budget remaining: wait {@code delay}, or
     * stop ({@code delay} null) with {@code reason} (null when the budget is simply spent).
     */
    public record Next(Duration delay, String reason) {
        public boolean stop() {
            return delay == null;
        }
    }

    /** The wait the server asked for: its {@code Retry-After}, else (a proxy may drop headers) its {@code retry_after_seconds}. */
    static Optional<Duration> asked(ApiResponse r, Instant now) {
        Optional<Duration> header = RetryAfter.parse(r.retryAfter(), now);
        if (header.isPresent()) {
            return header;
        }
        JsonNode seconds = r.json().path("retry_after_seconds");
        return seconds.isIntegralNumber() && seconds.asLong() >= 0
                ? RetryAfter.parse(Long.toString(seconds.asLong()), now) : Optional.empty();
    }

    public Next next(ApiResponse r, String environment, Duration left, Instant now) {
        Optional<Duration> asked = asked(r, now);
        if (asked.isPresent() && asked.get().compareTo(left) > 0) {
            return new Next(null, outlasting(r, environment, asked.get(), left));
        }
        Duration wait = asked.map(this::bounded).orElse(interval);
        return wait.compareTo(left) > 0 ? new Next(null, null) : new Next(wait, null);
    }

    private Duration bounded(Duration asked) {
        Duration floor = interval.compareTo(SHORTEST_WAIT) < 0 ? interval : SHORTEST_WAIT;
        return asked.compareTo(floor) < 0 ? floor : asked.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : asked;
    }

    /** Whole seconds once there is at least one: "89s", not "89739ms". */
    private static String roughly(Duration d) {
        return d.compareTo(Duration.ofSeconds(1)) >= 0 ? d.toSeconds() + "s" : LockstepClient.human(d);
    }

    /** One line naming the environment, the fence or freeze window, its end and the budget; server text is escaped. */
    private String outlasting(ApiResponse r, String environment, Duration asked, Duration left) {
        JsonNode b = r.json();
        String budgetPart = "the retry budget (" + LockstepClient.human(budget) + ", " + roughly(left)
                + " left); not retrying";
        if ("FENCED".equals(r.code())) {
            String end = b.path("expires_at").asText("in " + roughly(asked));
            return Printable.text("environment " + environment + " is fenced"
                    + (b.hasNonNull("fence_id") ? " (fence " + b.path("fence_id").asText() : " (fence")
                    + (b.hasNonNull("fenced_by") ? " by " + b.path("fenced_by").asText() : "")
                    + (b.hasNonNull("reason") ? ": " + b.path("reason").asText() : "") + ")"
                    + " until " + end + ", beyond " + budgetPart);
        }
        if ("FROZEN".equals(r.code()) && b.hasNonNull("window")) {
            return Printable.text("environment " + environment + " is frozen by window " + b.path("window").asText()
                    + " until " + b.path("frozen_until").asText("in " + roughly(asked))
                    + (b.hasNonNull("zone") ? " (" + b.path("zone").asText() + ")" : "") + ", beyond " + budgetPart);
        }
        if ("LINE_STOPPED".equals(r.code()) && b.hasNonNull("stopped_by")) {
            return Printable.text("environment " + environment + " is stopped"
                    + (b.hasNonNull("group") ? " for group " + b.path("group").asText() : "") + " by "
                    + b.path("stopped_by").asText() + " (" + b.path("reason").asText() + ") until "
                    + b.path("until").asText("in " + roughly(asked)) + ", beyond " + budgetPart);
        }
        return Printable.text("environment " + environment + ": the server asks to retry " + (r.code() == null ? ""
                : r.code() + " ") + "after " + roughly(asked) + ", beyond " + budgetPart);
    }
}
