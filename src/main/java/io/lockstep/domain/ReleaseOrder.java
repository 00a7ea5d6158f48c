package io.lockstep.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Which of a group's releases is newer. Registration order decides, not the runtime version: the
 * release registered last ({@code createdAt}) is the newest, equal instants are ordered by id so the
 * order is total. Drift (behind, current) and discovery (holds, "already on a newer release") both ask
 * this one rule, so a release drift calls newest is the one discovery will not overwrite.
 */
public final class ReleaseOrder {
    /** Oldest first. */
    public static final Comparator<Release> OLDEST_FIRST = Comparator.comparing(Release::createdAt).thenComparing(Release::id);

    private ReleaseOrder() {
    }

    public static boolean isNewer(Release candidate, Release than) {
        return OLDEST_FIRST.compare(candidate, than) > 0;
    }

    /**
     * The newest of {@code releases} with an image for {@code template} that was registered no later
     * than {@code at}: what "the newest release" meant at that moment.
     */
    public static Optional<Release> newestFor(Collection<Release> releases, String template, Instant at) {
        return releases.stream()
                .filter(r -> r.images().containsKey(template) && !r.createdAt().isAfter(at))
                .max(OLDEST_FIRST);
    }
}
