package io.lockstep.service.registry;

import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Registrants;
import io.lockstep.domain.Release;
import io.lockstep.domain.TagPolicy;
import io.lockstep.domain.Template;
import io.lockstep.domain.Watch;
import io.lockstep.oci.ImageLabels;
import io.lockstep.oci.ImageLocation;
import io.lockstep.oci.ManifestRef;
import io.lockstep.oci.RegistryException;
import io.lockstep.oci.RegistryNotFoundException;
import io.lockstep.service.ReleaseService;
import io.lockstep.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Discovery: turns new builds in the registry into releases. A group's release is created only from
 * one tag that <b>every</b> member carries: a half-pushed build (four of five images) is not a
 * release, and members are never mixed across versions. Moves no pin (that is {@link AutoPromotion}).
 */
public final class ReleaseDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseDiscovery.class);

    private final TemplateRegistries registries;
    private final Store store;
    private final ReleaseService releases;
    private final SoloSightings solo;
    private final Clock clock;

    public ReleaseDiscovery(TemplateRegistries registries, Store store, ReleaseService releases, SoloSightings solo,
                            Clock clock) {
        this.registries = registries;
        this.store = store;
        this.releases = releases;
        this.solo = solo;
        this.clock = clock;
    }

    /**
     * What the registry holds for {@code watch} now.
     *
     * @param tag       the tag every member carries that the policy selected; empty if none
     * @param candidate the build under that tag, registered as a release for a group; null if there is none to promote
     */
    record Found(Optional<String> tag, Candidate candidate) {
    }

    /** Reads the registry for {@code members} and registers the build it finds; reasons for stopping go to {@code skipped}. */
    Found find(Watch watch, List<Template> members, Map<String, String> skipped) {
        Map<Template, ImageLocation> where = new LinkedHashMap<>();
        for (Template t : members) {
            where.put(t, registries.require(t));
        }
        Optional<String> tag = watch.policy() == TagPolicy.DIGEST ? watch.tag() : commonNewestTag(watch, where, skipped);
        if (tag.isEmpty()) {
            return new Found(tag, null);
        }
        Map<String, String> images = new TreeMap<>();
        for (Map.Entry<Template, ImageLocation> e : where.entrySet()) {
            Optional<ManifestRef> ref = e.getValue().client().headManifest(e.getValue().repository(), tag.get());
            if (ref.isEmpty()) {
                skipped.put("tag", e.getKey().name() + " has no image tagged " + tag.get());
                return new Found(tag, null);
            }
            images.put(e.getKey().name(), ref.get().digest());
        }
        return new Found(tag, candidate(watch, tag.get(), images, where, skipped));
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
        return watch.newestTag(common);
    }

    private Candidate candidate(Watch watch, String tag, Map<String, String> images, Map<Template, ImageLocation> where,
                                Map<String, String> skipped) {
        List<Release> known = watch.group() == null ? List.of()
                : store.releases().stream().filter(r -> r.group().equals(watch.group())).toList();
        Optional<Release> same = known.stream().filter(r -> r.images().equals(images)).findFirst();
        if (same.isPresent()) {
            Release release = same.get();
            if (!release.registrants().everyEnvironment()) {
                // Registered first by an environment-limited token: the watch read the same digests
                // from the registry itself, so it vouches for them everywhere, as if it had registered first.
                Release r = release;
                try {
                    release = releases.register(r.group(), r.runtimeVersion(), r.gitSha(), r.images(), r.exclude(),
                            Registrants.of(Watcher.actor(watch), null)).release();
                } catch (LockstepException e) {
                    LOG.warn("watch {}: cannot vouch for {}: {}", watch.name(), r.id(), e.getMessage());
                }
            }
            return new Candidate(same.get().runtimeVersion(), null, images, release, false);
        }
        if (watch.group() == null && solo.seen(watch.name(), images.get(watch.template()))) {
            return new Candidate(versionFor(watch, tag, images, Optional.empty()), null, images, null, false);
        }
        Map<String, ImageLabels> all = new LinkedHashMap<>();
        try {
            for (Map.Entry<Template, ImageLocation> e : where.entrySet()) {
                all.put(e.getKey().name(), e.getValue().client().labels(e.getValue().repository(), images.get(e.getKey().name())));
            }
        } catch (RegistryException e) {
            LOG.warn("watch {}: cannot read labels of {}: {}", watch.name(), tag, e.getMessage());
        }
        String gitSha = agreed(all, ImageLabels::revision).filter(Names::isGitSha).orElse(null);
        String version = versionFor(watch, tag, images, agreed(all, ImageLabels::version));
        if (!Names.isRuntimeVersion(version)) {
            skipped.put("version", "version " + Names.quoteForError(version) + " of tag " + tag
                    + " is not a valid runtime_version (use extract to cut it out of the tag)");
            return null;
        }
        if (watch.group() == null) {
            solo.record(watch.name(), images.get(watch.template()), clock.instant());
            return new Candidate(version, gitSha, images, null, false);
        }
        for (Release r : known) {
            if (watch.isNewerVersion(r.runtimeVersion(), version)) {
                skipped.put("version", "release " + r.id() + " is newer than tag " + tag + "; not registering an older build");
                return null;
            }
        }
        try {
            ReleaseService.Registration reg = releases.register(watch.group(), version, gitSha, images, Map.of(),
                    Registrants.of(Watcher.actor(watch), null));
            return new Candidate(version, gitSha, images, reg.release(), reg.created());
        } catch (LockstepException e) {
            // RELEASE_CONFLICT: the tag was moved to other images after the release was registered and promoted
            // (a release promoted nowhere yet is replaced by the new images, see ReleaseService.register).
            skipped.put("release", e.getMessage());
            LOG.warn("watch {}: not registering {}: {}", watch.name(), tag, e.getMessage());
            return null;
        }
    }

    private static String versionFor(Watch watch, String tag, Map<String, String> images, Optional<String> labelVersion) {
        if (watch.policy() != TagPolicy.DIGEST) {
            return watch.versionOf(tag).orElseThrow();
        }
        // A mutable tag names no version: use the image's own version label, else the tag and the build's digests.
        return labelVersion.orElseGet(() -> tag + "-" + HistoryChain.sha256(images.toString()).substring(0, 12));
    }

    private static Optional<String> agreed(Map<String, ImageLabels> labels, Function<ImageLabels, Optional<String>> get) {
        Set<String> values = new HashSet<>();
        for (ImageLabels l : labels.values()) {
            values.add(get.apply(l).orElse(""));
        }
        return values.size() == 1 && !values.contains("") ? values.stream().findFirst() : Optional.empty();
    }
}
