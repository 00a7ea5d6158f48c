package io.lockstep.domain.drift;

import io.lockstep.domain.Pin;
import io.lockstep.domain.Release;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Every status that applies to one pin, plus the facts that made them apply, so the explanation
 * can name them without recomputing anything.
 *
 * @param graceEndsAt    when the pin turns (or turned) {@code STUCK}; null when not behind
 * @param inFlight       the newest release is in the in-flight set
 * @param leader         for {@code SPLIT}: the release the other members are on
 * @param leaderMembers  for {@code SPLIT}: the members on {@code leader}
 * @param upstream       for {@code AHEAD_OF_UPSTREAM} / {@code BEHIND_UPSTREAM}: the upstream environment's name
 * @param upstreamRelease for {@code AHEAD_OF_UPSTREAM} / {@code BEHIND_UPSTREAM}: the release the upstream environment is on
 * @param upstreamPin    for {@code BEHIND_UPSTREAM}: the upstream's pin (its digest, and since when it has it)
 * @param holdReason     for {@code HELD}
 * @param offRelease     for {@code SPLIT}: other members pinned to a digest no release of the group holds
 *                       (for an {@code UNKNOWN} pin, {@code leaderMembers} names the members still on a release)
 * @param unreachableReason for {@code UPSTREAM_UNREACHABLE}: why the remote upstream could not be read
 * @param gateReason     for {@code SOAKING} / {@code AWAITING_APPROVAL} / {@code FROZEN}: the gate's refusal sentence
 */
record Verdict(Set<DriftStatus> statuses, Instant graceEndsAt, boolean inFlight, Release leader,
               List<String> leaderMembers, String upstream, Release upstreamRelease, String holdReason,
               List<String> offRelease, Pin upstreamPin, String unreachableReason, String gateReason) {

    Verdict(Set<DriftStatus> statuses, Instant graceEndsAt, boolean inFlight, Release leader,
            List<String> leaderMembers, String upstream, Release upstreamRelease, String holdReason,
            List<String> offRelease, Pin upstreamPin, String unreachableReason) {
        this(statuses, graceEndsAt, inFlight, leader, leaderMembers, upstream, upstreamRelease, holdReason, offRelease,
                upstreamPin, unreachableReason, null);
    }

    DriftStatus primary() {
        return DriftStatus.primaryOf(statuses);
    }
}
