package io.lockstep.service;

import io.lockstep.domain.Digest;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Events;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Registrants;
import io.lockstep.domain.Release;
import io.lockstep.domain.ReleaseCompleteness;
import io.lockstep.domain.ReleaseEvent;
import io.lockstep.domain.Template;
import io.lockstep.store.Store;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers releases: how the control plane learns that a newer build exists, even when nobody
 * promotes it (drift compares pins against these). Registration never moves a pin.
 *
 * <p>Registration asks what promotion will ask of the images (the registry has them, where
 * {@code verify_images} is on), so a build that can never be promoted is refused before it takes
 * its runtime version. A release nobody promoted yet can still be replaced or withdrawn
 * ({@link ReleaseEvent}); once promoted, its content is fixed.
 */
public final class ReleaseService {
    private final Store store;
    private final SnapshotHolder snapshot;
    private final Clock clock;
    private final Environments environments;
    private final ImageVerifier verifier;

    public ReleaseService(Store store, SnapshotHolder snapshot, Clock clock, Environments environments,
                          ImageVerifier verifier) {
        this.store = store;
        this.snapshot = snapshot;
        this.clock = clock;
        this.environments = environments;
        this.verifier = verifier;
    }

    /** The outcome of a registration: the release, and whether this call created it or replaced an unused one. */
    public record Registration(Release release, boolean created, boolean replaced) {
        public Registration(Release release, boolean created) {
            this(release, created, false);
        }
    }

    /**
     * Registers a release on behalf of {@code registrant} (one token and the environments it may write),
     * which vouches for the digests there only. Registering the same content again is idempotent and
     * widens the environments the release is vouched for to include the new registrant's.
     */
    public Registration register(String group, String runtimeVersion, String gitSha, Map<String, String> images,
                                 Map<String, String> exclude, Registrants registrant) {
        Names.require("group", group);
        if (runtimeVersion == null || runtimeVersion.isEmpty()) {
            throw new LockstepException(Problem.INVALID_RELEASE, "runtime_version is required.");
        }
        Names.optionalRuntimeVersion(runtimeVersion);
        String sha = Names.optionalGitSha(gitSha);
        Map<String, String> validImages = new LinkedHashMap<>();
        images.forEach((template, digest) -> validImages.put(Names.require("images key", template),
                Digest.require("images." + template, digest)));
        Map<String, String> validExclude = new LinkedHashMap<>();
        exclude.forEach((template, reason) -> validExclude.put(Names.require("exclude key", template),
                Names.optionalNotes(reason)));
        List<Template> templates = List.copyOf(snapshot.get().templates());
        boolean groupExists = templates.stream().anyMatch(t -> t.inGroup(group));
        if (!groupExists) {
            throw new LockstepException(Problem.UNKNOWN_GROUP, "No template belongs to lock-step group "
                    + Names.quoteForError(group) + ".");
        }
        if (validImages.isEmpty()) {
            throw new LockstepException(Problem.INVALID_RELEASE, "images must name at least one template digest.");
        }
        ReleaseCompleteness.check(group, validImages, validExclude, templates);
        verifyImages(validImages, registrant);

        String id = group + "@" + runtimeVersion;
        return store.write(tx -> {
            var existing = tx.releaseByVersion(group, runtimeVersion);
            if (existing.isPresent()) {
                Release r = existing.get();
                if (r.images().equals(validImages) && r.exclude().equals(validExclude)) {
                    Registrants widened = r.registrants().widenedBy(registrant);
                    if (widened != r.registrants()) {
                        tx.saveRegistrants(r.id(), widened);
                    }
                    return new Registration(r.withRegistrants(widened), false);
                }
                ReleaseEvent.requireUnused(r, tx.releaseUsedIn(id), "registered again with different images");
                ReleaseEvent.requireReach(r, registrant, "registered again with different images");
                Release replacement = new Release(id, group, runtimeVersion, sha, validImages, validExclude,
                        clock.instant(), registrant.tokens().get(0), registrant);
                tx.replaceRelease(replacement);
                tx.appendEvent(Events.releaseReplaced(r, replacement, registrant.tokens().get(0)));
                tx.appendReleaseEvent(new ReleaseEvent(id, group, ReleaseEvent.Kind.REPLACED, r.images(), validImages,
                        registrant.tokens().get(0), null, replacement.createdAt()));
                return new Registration(replacement, false, true);
            }
            Release r = new Release(id, group, runtimeVersion, sha, validImages, validExclude, clock.instant(),
                    registrant.tokens().get(0), registrant);
            tx.saveRelease(r);
            tx.appendEvent(Events.releaseRegistered(r));
            return new Registration(r, true);
        });
    }

    /**
     * Withdraws a release nobody promoted: it disappears from the releases (so drift stops recommending
     * it and its runtime version is free again) and the withdrawal is recorded as a {@link ReleaseEvent}.
     */
    public ReleaseEvent withdraw(String id, String reason, Registrants caller) {
        String validReason = Names.optionalNotes(reason);
        return store.write(tx -> {
            Release r = tx.release(id).orElseThrow(() -> unknown(id));
            ReleaseEvent.requireUnused(r, tx.releaseUsedIn(id), "withdrawn");
            ReleaseEvent.requireReach(r, caller, "withdrawn");
            ReleaseEvent event = new ReleaseEvent(id, r.group(), ReleaseEvent.Kind.WITHDRAWN, r.images(), null,
                    caller.tokens().get(0), validReason, clock.instant());
            tx.deleteRelease(id);
            tx.appendReleaseEvent(event);
            tx.appendEvent(Events.releaseWithdrawn(r, event));
            return event;
        });
    }

    public List<ReleaseEvent> events(String group) {
        return store.releaseEvents(group);
    }

    /**
     * Asks the registry, before the transaction (a slow registry must not hold the write lock), about
     * every image in each environment the registrant may write that verifies images: the same
     * question its promote will ask there, so a refusal now keeps the runtime version free.
     */
    private void verifyImages(Map<String, String> images, Registrants registrant) {
        Map<Template, String> byTemplate = new LinkedHashMap<>();
        images.forEach((name, digest) -> {
            Template t = snapshot.get().template(name);
            if (t != null) {
                byTemplate.put(t, digest);
            }
        });
        for (Environment env : environments.all()) {
            if (env.verifyImages() && registrant.vouchFor(env.name())) {
                verifier.verify(env, byTemplate);
                return; // an image's registry is the template's, not the environment's: one answer stands for all
            }
        }
    }

    public List<Release> list(String group) {
        return store.releases().stream().filter(r -> group == null || r.group().equals(group)).toList();
    }

    public Release get(String id) {
        return store.release(id).orElseThrow(() -> unknown(id));
    }

    private static LockstepException unknown(String id) {
        return new LockstepException(Problem.UNKNOWN_RELEASE, "No release " + Names.quoteForError(id) + " is registered.");
    }
}
