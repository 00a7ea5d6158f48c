package io.lockstep.service.registry;

import io.lockstep.domain.Environment;
import io.lockstep.domain.PinKey;
import io.lockstep.service.HeldPins;
import io.lockstep.service.PromoteOutcome;
import io.lockstep.service.PromotionObserver;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pins discovery deliberately left alone because a person promoted them by hand to something other
 * than the newest release of the time (a rollback, a hotfix). Shown in drift as {@code HELD}; the
 * next manual promote of the pin releases the hold.
 */
public final class Holds implements PromotionObserver, HeldPins {
    private final Map<PinKey, String> reasons = new ConcurrentHashMap<>();

    void hold(PinKey key, String reason) {
        reasons.put(key, reason);
    }

    void release(PinKey key) {
        reasons.remove(key);
    }

    /** The gate's fact for an automatic change: auto-promotion refreshes the hold just before it asks. */
    @Override
    public Optional<String> reason(PinKey key) {
        return Optional.ofNullable(reasons.get(key));
    }

    public Map<PinKey, String> current() {
        return Map.copyOf(reasons);
    }

    @Override
    public void promoted(Environment environment, List<PromoteOutcome> outcomes) {
        for (PromoteOutcome o : outcomes) {
            if (o.entry() != null && !Watcher.isWatcher(o.entry().promotedBy())) {
                reasons.remove(o.entry().key());
            }
        }
    }
}
