package io.lockstep.cli.client;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The picocli mixin for writes: {@code --retry-interval} (default 5s; a server's Retry-After wins) and {@code --retry-budget} (default 180s). */
public final class RetryOptions {
    @Option(names = "--retry-interval", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Wait between retries of a 409 when the server sends no Retry-After (e.g. 500ms, 5s, 1m). Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Option(names = "--retry-budget", paramLabel = "DURATION", defaultValue = "180s", converter = DurationConverter.class,
            description = "Give up retrying 409s after this long. Default: ${DEFAULT-VALUE}.")
    Duration budget;

    public CallRetry policy() {
        return new CallRetry(interval, budget);
    }

    /** {@code 500ms}, {@code 5s}, {@code 3m}, {@code 1h}; a bare number is seconds. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern FORM = Pattern.compile("^(\\d{1,9})(ms|s|m|h)?$");

        @Override
        public Duration convert(String value) {
            Matcher m = FORM.matcher(value.trim());
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a duration like 500ms, 5s, 3m or 1h");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        }
    }
}
