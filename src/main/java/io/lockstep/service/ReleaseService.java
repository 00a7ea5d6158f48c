package io.lockstep.service;

import io.lockstep.domain.Digest;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Problem;
import io.lockstep.domain.Registrants;
import io.lockstep.domain.Release;
import io.lockstep.domain.ReleaseCompleteness;
import io.lockstep.domain.Template;
import io.lockstep.store.Store;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers releases: how the control plane learns that a newer build exists, even when nobody
 * promotes it (drift compares pins against these). Registration never moves a pin.
 */
public final class ReleaseService {
    private final Store store;
    private final SnapshotHolder snapshot;
    private final Clock clock;

    public ReleaseService(Store store, SnapshotHolder snapshot, Clock clock) {
        this.store = store;
        this.snapshot = snapshot;
        this.clock = clock;
    }

    /** The outcome of a registration: the release, and whether this call created it. */
    public record Registration(Release release, boolean created) {
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
                throw new LockstepException(Problem.RELEASE_CONFLICT, "Release " + id
                        + " is already registered with different images; a runtime version names one build only.",
                        Map.of("release_id", id));
            }
            Release r = new Release(id, group, runtimeVersion, sha, validImages, validExclude, clock.instant(),
                    registrant.tokens().get(0), registrant);
            tx.saveRelease(r);
            return new Registration(r, true);
        });
    }

    public List<Release> list(String group) {
        return store.releases().stream().filter(r -> group == null || r.group().equals(group)).toList();
    }

    public Release get(String id) {
        return store.release(id).orElseThrow(() -> new LockstepException(Problem.UNKNOWN_RELEASE,
                "No release " + Names.quoteForError(id) + " is registered."));
    }
}
