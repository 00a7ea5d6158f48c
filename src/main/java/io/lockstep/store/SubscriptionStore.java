package io.lockstep.store;

import io.lockstep.domain.webhook.Delivery;
import io.lockstep.domain.webhook.Subscription;
import io.lockstep.domain.webhook.SubscriptionState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Webhook subscriptions and their delivery log (V15). Like the fleet's reports these writes are bookkeeping:
 * they take neither the pin write lock nor fire change notifications, so deliveries never make a promote
 * wait. Delivery writes name the replica that holds the subscription's lease and do nothing when it no
 * longer holds it (another replica took over): a stale replica cannot move the cursor.
 */
public interface SubscriptionStore {

    List<SubscriptionState> all();

    Optional<SubscriptionState> find(String name);

    /** Stores a new subscription done with every event up to {@code cursor}; false when the name is taken. */
    boolean insert(Subscription s, long cursor, Instant now);

    /**
     * Makes the {@code config} subscriptions those of the file: adds new ones (starting after {@code cursor}),
     * updates changed ones keeping their cursor, deletes those no longer in the file.
     */
    void syncConfig(List<Subscription> configured, long cursor, Instant now);

    boolean delete(String name);

    /** Claims (or renews) the lease on {@code name} for {@code owner} until {@code until}; true when held. */
    boolean claim(String name, String owner, Instant now, Instant until);

    void release(String name, String owner);

    /**
     * Records a run of 2xx answers of one subscription, in id order, in one transaction: their log rows, the
     * cursor moved up to the last (never back), failures cleared. False when {@code owner} no longer holds it.
     */
    boolean delivered(String owner, java.util.List<Delivery> run);

    /** {@link #delivered(String, java.util.List)} of one. */
    default boolean delivered(String owner, Delivery d) {
        return delivered(owner, java.util.List.of(d));
    }

    /** Moves the cursor past events the subscription does not want (never back). */
    boolean skipTo(String name, String owner, long eventId);

    /** Records a failed attempt; the subscription is failing from {@code failingAfter} failures in a row. */
    boolean failed(String owner, Delivery d, int failingAfter);

    /** The newest {@code limit} rows of the log, newest event first. */
    List<Delivery> deliveries(String name, int limit);

    /** Queues {@code eventId} for one more delivery. */
    void requestRedelivery(String name, long eventId, Instant now);

    /** Queued redeliveries, oldest event first. */
    List<Long> redeliveries(String name);

    /** The smallest cursor of any subscription: events above it are still to be delivered somewhere. */
    Optional<Long> minCursor();

    /** Deletes log rows of events below {@code eventId} (those retention removed). */
    int purgeDeliveries(long eventId);
}
