package io.lockstep.domain.drift;

import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The drift status of one (environment, template, region).
 *
 * <p><b>The constants are declared in precedence order</b>: when several statuses apply to one
 * pin, the first one declared here becomes the finding's primary {@link DriftFinding#status()}
 * and the others go to {@link DriftFinding#flags()}. The order answers "what must a human fix
 * first": a pin that does not exist or points at a vanished image breaks provisioning now; a pin
 * whose position is unknown or deliberately held needs a person before anything else makes sense;
 * a pin past its grace period ({@code STUCK}) outranks a split group, which outranks ordering
 * anomalies and a stale registry tag, which outrank a pin moved without verified provenance
 * ({@code UNVERIFIED}: who moved it is unproven, but it runs what it should); a pin still inside its grace period ({@code IN_FLIGHT}) only
 * needs patience. {@code CURRENT} is the absence of drift and never appears as a flag.
 */
public enum DriftStatus {
    /** no pin at all for an expected (environment, template, region) */
    MISSING,
    /** the pinned digest is no longer in the registry (signal from the pinned-image audit) */
    IMAGE_GONE,
    /** the pinned digest belongs to no registered release of the template's group (a hand promote) */
    UNKNOWN,
    /** a hand promote to an older release that discovery did not overwrite (signal from the watcher) */
    HELD,
    /** behind a newer release for at least the grace period */
    STUCK,
    /** a lock-step group member on an older release than another member in the same environment and region */
    SPLIT,
    /**
     * behind, and the promotion gate would refuse the catch-up only because it is still soaking upstream
     * (the gate's first refusal is {@code SOAKING}); shown instead of {@code STUCK} / {@code IN_FLIGHT} /
     * {@code BEHIND_UPSTREAM}, below every status that means something is broken: an expected wait
     */
    SOAKING,
    /** as {@code SOAKING}, the gate's first refusal being {@code APPROVAL_REQUIRED}: waits for approvals */
    AWAITING_APPROVAL,
    /** as {@code SOAKING}, the gate's first refusal being {@code FROZEN} (a freeze window) or {@code LINE_STOPPED} */
    FROZEN,
    /** on an older release than its upstream environment, which has run the newer one for at least the grace period */
    BEHIND_UPSTREAM,
    /** on a release newer than the one its upstream environment runs */
    AHEAD_OF_UPSTREAM,
    /**
     * the environment's upstream lives on another server that could not be read (down, timed out,
     * refused the token), so neither upstream rule could be checked; ranks with them, as a blind
     * ordering check is as bad as a failed one
     */
    UPSTREAM_UNREACHABLE,
    /** the environment's mirror tag has not been moved to the pinned digest yet (signal from the mirror) */
    MIRROR_STALE,
    /**
     * last moved without verified provenance (declared or none) in an environment that requires
     * provenance; only there, since elsewhere nobody asked for it and every pin would be flagged
     */
    UNVERIFIED,
    /** behind a newer release, but still inside the grace period or that release is being promoted */
    IN_FLIGHT,
    /** on the newest registered release that has an image for this template */
    CURRENT;

    /** The lower-case name used on the wire, in metrics labels and in {@code --fail-on}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code stuck}, {@code in_flight} or {@code in-flight}; an unknown word is a 400 naming the valid ones. */
    public static DriftStatus fromWire(String value) {
        String normalised = value == null ? "" : value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (DriftStatus s : values()) {
            if (s.name().equals(normalised)) {
                return s;
            }
        }
        List<String> valid = new ArrayList<>();
        for (DriftStatus s : values()) {
            valid.add(s.wire());
        }
        throw new LockstepException(Problem.INVALID_DRIFT_STATUS, "unknown drift status "
                + Names.quoteForError(value == null ? "" : value) + "; use one of " + String.join(", ", valid) + ".");
    }

    /** Parses a comma-separated list such as {@code stuck,split,missing} (the form of {@code --fail-on}). */
    public static Set<DriftStatus> parseList(String commaSeparated) {
        Set<DriftStatus> out = EnumSet.noneOf(DriftStatus.class);
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return out;
        }
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                out.add(fromWire(part));
            }
        }
        return out;
    }

    /**
     * What {@code --fail-on default} fails on: every status that means something is wrong, i.e. all
     * but {@code CURRENT} and {@code IN_FLIGHT} (which only needs patience), and the policy waits
     * {@code SOAKING}, {@code AWAITING_APPROVAL} and {@code FROZEN} (the gate holding a pin back on purpose). Computed from the
     * constants, so a status added later is failed on without anyone remembering to list it.
     */
    public static Set<DriftStatus> failingByDefault() {
        return EnumSet.complementOf(EnumSet.of(CURRENT, IN_FLIGHT, SOAKING, AWAITING_APPROVAL, FROZEN));
    }

    /** The status that wins among {@code applicable}, by declaration order; {@code CURRENT} when none applies. */
    public static DriftStatus primaryOf(Collection<DriftStatus> applicable) {
        for (DriftStatus s : values()) {
            if (applicable.contains(s)) {
                return s;
            }
        }
        return CURRENT;
    }
}
