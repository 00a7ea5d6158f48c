package io.lockstep.service.registry;

import io.lockstep.domain.Watch;
import io.lockstep.oci.RegistriesConfig;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The background threads of the registry features: the tag-mirror worker, and the scheduler that
 * runs the pinned-image audit (with the mirror tag audit), mirror retries and every watch's poll. Created before the features
 * (they run on its threads) and started once they all exist.
 */
public final class RegistryJobs implements AutoCloseable {
    private final ExecutorService mirrorWorker = Executors.newSingleThreadExecutor(daemon("lockstep-tag-mirror"));
    private final ScheduledExecutorService jobs = Executors.newScheduledThreadPool(2, daemon("lockstep-registry"));

    /** Where {@link TagMirror} moves tags, one at a time. */
    public ExecutorService mirrorWorker() {
        return mirrorWorker;
    }

    /** Where {@link Watcher} runs triggered discoveries. */
    public Executor discoveries() {
        return jobs;
    }

    /** Schedules the audit, the mirror reconciliation and the watch polls; nothing when no registry is configured. */
    public void start(RegistriesConfig config, TemplateRegistries registries, PinnedImageAudit audit, TagMirror mirror,
                      Watcher watcher) {
        if (registries.isEmpty()) {
            return;
        }
        if (!config.auditInterval().isZero()) {
            long s = config.auditInterval().toSeconds();
            jobs.scheduleWithFixedDelay(() -> auditQuietly(audit, mirror), Math.min(s, 10), Math.max(1, s), TimeUnit.SECONDS);
        }
        jobs.schedule(() -> mirror.reconcile(true), 1, TimeUnit.SECONDS);
        long retry = Math.max(1, config.mirrorRetryInterval().toSeconds());
        jobs.scheduleWithFixedDelay(() -> mirror.reconcile(false), retry, retry, TimeUnit.SECONDS);
        List<Watch> watches = watcher.watches();
        for (Watch w : watches) {
            long every = Math.max(1, w.interval().toSeconds());
            jobs.scheduleWithFixedDelay(() -> watcher.trigger(w), 0, every, TimeUnit.SECONDS);
        }
    }

    private static void auditQuietly(PinnedImageAudit audit, TagMirror mirror) {
        try {
            audit.runOnce();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(RegistryJobs.class).warn("pinned-image audit failed: {}", e.getMessage());
        }
        try {
            mirror.auditTags(); // a tag moved by hand is noticed on the audit's interval, not only at restart
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(RegistryJobs.class).warn("mirror tag audit failed: {}", e.getMessage());
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
