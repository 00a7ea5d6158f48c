package io.lockstep.domain;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * How a watch orders the versions it reads from tags (after {@code extract}). {@code DIGEST} does
 * not order at all: it follows one mutable tag and reacts when its digest changes.
 */
public enum TagPolicy {
    /** semantic versions ({@code v0.3.44}), optionally limited by a constraint */
    SEMVER,
    /** plain string order: timestamps such as {@code 20260105-1412} */
    LEXICAL,
    /** numbers: build or run numbers such as {@code 4388} */
    NUMERICAL,
    /** one mutable tag ({@code latest}, {@code main}); a new digest under it is a new build */
    DIGEST;

    public static TagPolicy parse(String text) {
        for (TagPolicy p : values()) {
            if (p.name().equals(text == null ? "" : text.trim().toUpperCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("must be semver, lexical, numerical or digest");
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True if {@code version} can be ordered under this policy (and passes the semver constraint). */
    public boolean accepts(String version, Optional<SemVerRange> constraint) {
        return switch (this) {
            case SEMVER -> SemVer.parse(version).filter(v -> constraint.map(c -> c.test(v)).orElse(!v.isPreRelease())).isPresent();
            case NUMERICAL -> numeric(version).isPresent();
            case LEXICAL -> true;
            case DIGEST -> false;
        };
    }

    /** Orders accepted versions, oldest first. */
    public Comparator<String> order() {
        return switch (this) {
            case SEMVER -> Comparator.comparing(v -> SemVer.parse(v).orElseThrow());
            case NUMERICAL -> Comparator.comparing(v -> numeric(v).orElseThrow());
            default -> Comparator.naturalOrder();
        };
    }

    private static Optional<BigDecimal> numeric(String v) {
        if (!v.matches("^\\d+(\\.\\d+)?$")) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(v));
    }
}
