package io.lockstep.domain.drift;

import io.lockstep.domain.PinKey;
import io.lockstep.domain.Refusal;

import java.util.Map;
import java.util.Set;

/**
 * Facts the drift engine cannot derive from pins and releases; adapters (registry audit, tag
 * mirror, watcher, release promotion) supply them.
 *
 * @param imageGone          pins whose digest the registry no longer has
 * @param mirrorStale        pins whose environment mirror tag has not been moved to the pinned digest
 * @param holds              pins a person promoted by hand to an older release, with the reason discovery left them alone
 * @param inFlightReleaseIds releases currently being promoted (to any environment): pins behind exactly
 *                           such a release are {@code IN_FLIGHT} whatever the grace period says
 * @param catchUpRefusals    for pins that are behind, in environments with a promotion policy: the promotion
 *                           gate's first refusal of the change that would catch the pin up (absent: the gate
 *                           was not asked, or would let it through)
 */
public record DriftSignals(Set<PinKey> imageGone, Set<PinKey> mirrorStale, Map<PinKey, String> holds,
                           Set<String> inFlightReleaseIds, Map<PinKey, Refusal> catchUpRefusals) {
    public DriftSignals {
        imageGone = imageGone == null ? Set.of() : Set.copyOf(imageGone);
        mirrorStale = mirrorStale == null ? Set.of() : Set.copyOf(mirrorStale);
        holds = holds == null ? Map.of() : Map.copyOf(holds);
        inFlightReleaseIds = inFlightReleaseIds == null ? Set.of() : Set.copyOf(inFlightReleaseIds);
        catchUpRefusals = catchUpRefusals == null ? Map.of() : Map.copyOf(catchUpRefusals);
    }

    public DriftSignals(Set<PinKey> imageGone, Set<PinKey> mirrorStale, Map<PinKey, String> holds,
                        Set<String> inFlightReleaseIds) {
        this(imageGone, mirrorStale, holds, inFlightReleaseIds, null);
    }

    public DriftSignals withCatchUpRefusals(Map<PinKey, Refusal> refusals) {
        return new DriftSignals(imageGone, mirrorStale, holds, inFlightReleaseIds, refusals);
    }

    public static DriftSignals none() {
        return new DriftSignals(null, null, null, null);
    }

    public DriftSignals withImageGone(Set<PinKey> keys) {
        return new DriftSignals(keys, mirrorStale, holds, inFlightReleaseIds, catchUpRefusals);
    }

    public DriftSignals withMirrorStale(Set<PinKey> keys) {
        return new DriftSignals(imageGone, keys, holds, inFlightReleaseIds, catchUpRefusals);
    }

    public DriftSignals withHolds(Map<PinKey, String> reasons) {
        return new DriftSignals(imageGone, mirrorStale, reasons, inFlightReleaseIds, catchUpRefusals);
    }

    public DriftSignals withInFlight(Set<String> releaseIds) {
        return new DriftSignals(imageGone, mirrorStale, holds, releaseIds, catchUpRefusals);
    }
}
