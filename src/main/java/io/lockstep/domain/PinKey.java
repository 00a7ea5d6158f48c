package io.lockstep.domain;

/** The identity of a pin: (environment, template, region). */
public record PinKey(String environment, String template, String region) {
    /** The order pins are listed in everywhere: environment, template, region. */
    public static final java.util.Comparator<PinKey> ORDER = java.util.Comparator.comparing(PinKey::environment)
            .thenComparing(PinKey::template).thenComparing(PinKey::region);

    public PinKey {
        region = region == null || region.isEmpty() ? Names.DEFAULT_REGION : region;
    }

    /**
     * Mixed, not the record's {@code 31 * h + …}: names that differ in a digit or two (env-01 … env-49 × t-000 …
     * t-199) make that sum collide in whole classes (a 10,000-pin snapshot had ~1,100 distinct hashes), so every
     * map of pins (the snapshot, the drift engine's positions) degraded to ~9 {@code equals} per lookup: the top
     * frame of the matrix at 50 × 200 in bench/dashboard.sh. Multiplying by a large odd constant between parts
     * keeps small differences in one part from cancelling those in another.
     */
    @Override
    public int hashCode() {
        int h = java.util.Objects.hashCode(environment);
        h = h * 0x9E3779B1 + java.util.Objects.hashCode(template);
        h = h * 0x9E3779B1 + region.hashCode();
        return h ^ (h >>> 16);
    }

    @Override
    public String toString() {
        return environment + "/" + template + "/" + region;
    }
}
