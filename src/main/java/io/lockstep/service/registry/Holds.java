package io.lockstep.service.registry;

import io.lockstep.domain.Environment;
import io.lockstep.domain.PinKey;
import io.lockstep.service.HeldPins;
import io.lockstep.service.PromoteOutcome;
import io.lockstep.service.PromotionObserver;
import io.lockstep.store.Store;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pins discovery deliberately left alone because a person promoted them by hand to something other
 * than the newest release of the time (a rollback, a hotfix). Shown in drift as {@code HELD}; the
 * next manual promote of the pin releases the hold.
 *
 * <p>Holds live in the store ({@code holds} table), so a restart keeps them and every replica's drift
 * shows every hold. Each replica also keeps the holds it knows of in memory: auto-promotion refreshes a
 * pin's hold from the pin's own history just before it asks the gate, so the gate's fact is what this
 * replica just decided, and a write happens only when a hold appears, changes or goes. A replica that
 * did not see a hold being set learns of it on its next discovery run (both compute it from the same
 * store), which is also when a hand promote made on another replica releases it there.
 */
public final class Holds implements PromotionObserver, HeldPins {
    private final Store store;
    private final Clock clock;
    private final Map<PinKey, String> known = new ConcurrentHashMap<>();

    public Holds(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        known.putAll(store.holds());
    }

    void hold(PinKey key, String reason) {
        if (!reason.equals(known.get(key))) {
            store.write(tx -> {
                tx.hold(key, reason, clock.instant());
                return null;
            });
            known.put(key, reason);
        }
    }

    void release(PinKey key) {
        if (known.containsKey(key)) {
            store.write(tx -> tx.releaseHold(key));
            known.remove(key);
        }
    }

    /** The gate's fact for an automatic change: auto-promotion refreshes the hold just before it asks. */
    @Override
    public Optional<String> reason(PinKey key) {
        return Optional.ofNullable(known.get(key));
    }

    /** Every hold in the store, whichever replica set it. */
    public Map<PinKey, String> current() {
        return store.holds();
    }

    @Override
    public void promoted(Environment environment, List<PromoteOutcome> outcomes) {
        for (PromoteOutcome o : outcomes) {
            if (o.entry() != null && !Watcher.isWatcher(o.entry().promotedBy())) {
                release(o.entry().key());
            }
        }
    }
}
