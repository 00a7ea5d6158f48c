package io.lockstep.cli.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} header (RFC 9110 section 10.2.3): delta-seconds or an HTTP-date. Anything else is
 * ignored (the caller falls back to its own interval) rather than trusted: a header is server text.
 */
public final class RetryAfter {
    /** Longer than any budget worth having; bounds the arithmetic of absurd values. */
    static final Duration LONGEST = Duration.ofDays(365);

    private RetryAfter() {
    }

    /** How long the server asks to wait from {@code now}; empty when the header is absent or unreadable. */
    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null) {
            return Optional.empty();
        }
        String v = header.trim();
        if (v.matches("\\d{1,18}")) {
            Duration d = Duration.ofSeconds(Long.parseLong(v));
            return Optional.of(d.compareTo(LONGEST) > 0 ? LONGEST : d);
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            // A date in the past (or a clock ahead of the server's) means "now", not a negative wait.
            return Optional.of(d.isNegative() ? Duration.ZERO : d.compareTo(LONGEST) > 0 ? LONGEST : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
