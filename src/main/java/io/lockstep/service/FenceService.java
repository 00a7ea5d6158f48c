package io.lockstep.service;

import io.lockstep.domain.Fence;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Problem;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Rollout locks: while one is active, promotes into its environment answer 409 FENCED. */
public final class FenceService {
    static final Duration MAX_TTL = Duration.ofHours(24);

    private final io.lockstep.store.Store store;
    private final Environments environments;
    private final Clock clock;

    public FenceService(io.lockstep.store.Store store, Environments environments, Clock clock) {
        this.store = store;
        this.environments = environments;
        this.clock = clock;
    }

    public Fence create(String environment, String reason, long ttlSeconds, String actor) {
        String env = environments.require(environment).name();
        if (reason == null || reason.isBlank()) {
            throw new LockstepException(Problem.INVALID_FENCE, "reason is required: say why promotes must wait.");
        }
        Names.optionalNotes(reason);
        if (ttlSeconds < 1 || ttlSeconds > MAX_TTL.toSeconds()) {
            throw new LockstepException(Problem.INVALID_FENCE, "ttl_seconds must be between 1 and " + MAX_TTL.toSeconds() + ".");
        }
        var now = clock.instant();
        Fence fence = new Fence(UUID.randomUUID().toString(), env, reason, actor, now, now.plusSeconds(ttlSeconds));
        store.write(tx -> {
            tx.saveFence(fence);
            return null;
        });
        return fence;
    }

    public List<Fence> active(String environment) {
        String env = environments.require(environment).name();
        var now = clock.instant();
        return store.fences(env).stream().filter(f -> f.activeAt(now)).toList();
    }

    public void lift(String environment, String id) {
        String env = environments.require(environment).name();
        boolean removed = store.write(tx -> tx.deleteFence(env, id));
        if (!removed) {
            throw new LockstepException(Problem.UNKNOWN_FENCE, "No fence " + Names.quoteForError(id) + " in " + env + ".");
        }
    }
}
