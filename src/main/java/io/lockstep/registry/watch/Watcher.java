package io.lockstep.registry.watch;

import io.lockstep.domain.Environment;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Pin;
import io.lockstep.domain.Registrants;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;
import io.lockstep.registry.ImageLabels;
import io.lockstep.registry.ImageLocation;
import io.lockstep.registry.ManifestRef;
import io.lockstep.registry.Registries;
import io.lockstep.registry.RegistryException;
import io.lockstep.registry.RegistryNotFoundException;
import io.lockstep.service.Environments;
import io.lockstep.service.PinService;
import io.lockstep.service.PromotionRequest;
import io.lockstep.service.ReleasePromotionRequest;
import io.lockstep.service.ReleaseService;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Turns new builds in the registry into releases, and promotes them where {@code auto_promote} is
 * on. A group's release is created only from one tag that <b>every</b> member carries: a half-pushed
 * build (four of five images) is not a release, and members are never mixed across versions.
 *
 * <p>Discovery never silently overwrites a hand promote: a pin a person set to something other than
 * the newest release known at that moment (a rollback, a hotfix) is held (see {@link Holds}) and the
 * environment is not auto-promoted until a person promotes that pin again.
 */
public final class Watcher {
    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);
    private static final String ACTOR_PREFIX = "watch:";
    private static final Pattern RUNTIME_VERSION = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$");
    private static final Pattern GIT_SHA = Pattern.compile("^[a-f0-9]{7,40}$");

    private final List<Watch> watches;
    private final Registries registries;
    private final SnapshotHolder snapshot;
    private final Environments environments;
    private final Store store;
    private final ReleaseService releases;
    private final PinService pins;
    private final Holds holds;
    private final Clock clock;
    private final Executor executor;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger running = new AtomicInteger();
    private final Map<String, Discovery> last = new ConcurrentHashMap<>();
    /** Solo templates have no releases: when each digest was first discovered, to judge hand promotes. */
    private final Map<String, Map<String, Instant>> soloSeen = new ConcurrentHashMap<>();

    public Watcher(List<Watch> watches, Registries registries, SnapshotHolder snapshot, Environments environments,
                   Store store, ReleaseService releases, PinService pins, Holds holds, Clock clock, Executor executor) {
        this.watches = List.copyOf(watches);
        this.registries = registries;
        this.snapshot = snapshot;
        this.environments = environments;
        this.store = store;
        this.releases = releases;
        this.pins = pins;
        this.holds = holds;
        this.clock = clock;
        this.executor = executor;
    }

    /** True for the identity discovery promotes and registers under ({@code watch:<name>}). */
    public static boolean isWatcher(String actor) {
        return actor != null && actor.startsWith(ACTOR_PREFIX);
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
        Map<Template, ImageLocation> where = new LinkedHashMap<>();
        for (Template t : members) {
            where.put(t, registries.require(t));
        }
        Optional<String> tag = watch.policy() == TagPolicy.DIGEST ? watch.tag() : commonNewestTag(watch, where, skipped);
        if (tag.isEmpty()) {
            return new Discovery(watch.name(), null, null, null, false, List.of(), skipped);
        }
        Map<String, String> images = new TreeMap<>();
        for (Map.Entry<Template, ImageLocation> e : where.entrySet()) {
            Optional<ManifestRef> ref = e.getValue().client().headManifest(e.getValue().repository(), tag.get());
            if (ref.isEmpty()) {
                skipped.put("tag", e.getKey().name() + " has no image tagged " + tag.get());
                return new Discovery(watch.name(), tag.get(), null, null, false, List.of(), skipped);
            }
            images.put(e.getKey().name(), ref.get().digest());
        }
        Candidate c = candidate(watch, tag.get(), images, where, skipped);
        if (c == null) {
            return new Discovery(watch.name(), tag.get(), null, null, false, List.of(), skipped);
        }
        List<String> promoted = new ArrayList<>();
        for (Environment env : environments.all()) {
            if (env.autoPromote()) {
                autoPromote(watch, env, c, members, promoted, skipped);
            }
        }
        return new Discovery(watch.name(), tag.get(), c.version, c.release == null ? null : c.release.id(), c.created,
                promoted, skipped);
    }

    /** The newest tag (by the watch's policy) that every member has; members never mix tags. */
    private Optional<String> commonNewestTag(Watch watch, Map<Template, ImageLocation> where, Map<String, String> skipped) {
        Set<String> common = null;
        for (Map.Entry<Template, ImageLocation> e : where.entrySet()) {
            Set<String> accepted = new HashSet<>();
            try {
                for (String t : e.getValue().client().listTags(e.getValue().repository())) {
                    if (watch.versionOf(t).isPresent()) {
                        accepted.add(t);
                    }
                }
            } catch (RegistryNotFoundException notYetPushed) {
                // the repository does not exist yet: nothing common
            }
            if (common == null) {
                common = accepted;
            } else {
                common.retainAll(accepted);
            }
        }
        if (common == null || common.isEmpty()) {
            skipped.put("tag", "no tag accepted by the watch is carried by every member");
            return Optional.empty();
        }
        Comparator<String> byVersion = Comparator.comparing((String t) -> watch.versionOf(t).orElseThrow(), watch.policy().order())
                .thenComparing(Comparator.naturalOrder());
        return common.stream().max(byVersion);
    }

    private static final class Candidate {
        String version;
        String gitSha;
        Map<String, String> images;
        Release release;
        boolean created;
    }

    private Candidate candidate(Watch watch, String tag, Map<String, String> images, Map<Template, ImageLocation> where,
                                Map<String, String> skipped) {
        Candidate c = new Candidate();
        c.images = images;
        List<Release> known = watch.group() == null ? List.of()
                : store.releases().stream().filter(r -> r.group().equals(watch.group())).toList();
        Optional<Release> same = known.stream().filter(r -> r.images().equals(images)).findFirst();
        if (same.isPresent()) {
            c.release = same.get();
            c.version = same.get().runtimeVersion();
            if (!c.release.registrants().everyEnvironment()) {
                // Registered first by an environment-limited token: the watch read the same digests
                // from the registry itself, so it vouches for them everywhere, as if it had registered first.
                Release r = c.release;
                try {
                    c.release = releases.register(r.group(), r.runtimeVersion(), r.gitSha(), r.images(), r.exclude(),
                            Registrants.of(ACTOR_PREFIX + watch.name(), null)).release();
                } catch (LockstepException e) {
                    LOG.warn("watch {}: cannot vouch for {}: {}", watch.name(), r.id(), e.getMessage());
                }
            }
            return c;
        }
        if (watch.group() == null && soloSeen.getOrDefault(watch.name(), Map.of()).containsKey(images.get(watch.template()))) {
            c.version = versionFor(watch, tag, images, Optional.empty());
            return c;
        }
        ImageLabels labels = null;
        Map<String, ImageLabels> all = new LinkedHashMap<>();
        try {
            for (Map.Entry<Template, ImageLocation> e : where.entrySet()) {
                all.put(e.getKey().name(), e.getValue().client().labels(e.getValue().repository(), images.get(e.getKey().name())));
            }
        } catch (RegistryException e) {
            LOG.warn("watch {}: cannot read labels of {}: {}", watch.name(), tag, e.getMessage());
        }
        c.gitSha = agreed(all, ImageLabels::revision).filter(s -> GIT_SHA.matcher(s).matches()).orElse(null);
        c.version = versionFor(watch, tag, images, agreed(all, ImageLabels::version));
        if (!RUNTIME_VERSION.matcher(c.version).matches()) {
            skipped.put("version", "version " + Names.quoteForError(c.version) + " of tag " + tag
                    + " is not a valid runtime_version (use extract to cut it out of the tag)");
            return null;
        }
        if (watch.group() == null) {
            soloSeen.computeIfAbsent(watch.name(), k -> new ConcurrentHashMap<>()).putIfAbsent(images.get(watch.template()), clock.instant());
            return c;
        }
        if (watch.policy() != TagPolicy.DIGEST) {
            for (Release r : known) {
                if (watch.policy().accepts(r.runtimeVersion(), watch.constraint())
                        && watch.policy().order().compare(r.runtimeVersion(), c.version) > 0) {
                    skipped.put("version", "release " + r.id() + " is newer than tag " + tag + "; not registering an older build");
                    return null;
                }
            }
        }
        try {
            ReleaseService.Registration reg = releases.register(watch.group(), c.version, c.gitSha, images, Map.of(),
                    Registrants.of(ACTOR_PREFIX + watch.name(), null));
            c.release = reg.release();
            c.created = reg.created();
        } catch (LockstepException e) {
            // RELEASE_CONFLICT: the tag was moved to other images after the release was registered.
            skipped.put("release", e.getMessage());
            LOG.warn("watch {}: not registering {}: {}", watch.name(), tag, e.getMessage());
            return null;
        }
        return c;
    }

    private static String versionFor(Watch watch, String tag, Map<String, String> images, Optional<String> labelVersion) {
        if (watch.policy() != TagPolicy.DIGEST) {
            return watch.versionOf(tag).orElseThrow();
        }
        // A mutable tag names no version: use the image's own version label, else the tag and the build's digests.
        return labelVersion.orElseGet(() -> tag + "-" + io.lockstep.domain.HistoryChain.sha256(images.toString()).substring(0, 12));
    }

    private static Optional<String> agreed(Map<String, ImageLabels> labels, java.util.function.Function<ImageLabels, Optional<String>> get) {
        Set<String> values = new HashSet<>();
        for (ImageLabels l : labels.values()) {
            values.add(get.apply(l).orElse(""));
        }
        return values.size() == 1 && !values.contains("") ? values.stream().findFirst() : Optional.empty();
    }

    private void autoPromote(Watch watch, Environment env, Candidate c, List<Template> members, List<String> promoted,
                             Map<String, String> skipped) {
        String actor = ACTOR_PREFIX + watch.name();
        List<Release> groupReleases = watch.group() == null ? List.of()
                : store.releases().stream().filter(r -> r.group().equals(watch.group())).toList();
        boolean anyHeld = false;
        for (Template t : members) {
            PinKey key = new PinKey(env.name(), t.name(), Names.DEFAULT_REGION);
            Pin pin = snapshot.get().pin(key);
            Optional<String> reason = holdReason(watch, t, pin, c.images.get(t.name()), groupReleases);
            if (reason.isPresent()) {
                holds.hold(key, reason.get());
                anyHeld = true;
            } else {
                holds.release(key);
            }
            if (pin != null && c.release != null && aheadOf(pin, t, c.release, groupReleases)) {
                skipped.put(env.name(), t.name() + " is already on a newer release than " + c.release.id());
                return;
            }
        }
        if (anyHeld) {
            skipped.put(env.name(), "held: a pin was promoted by hand; promote it again by hand to release the hold");
            return;
        }
        String notes = "auto-promoted by watch " + watch.name() + " (tag " + c.version + ")";
        try {
            if (c.release != null) {
                boolean changed = pins.promoteRelease(new ReleasePromotionRequest(env, c.release.id(), null, notes, Map.of()), actor,
                        io.lockstep.domain.PromotionGate.Origin.AUTO).stream()
                        .anyMatch(o -> o.entry() != null && o.result() != io.lockstep.service.PromoteOutcome.Result.EXCLUDED);
                if (changed) {
                    promoted.add(env.name());
                }
            } else {
                Template t = members.get(0);
                var outcome = pins.promote(new PromotionRequest(env, t.name(), null, c.images.get(t.name()), c.gitSha,
                        c.version, notes, null, Map.of()), actor, io.lockstep.domain.PromotionGate.Origin.AUTO);
                if (outcome.entry() != null) {
                    promoted.add(env.name());
                }
            }
        } catch (LockstepException e) {
            // Fenced, provenance required, image check failed: the next run tries again.
            skipped.put(env.name(), e.code() + ": " + e.getMessage());
            LOG.warn("watch {}: auto-promote to {} refused: {}", watch.name(), env.name(), e.getMessage());
        }
    }

    /**
     * Why {@code pin} is held, if it is: it was promoted by a person (not by a watch) to something
     * other than the newest build known when they promoted it.
     */
    private Optional<String> holdReason(Watch watch, Template t, Pin pin, String candidateDigest, List<Release> groupReleases) {
        if (pin == null || isWatcher(pin.promotedBy()) || pin.digest().equals(candidateDigest)) {
            return Optional.empty();
        }
        String newestThen = null;
        String newestThenName = null;
        if (watch.group() != null) {
            Release r = groupReleases.stream()
                    .filter(x -> x.images().containsKey(t.name()) && !x.createdAt().isAfter(pin.promotedAt()))
                    .max(Comparator.comparing(Release::createdAt).thenComparing(Release::id)).orElse(null);
            if (r != null) {
                newestThen = r.images().get(t.name());
                newestThenName = "release " + r.id();
            }
        } else {
            Map.Entry<String, Instant> seen = soloSeen.getOrDefault(watch.name(), Map.of()).entrySet().stream()
                    .filter(e -> !e.getValue().isAfter(pin.promotedAt()))
                    .max(Map.Entry.comparingByValue()).orElse(null);
            if (seen != null) {
                newestThen = seen.getKey();
                newestThenName = "discovered image " + seen.getKey();
            }
        }
        if (newestThen == null || newestThen.equals(pin.digest())) {
            return Optional.empty();
        }
        return Optional.of(pin.promotedBy() + " pinned " + pin.digest() + (pin.runtimeVersion() == null ? "" : " (" + pin.runtimeVersion() + ")")
                + " by hand at " + pin.promotedAt() + " although " + newestThenName + " existed; discovery will not"
                + " overwrite it until the pin is promoted by hand again");
    }

    /** True if {@code pin} is on a release of the group newer than {@code candidate}. */
    private static boolean aheadOf(Pin pin, Template t, Release candidate, List<Release> groupReleases) {
        Comparator<Release> order = Comparator.comparing(Release::createdAt).thenComparing(Release::id);
        return groupReleases.stream().filter(r -> r.contains(t.name(), pin.digest()))
                .anyMatch(r -> order.compare(r, candidate) > 0);
    }
}
