package io.lockstep.service.registry;

import io.lockstep.domain.drift.DriftSignals;

/**
 * What the registry features tell drift: vanished images (audit), stale mirrors and holds. The
 * composition root hands {@link #current} to drift as its signal source, so the features need not
 * know drift's port.
 */
public final class RegistrySignals {
    private final PinnedImageAudit audit;
    private final TagMirror mirror;
    private final Holds holds;

    public RegistrySignals(PinnedImageAudit audit, TagMirror mirror, Holds holds) {
        this.audit = audit;
        this.mirror = mirror;
        this.holds = holds;
    }

    /** The signals as of now: in-memory reads only. */
    public DriftSignals current() {
        return DriftSignals.none().withImageGone(audit.imageGone()).withMirrorStale(mirror.mirrorStale())
                .withHolds(holds.current());
    }
}
