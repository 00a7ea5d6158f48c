package io.lockstep.domain;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A change to a release after its registration: {@code replaced} (registered again with other
 * digests) or {@code withdrawn}. Only a release that no pin and no history entry ever used may
 * change ({@link #requireUnused}), so the history never refers to a release whose content moved.
 *
 * @param imagesAfter the new digests of a replacement; empty for a withdrawal
 */
public record ReleaseEvent(String releaseId, String group, Kind kind, Map<String, String> imagesBefore,
                           Map<String, String> imagesAfter, String actor, String reason, Instant at) {
    public enum Kind {
        REPLACED, WITHDRAWN;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind fromWire(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public ReleaseEvent {
        imagesBefore = imagesBefore == null ? Map.of() : Map.copyOf(new TreeMap<>(imagesBefore));
        imagesAfter = imagesAfter == null ? Map.of() : Map.copyOf(new TreeMap<>(imagesAfter));
    }

    /**
     * The rule for changing a release: only while nothing used it. Once promoted (or excluded) into any
     * environment the history names it, so its content is fixed for good: {@code 409 RELEASE_CONFLICT}.
     *
     * @param usedIn environments whose pins or history name the release
     */
    public static void requireUnused(Release release, java.util.Collection<String> usedIn, String attempted) {
        if (!usedIn.isEmpty()) {
            throw new LockstepException(Problem.RELEASE_CONFLICT, "Release " + release.id() + " was already promoted to "
                    + String.join(", ", new java.util.TreeSet<>(usedIn)) + ", so it cannot be " + attempted
                    + "; a runtime version names one build only. Register the fixed build under a new runtime version.",
                    Map.of("release_id", release.id(), "promoted_to", java.util.List.copyOf(new java.util.TreeSet<>(usedIn))));
        }
    }

    /**
     * The rule for who may change a release: a token whose reach covers every environment the release
     * is vouched for, so a staging-only token cannot withdraw what a prod token registered.
     */
    public static void requireReach(Release release, Registrants caller, String attempted) {
        Registrants owners = release.registrants();
        boolean covers = caller.everyEnvironment()
                || (!owners.everyEnvironment() && caller.environments().containsAll(owners.environments()));
        if (!covers) {
            throw new LockstepException(Problem.FORBIDDEN, "Release " + release.id() + " is vouched for "
                    + (owners.everyEnvironment() ? "every environment" : String.join(", ", owners.environments()))
                    + "; a token limited to " + String.join(", ", caller.environments()) + " may not have it " + attempted + ".",
                    Map.of("release_id", release.id()));
        }
    }
}
