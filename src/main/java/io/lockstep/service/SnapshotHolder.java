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
 * resolve on this replica agree. Pins are always re-read from the store, never taken from the
 * transaction, so applying changes out of commit order cannot leave an older value behind.
 */
public final class SnapshotHolder {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotHolder.class);

    private final Store store;
    private volatile PinSnapshot current = PinSnapshot.empty();
    private final AtomicBoolean everythingPending = new AtomicBoolean();
    private final Set<PinKey> pinsPending = ConcurrentHashMap.newKeySet();
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
            pinsPending.addAll(change.pins());
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
            pinsPending.clear(); // committed before they were added, so the full read below sees them
            current = new PinSnapshot(store.templates(), store.pins());
            return true;
        }
        if (pinsPending.isEmpty()) {
            return false;
        }
        List<PinKey> keys = List.copyOf(pinsPending);
        if (keys.size() > Change.MAX_PINS) { // one full read beats hundreds of single-pin reads
            everythingPending.set(true);
            return true;
        }
        pinsPending.removeAll(keys);
        Map<PinKey, Optional<Pin>> fresh = new LinkedHashMap<>();
        for (PinKey key : keys) {
            fresh.put(key, store.pin(key));
        }
        current = current.withPins(fresh);
        return true;
    }
}
