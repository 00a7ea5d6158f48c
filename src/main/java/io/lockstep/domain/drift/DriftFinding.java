package io.lockstep.domain.drift;

import io.lockstep.domain.PinKey;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The drift of one (environment, template, region).
 *
 * @param group                 the lock-step group (the template's own name when it has none)
 * @param status                the primary status (see {@link DriftStatus} for precedence)
 * @param flags                 every other status that also applies; never contains {@code status} or {@code CURRENT}
 * @param pinnedDigest          null when {@code MISSING}
 * @param currentReleaseId      the newest registered release holding the pinned digest; null when {@code MISSING} or {@code UNKNOWN}
 * @param currentRuntimeVersion that release's runtime version, or the pin's own runtime version when no release holds the digest
 * @param newestReleaseId       the newest release of the group with an image for this template; null when the group has none
 * @param releasesBehind        registered releases (with an image for this template) newer than the current release
 * @param behindSince           createdAt of the first of those; null when not behind
 * @param age                   time since the pin was promoted; null when {@code MISSING}
 * @param explanation           one sentence a human can act on
 */
public record DriftFinding(String environment, String template, String region, String group, DriftStatus status,
                           Set<DriftStatus> flags, String pinnedDigest, String currentReleaseId,
                           String currentRuntimeVersion, String newestReleaseId, String newestRuntimeVersion,
                           int releasesBehind, Instant behindSince, Duration age, String explanation) {
    public DriftFinding {
        flags = flags == null || flags.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(flags));
    }

    public PinKey key() {
        return new PinKey(environment, template, region);
    }

    /** True when the primary status or any flag is in {@code statuses} (the {@code --fail-on} rule). */
    public boolean matches(Set<DriftStatus> statuses) {
        if (statuses.contains(status)) {
            return true;
        }
        for (DriftStatus flag : flags) {
            if (statuses.contains(flag)) {
                return true;
            }
        }
        return false;
    }

    public boolean has(DriftStatus s) {
        return status == s || flags.contains(s);
    }
}
