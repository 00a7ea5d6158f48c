package io.lockstep.service.registry;

import io.lockstep.domain.Environment;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PromotionGate;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Release;
import io.lockstep.domain.ReleaseOrder;
import io.lockstep.domain.Template;
import io.lockstep.domain.Watch;
import io.lockstep.service.PinService;
import io.lockstep.service.PromotionRequest;
import io.lockstep.service.ReleasePromotionRequest;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Auto-promotion: moves the pins of an {@code auto_promote} environment to the build discovery
 * found, unless policy says no. It never silently overwrites a hand promote: a pin a person set to
 * something other than the newest release known at that moment (a rollback, a hotfix) is held (see
 * {@link Holds}) and the environment is not auto-promoted until a person promotes that pin again.
 * Nor does it move an environment back from a newer release.
 */
public final class AutoPromotion {
    private static final Logger LOG = LoggerFactory.getLogger(AutoPromotion.class);

    private final SnapshotHolder snapshot;
    private final Store store;
    private final PinService pins;
    private final Holds holds;
    private final SoloSightings solo;
    /**
     * Per watch and environment, the refusal last logged. A refusal retrying cannot fix (provenance
     * required, an incomplete release) repeats on every interval until a person acts; it is logged once
     * per candidate, not once per interval, so the log keeps saying something new.
     */
    private final Map<String, String> lastRefusal = new ConcurrentHashMap<>();

    public AutoPromotion(SnapshotHolder snapshot, Store store, PinService pins, Holds holds, SoloSightings solo) {
        this.snapshot = snapshot;
        this.store = store;
        this.pins = pins;
        this.holds = holds;
        this.solo = solo;
    }

    /** Promotes {@code c} to {@code env} unless held, behind, or refused; environments moved go to {@code promoted}. */
    void promote(Watch watch, Environment env, Candidate c, List<Template> members, List<String> promoted,
                 Map<String, String> skipped) {
        String actor = Watcher.actor(watch);
        List<Release> groupReleases = watch.group() == null ? List.of()
                : store.releases().stream().filter(r -> r.group().equals(watch.group())).toList();
        boolean anyHeld = false;
        boolean allThere = true;
        for (Template t : members) {
            PinKey key = new PinKey(env.name(), t.name(), Names.DEFAULT_REGION);
            Pin pin = snapshot.get().pin(key);
            allThere &= pin != null && pin.digest().equals(c.images.get(t.name()));
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
        String refusalKey = watch.name() + "\n" + env.name();
        if (allThere) {
            // Nothing to move: the gate would let the repeat through unchanged (PromotionGate.unchanged), but a
            // write transaction per run, and a release's exclude entries, are not worth it for a change made.
            lastRefusal.remove(refusalKey);
            return;
        }
        try {
            if (c.release != null) {
                boolean changed = pins.promoteRelease(new ReleasePromotionRequest(env, c.release.id(), null, notes, Map.of()), actor,
                        PromotionGate.Origin.AUTO).stream()
                        .anyMatch(o -> o.entry() != null && o.result() != io.lockstep.service.PromoteOutcome.Result.EXCLUDED);
                if (changed) {
                    promoted.add(env.name());
                }
            } else {
                Template t = members.get(0);
                var outcome = pins.promote(new PromotionRequest(env, t.name(), null, c.images.get(t.name()), c.gitSha,
                        c.version, notes, null, Map.of()), actor, PromotionGate.Origin.AUTO);
                if (outcome.entry() != null) {
                    promoted.add(env.name());
                }
            }
            lastRefusal.remove(refusalKey);
        } catch (LockstepException e) {
            // Fenced, provenance required, image check failed: the next run tries again.
            skipped.put(env.name(), e.code() + ": " + e.getMessage());
            String refusal = c.id() + "\n" + e.code();
            // A policy's wait (a soak, a freeze window, a stopped line, a fleet converging) ends by itself like
            // a fence, but it is expected and lasts hours: say it once per candidate. Only the other retryable
            // refusals (a fence, a registry that did not answer) are said on every run.
            boolean sayEveryRun = e.retryable()
                    && PromotionGate.OVERRIDABLE.stream().noneMatch(policy -> policy.code().equals(e.code()));
            if (sayEveryRun || !refusal.equals(lastRefusal.put(refusalKey, refusal))) {
                LOG.warn("watch {}: auto-promote to {} refused: {}", watch.name(), env.name(), e.getMessage());
            }
        }
    }

    /**
     * Why {@code pin} is held, if it is: it was promoted by a person (not by a watch) to something
     * other than the newest build known when they promoted it.
     */
    private Optional<String> holdReason(Watch watch, Template t, Pin pin, String candidateDigest, List<Release> groupReleases) {
        if (pin == null || Watcher.isWatcher(pin.promotedBy()) || pin.digest().equals(candidateDigest)) {
            return Optional.empty();
        }
        String newestThen = null;
        String newestThenName = null;
        if (watch.group() != null) {
            Release r = ReleaseOrder.newestFor(groupReleases, t.name(), pin.promotedAt()).orElse(null);
            if (r != null) {
                newestThen = r.images().get(t.name());
                newestThenName = "release " + r.id();
            }
        } else {
            newestThen = solo.newestAt(watch.name(), pin.promotedAt()).orElse(null);
            newestThenName = "discovered image " + newestThen;
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
        return groupReleases.stream().filter(r -> r.contains(t.name(), pin.digest()))
                .anyMatch(r -> ReleaseOrder.isNewer(r, candidate));
    }
}
