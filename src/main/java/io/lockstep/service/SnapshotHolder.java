package io.lockstep.service;

import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.store.Change;
import io.lockstep.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the current {@link PinSnapshot} in step with the store. After a commit (this replica's, or
 * another's through PostgreSQL notifications) it re-reads only the pins that commit wrote; template
 * changes, reconnects and the periodic safety net reload everything. Re-reading all pins after every
 * promote cost 160 ms per promote at 20,000 pins (bench/README.md).
 *
 * <p>Changes are coalesced: whoever holds the reload lock applies everything pending, and a caller
 * returns only once its own change is in the snapshot, so a promote's response and every later
 * resolve on this replica agree. Listeners may be told of commits out of order, so a pin is taken as
 * this process's transaction stored it only when it is the direct successor of the snapshot's (a pin's
 * version grows by one per write, writes of a pin are serialised, and pins are never deleted); any other
 * pin, and every pin another replica wrote, is re-read from the store. Re-reading every written pin was
 * one of a promote's dozen reads under load.
 */
public final class SnapshotHolder {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotHolder.class);

    private final Store store;
    private volatile PinSnapshot current = PinSnapshot.empty();
    private final AtomicBoolean everythingPending = new AtomicBoolean();
    /** Pins to re-read: written by another replica, or with no value told. */
    private final Set<PinKey> pinsPending = ConcurrentHashMap.newKeySet();
    /** Pins as this process's transactions stored them, the newest of each. */
    private final Map<PinKey, Pin> savedPending = new ConcurrentHashMap<>();
    private final Object reloadLock = new Object();

    public SnapshotHolder(Store store) {
        this.store = store;
        store.onChange(this::changed);
    }

    public PinSnapshot get() {
        return current;
    }

    /** Reloads every template and pin (start-up, and periodically as a safety net). */
    public void reload() {
        changed(Change.everything());
    }

    /** Applies {@code change}, or leaves it to the thread already applying changes. */
    public void changed(Change change) {
        if (change.isEverything()) {
            everythingPending.set(true);
        } else {
            change.saved().forEach((key, pin) -> savedPending.merge(key, pin, (a, b) -> b.version() > a.version() ? b : a));
            for (PinKey key : change.pins()) {
                if (!change.saved().containsKey(key)) {
                    pinsPending.add(key);
                }
            }
        }
        synchronized (reloadLock) {
            try {
                while (applyPending()) {
                    // until nothing is pending
                }
            } catch (RuntimeException e) {
                // Keep serving the last good snapshot; the next change or the periodic reload retries,
                // in full, since this failure may have dropped pending pins.
                everythingPending.set(true);
                LOG.warn("could not reload the pin snapshot: {}", e.getMessage());
            }
        }
    }

    /** Applies one batch of pending work; false when there was none. */
    private boolean applyPending() {
        if (everythingPending.getAndSet(false)) {
            // committed before they were added, so the full read below sees them
            pinsPending.clear();
            savedPending.clear();
            current = new PinSnapshot(store.templates(), store.pins());
            return true;
        }
        if (pinsPending.isEmpty() && savedPending.isEmpty()) {
            return false;
        }
        List<PinKey> reread = List.copyOf(pinsPending);
        if (reread.size() + savedPending.size() > Change.MAX_PINS) { // one full read beats hundreds of single-pin reads
            everythingPending.set(true);
            return true;
        }
        pinsPending.removeAll(reread);
        Map<PinKey, Optional<Pin>> fresh = new LinkedHashMap<>();
        for (PinKey key : List.copyOf(savedPending.keySet())) {
            Pin saved = savedPending.remove(key);
            Pin known = current.pin(key);
            boolean successor = known == null ? saved.version() == 1 : known.version() == saved.version() - 1;
            if (successor && !reread.contains(key)) {
                fresh.put(key, Optional.of(saved));
            } else {
                fresh.put(key, store.pin(key));
            }
        }
        for (PinKey key : reread) {
            fresh.put(key, store.pin(key));
        }
        current = current.withPins(fresh);
        return true;
    }
}
