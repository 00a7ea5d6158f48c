package io.lockstep.service.drift;

import io.lockstep.domain.Environment;
import io.lockstep.domain.Release;
import io.lockstep.domain.UpstreamState;
import io.lockstep.domain.drift.DriftEngine;
import io.lockstep.domain.drift.DriftInput;
import io.lockstep.domain.drift.DriftReport;
import io.lockstep.domain.drift.DriftSignalSource;
import io.lockstep.service.Environments;
import io.lockstep.service.PinSnapshot;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.service.UpstreamPins;
import io.lockstep.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Feeds the pure {@link DriftEngine} from the running server: templates and pins from the in-memory
 * snapshot, environments (order and upstream) from config, registered releases from the store, the
 * server clock and the configured grace period. Cheap enough to run per request and per scrape:
 * releases are re-read only after the store reports a change.
 */
public final class DriftService {
    private final Store store;
    private final Environments environments;
    private final SnapshotHolder snapshot;
    private final Clock clock;
    private final Duration gracePeriod;
    private final DriftSignalSource signals;
    private final UpstreamPins upstreams;
    private final DriftEngine engine = new DriftEngine();
    private final AtomicBoolean releasesStale = new AtomicBoolean(true);
    private volatile List<Release> releases = List.of();

    public DriftService(Store store, Environments environments, SnapshotHolder snapshot, Clock clock,
                        Duration gracePeriod, DriftSignalSource signals) {
        this(store, environments, snapshot, clock, gracePeriod, signals, UpstreamPins.NONE);
    }

    /** @param upstreams the remote upstreams of environments whose upstream lives on another server */
    public DriftService(Store store, Environments environments, SnapshotHolder snapshot, Clock clock,
                        Duration gracePeriod, DriftSignalSource signals, UpstreamPins upstreams) {
        this.upstreams = upstreams == null ? UpstreamPins.NONE : upstreams;
        this.store = store;
        this.environments = environments;
        this.snapshot = snapshot;
        this.clock = clock;
        this.gracePeriod = gracePeriod;
        this.signals = signals == null ? DriftSignalSource.NONE : signals;
        store.onChange(change -> releasesStale.set(true));
    }

    public Duration gracePeriod() {
        return gracePeriod;
    }

    /** Everything the engine looks at, as of now. */
    public DriftInput input() {
        PinSnapshot snap = snapshot.get();
        List<Environment> all = environments.all();
        Map<String, UpstreamState> remote = new HashMap<>();
        for (Environment e : all) {
            UpstreamState state = upstreams.of(e.name());
            if (state != null) {
                remote.put(e.name(), state);
            }
        }
        return new DriftInput(List.copyOf(snap.templates()), all, List.copyOf(snap.pins()),
                releases(), clock.instant(), gracePeriod, signals.current(), remote);
    }

    public DriftReport report() {
        return report(input());
    }

    /** Drift of an input already read (so a caller that also looks at its pins reads them once). */
    public DriftReport report(DriftInput input) {
        return engine.compute(input);
    }

    private List<Release> releases() {
        // Clear the flag before reading so a change committed during the read marks the next call stale.
        if (releasesStale.getAndSet(false)) {
            try {
                releases = store.releases();
            } catch (RuntimeException e) {
                releasesStale.set(true);
                throw e;
            }
        }
        return releases;
    }
}
