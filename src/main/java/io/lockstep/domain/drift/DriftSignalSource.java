package io.lockstep.domain.drift;

/**
 * Where the facts the drift engine cannot derive come from: vanished images and stale mirror tags
 * (registry audit), holds (watcher), releases being promoted right now. The registry adapter plugs
 * in its own source; until then drift sees none of these signals.
 */
@FunctionalInterface
public interface DriftSignalSource {
    DriftSignalSource NONE = DriftSignals::none;

    /** The signals as of now; called once per drift computation, so keep it to in-memory reads. */
    DriftSignals current();
}
