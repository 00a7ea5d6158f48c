package io.lockstep.registry.watch;

import io.lockstep.config.ConfigException;
import io.lockstep.domain.drift.DriftSignals;
import io.lockstep.domain.Template;
import io.lockstep.domain.drift.DriftSignalSource;
import io.lockstep.registry.PinnedImageAudit;
import io.lockstep.registry.RegistriesConfig;
import io.lockstep.registry.Registries;
import io.lockstep.registry.RegistryImageVerifier;
import io.lockstep.registry.TagMirror;
import io.lockstep.service.Environments;
import io.lockstep.service.ImageVerifier;
import io.lockstep.service.PinService;
import io.lockstep.service.PromotionObserver;
import io.lockstep.service.ReleaseService;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.store.Store;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Everything the server does with registries, built from config in two steps because the pin
 * service sits in the middle: first the parts the pin service needs (verifier, mirror and hold
 * observers), then, once it exists, the watcher and the background jobs (the webhook route that
 * triggers the watcher lives in {@code http/}). Also
 * the {@link DriftSignalSource} that tells drift about vanished images, stale mirrors and holds.
 */
public final class RegistryFeatures implements DriftSignalSource, AutoCloseable {
    private final RegistriesConfig config;
    private final List<Watch> watches;
    private final Registries registries;
    private final PinnedImageAudit audit;
    private final TagMirror mirror;
    private final Holds holds = new Holds();
    private final ExecutorService mirrorWorker = Executors.newSingleThreadExecutor(daemon("lockstep-tag-mirror"));
    private final ScheduledExecutorService jobs = Executors.newScheduledThreadPool(2, daemon("lockstep-registry"));
    private Watcher watcher;

    public RegistryFeatures(RegistriesConfig config, List<Watch> watches, SnapshotHolder snapshot, Environments environments,
                            MeterRegistry meters) {
        this.config = config;
        this.watches = List.copyOf(watches);
        this.registries = new Registries(config);
        for (Watch w : watches) {
            for (Template t : w.members(snapshot.get().templates())) {
                if (registries.locate(t).isEmpty()) {
                    throw new ConfigException("watches", "watch " + w.name() + " covers " + t.name() + " in "
                            + t.repository() + ", which no entry under registries: covers");
                }
            }
        }
        this.audit = new PinnedImageAudit(registries, snapshot, meters);
        this.mirror = new TagMirror(registries, snapshot, environments, mirrorWorker);
    }

    public ImageVerifier verifier() {
        return registries.isEmpty() ? ImageVerifier.NONE : new RegistryImageVerifier(registries);
    }

    public List<PromotionObserver> observers() {
        return List.of(mirror, holds);
    }

    /** Second step: the watcher needs the pin and release services. Starts the background jobs. */
    public RegistryFeatures start(Store store, SnapshotHolder snapshot, Environments environments, ReleaseService releases,
                                  PinService pins, Clock clock) {
        this.watcher = new Watcher(watches, registries, snapshot, environments, store, releases, pins, holds, clock, jobs);
        if (registries.isEmpty()) {
            return this;
        }
        if (!config.auditInterval().isZero()) {
            long s = config.auditInterval().toSeconds();
            jobs.scheduleWithFixedDelay(this::auditQuietly, Math.min(s, 10), Math.max(1, s), TimeUnit.SECONDS);
        }
        jobs.schedule(() -> mirror.reconcile(true), 1, TimeUnit.SECONDS);
        long retry = Math.max(1, config.mirrorRetryInterval().toSeconds());
        jobs.scheduleWithFixedDelay(() -> mirror.reconcile(false), retry, retry, TimeUnit.SECONDS);
        for (Watch w : watches) {
            long every = Math.max(1, w.interval().toSeconds());
            jobs.scheduleWithFixedDelay(() -> watcher.trigger(w), 0, every, TimeUnit.SECONDS);
        }
        return this;
    }

    @Override
    public DriftSignals current() {
        return DriftSignals.none().withImageGone(audit.imageGone()).withMirrorStale(mirror.mirrorStale())
                .withHolds(holds.current());
    }

    public PinnedImageAudit audit() {
        return audit;
    }

    public TagMirror mirror() {
        return mirror;
    }

    public Watcher watcher() {
        return watcher;
    }

    public Registries registries() {
        return registries;
    }

    private void auditQuietly() {
        try {
            audit.runOnce();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(RegistryFeatures.class).warn("pinned-image audit failed: {}", e.getMessage());
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        jobs.shutdownNow();
        mirrorWorker.shutdownNow();
    }
}
