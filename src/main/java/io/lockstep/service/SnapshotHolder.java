package io.lockstep.service;

import io.lockstep.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the current {@link PinSnapshot} and reloads it from the store whenever the store reports a
 * committed change (this replica's or, through PostgreSQL notifications, another replica's).
 * Reloads are coalesced: a burst of commits causes at most one extra reload after the running one.
 */
public final class SnapshotHolder {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotHolder.class);

    private final Store store;
    private volatile PinSnapshot current = PinSnapshot.empty();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final Object reloadLock = new Object();

    public SnapshotHolder(Store store) {
        this.store = store;
        store.onChange(this::reload);
    }

    public PinSnapshot get() {
        return current;
    }

    /** Reloads now, or marks a reload for the thread already reloading. */
    public void reload() {
        dirty.set(true);
        synchronized (reloadLock) {
            while (dirty.getAndSet(false)) {
                try {
                    current = new PinSnapshot(store.templates(), store.pins());
                } catch (RuntimeException e) {
                    // Keep serving the last good snapshot; the next change or periodic refresh retries.
                    LOG.warn("could not reload the pin snapshot: {}", e.getMessage());
                    return;
                }
            }
        }
    }
}
