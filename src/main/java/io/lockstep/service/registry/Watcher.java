package io.lockstep.service.registry;

import io.lockstep.domain.Environment;
import io.lockstep.domain.TagPolicy;
import io.lockstep.domain.Template;
import io.lockstep.domain.Watch;
import io.lockstep.service.Environments;
import io.lockstep.service.SnapshotHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the watches: on each interval or registry notification, {@link ReleaseDiscovery} turns the
 * registry's newest build into a release, then {@link AutoPromotion} moves the {@code auto_promote}
 * environments to it where policy and holds allow. Runs of one watch never overlap.
 */
public final class Watcher {
    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);
    private static final String ACTOR_PREFIX = "watch:";

    private final List<Watch> watches;
    private final TemplateRegistries registries;
    private final SnapshotHolder snapshot;
    private final Environments environments;
    private final ReleaseDiscovery discovery;
    private final AutoPromotion autoPromotion;
    private final Executor executor;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger running = new AtomicInteger();
    private final Map<String, Discovery> last = new ConcurrentHashMap<>();

    public Watcher(List<Watch> watches, TemplateRegistries registries, SnapshotHolder snapshot, Environments environments,
                   ReleaseDiscovery discovery, AutoPromotion autoPromotion, Executor executor) {
        this.watches = List.copyOf(watches);
        this.registries = registries;
        this.snapshot = snapshot;
        this.environments = environments;
        this.discovery = discovery;
        this.autoPromotion = autoPromotion;
        this.executor = executor;
    }

    /** True for the identity discovery promotes and registers under ({@code watch:<name>}). */
    public static boolean isWatcher(String actor) {
        return actor != null && actor.startsWith(ACTOR_PREFIX);
    }

    /** The identity {@code watch} registers and promotes under. */
    static String actor(Watch watch) {
        return ACTOR_PREFIX + watch.name();
    }

    public List<Watch> watches() {
        return watches;
    }

    /** The last discovery of a watch, if one ran. */
    public Optional<Discovery> last(String watch) {
        return Optional.ofNullable(last.get(watch));
    }

    /** True when no discovery is queued or running. */
    public boolean idle() {
        return queued.isEmpty() && running.get() == 0;
    }

    /**
     * Queues a discovery of {@code watch} on the background executor. A watch already queued is not
     * queued twice; one that is running gets one more run, so a push during a run is not missed.
     */
    public void trigger(Watch watch) {
        if (queued.add(watch.name())) {
            running.incrementAndGet();
            try {
                executor.execute(() -> {
                    queued.remove(watch.name());
                    try {
                        discover(watch);
                    } catch (RuntimeException e) {
                        LOG.warn("watch {}: discovery failed: {}", watch.name(), e.getMessage());
                    } finally {
                        running.decrementAndGet();
                    }
                });
            } catch (RuntimeException e) {
                queued.remove(watch.name());
                running.decrementAndGet();
                throw e;
            }
        }
    }

    /** Watches covering a repository path (as a registry names it in a notification) and accepting {@code tag}. */
    public List<Watch> affectedBy(String repository, String tag) {
        List<Watch> out = new ArrayList<>();
        for (Watch w : watches) {
            boolean covers = w.members(snapshot.get().templates()).stream()
                    .map(registries::locate).flatMap(Optional::stream).anyMatch(l -> l.repository().equals(repository));
            boolean relevant = tag == null || (w.policy() == TagPolicy.DIGEST ? w.tag().orElse("").equals(tag)
                    : w.versionOf(tag).isPresent());
            if (covers && relevant) {
                out.add(w);
            }
        }
        return out;
    }

    /** One discovery run, now, on the calling thread. Runs of one watch never overlap. */
    public Discovery discover(Watch watch) {
        synchronized (watch) {
            Discovery d = discoverLocked(watch);
            last.put(watch.name(), d);
            if (d.created() || !d.promoted().isEmpty()) {
                LOG.info("watch {}: tag {} → {}{}{}", watch.name(), d.tag(), d.releaseId() != null ? d.releaseId() : d.version(),
                        d.created() ? " (registered)" : "", d.promoted().isEmpty() ? "" : ", promoted to " + d.promoted());
            }
            return d;
        }
    }

    private Discovery discoverLocked(Watch watch) {
        Map<String, String> skipped = new LinkedHashMap<>();
        List<Template> members = watch.members(snapshot.get().templates());
        ReleaseDiscovery.Found found = discovery.find(watch, members, skipped);
        String tag = found.tag().orElse(null);
        Candidate c = found.candidate();
        if (c == null) {
            return new Discovery(watch.name(), tag, null, null, false, List.of(), skipped);
        }
        List<String> promoted = new ArrayList<>();
        for (Environment env : environments.all()) {
            if (env.autoPromote()) {
                autoPromotion.promote(watch, env, c, members, promoted, skipped);
            }
        }
        return new Discovery(watch.name(), tag, c.version, c.release == null ? null : c.release.id(), c.created,
                promoted, skipped);
    }
}
