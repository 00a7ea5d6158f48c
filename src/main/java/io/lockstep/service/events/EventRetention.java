package io.lockstep.service.events;

import io.lockstep.store.Store;
import io.lockstep.store.SubscriptionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * {@code events.retention}: deletes events older than the retention, but never one a subscription has not
 * delivered (or passed) yet, whatever its age: a receiver that is down for longer than the retention still
 * gets everything once it is back. Delivery log rows of deleted events go with them.
 */
public final class EventRetention {
    private static final Logger LOG = LoggerFactory.getLogger(EventRetention.class);
    private final Store store;
    private final SubscriptionStore subscriptions;
    private final Duration retention;
    private final Clock clock;

    public EventRetention(Store store, SubscriptionStore subscriptions, Duration retention, Clock clock) {
        this.store = store;
        this.subscriptions = subscriptions;
        this.retention = retention;
        this.clock = clock;
    }

    /** One pass; returns how many events it deleted. */
    public int purge() {
        long upTo = subscriptions.minCursor().orElse(Long.MAX_VALUE);
        int deleted = store.deleteEvents(clock.instant().minus(retention), upTo);
        if (deleted > 0) {
            subscriptions.purgeDeliveries(store.firstEventId());
        }
        return deleted;
    }

    public void purgeInBackground() {
        try {
            purge();
        } catch (RuntimeException e) {
            LOG.warn("event retention skipped this round: {}", e.getMessage());
        }
    }
}
