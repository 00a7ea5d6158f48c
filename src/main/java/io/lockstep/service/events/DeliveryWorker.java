package io.lockstep.service.events;

import io.lockstep.domain.Event;
import io.lockstep.domain.webhook.Delivery;
import io.lockstep.domain.webhook.Subscription;
import io.lockstep.domain.webhook.SubscriptionState;
import io.lockstep.domain.webhook.WebhookSettings;
import io.lockstep.store.Store;
import io.lockstep.store.SubscriptionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Delivers one subscription's events, one at a time in id order, on a thread of its own: a receiver that
 * hangs or fails holds up only its own subscription. The cursor moves past an event only after the
 * receiver's 2xx (or when the subscription does not want it), so a crash means a redelivery, never a loss.
 * The worker delivers only while this replica holds the subscription's lease, renewed before an attempt
 * whenever half of it is spent (an attempt lasts at most connect + response timeout, at most half the lease)
 * and during backoff; a replica that dies stops renewing and another takes over when the lease runs out.
 * No transaction is open during an HTTP call. The 2xx of a fast receiver are recorded together, at most
 * {@value #FLUSH_EVERY} events or {@value #FLUSH_MS} ms at a time, also when the stream pauses (cursor and log
 * rows in one short write; a receiver answering in {@value #SLOW_MS} ms or more has each answer recorded at
 * once): a bookkeeping write per event would cost every commit more than the promote itself on SQLite. A crash
 * between 2xx and that write means those few events are delivered again, which at-least-once allows.
 * New events come from the replica's shared {@link OutboxReader}; the subscription's row (definition, cursor,
 * queued redeliveries) is read again only when the dispatcher asks ({@link #recheck()}: on its poll and after a
 * change through the API) or after the lease was lost, not on every commit.
 */
final class DeliveryWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final int BATCH = 200;
    private static final int FLUSH_EVERY = 50;
    private static final long FLUSH_MS = 250;
    private static final long SLOW_MS = 50;
    private final String name;
    private final String owner;
    private final Store store;
    private final OutboxReader outbox;
    private final SubscriptionStore subscriptions;
    private final WebhookSender sender;
    private final WebhookSettings settings;
    private final Clock clock;
    private final Clock leaseClock;
    private final WebhookMetrics metrics;
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile Thread thread;
    /** Until when this replica holds the lease, as of its last claim; null: not held (or not known). */
    private Instant leaseUntil;
    /** 2xx answers not recorded yet, in id order, and when the first of them came. */
    private final List<Delivery> unrecorded = new ArrayList<>();
    private long unrecordedSince;
    /** The last event this worker is done with, ahead of the stored cursor by {@link #unrecorded}. */
    private long doneUpTo = -1;
    /** The subscription as last read; null: read it (and the queued redeliveries) before the next round. */
    private Subscription sub;
    private volatile boolean recheck = true;

    DeliveryWorker(String name, String owner, Store store, OutboxReader outbox, SubscriptionStore subscriptions,
                   WebhookSender sender, WebhookSettings settings, Clock clock, Clock leaseClock, WebhookMetrics metrics) {
        this.name = name;
        this.owner = owner;
        this.store = store;
        this.outbox = outbox;
        this.subscriptions = subscriptions;
        this.sender = sender;
        this.settings = settings;
        this.clock = clock;
        this.leaseClock = leaseClock;
        this.metrics = metrics;
    }

    void start() {
        Thread t = new Thread(this, "lockstep-webhook-" + name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** New events may be there (a commit, or the periodic poll). */
    void wake() {
        wake.offer(Boolean.TRUE);
    }

    /** The subscription's row may have changed (redefined, redelivery queued): read it before the next round. */
    void recheck() {
        recheck = true;
        wake();
    }

    void stop() {
        stop.countDown();
        wake();
    }

    /**
     * Waits until {@code deadlineNanos} for the worker to finish what it is doing, then interrupts it (a
     * delivery in flight is then simply delivered again later: the cursor has not moved).
     */
    void awaitOrInterrupt(long deadlineNanos) {
        Thread t = thread;
        if (t == null) {
            return;
        }
        try {
            t.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            t.interrupt();
        }
    }

    boolean stopped() {
        return stop.getCount() == 0;
    }

    @Override
    public void run() {
        while (!stopped()) {
            boolean busy = false;
            try {
                busy = round();
                if (!busy && recordDue()) {
                    record();
                }
            } catch (RuntimeException e) {
                forget();
                // the store is down or the row is gone: try again after a poll interval
                LOG.warn("webhook subscription {}: {}", name, e.getMessage());
            }
            if (!busy) {
                idle();
            }
        }
        if (!Thread.currentThread().isInterrupted()) {
            try {
                record();
                subscriptions.release(name, owner); // another replica may take over at once
            } catch (RuntimeException ignored) {
                // the lease expires by itself
            }
        }
    }

    private void idle() {
        long wait = settings.poll().toMillis();
        if (!unrecorded.isEmpty()) { // wake up in time to record them
            wait = Math.min(wait, Math.max(1, FLUSH_MS - (System.nanoTime() - unrecordedSince) / 1_000_000));
        }
        try {
            wake.poll(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.countDown();
        }
    }

    /** One pass: queued redeliveries, then new events. True when there may be more to do right away. */
    private boolean round() {
        if (!claim()) {
            return false;
        }
        if (recheck || sub == null || doneUpTo < 0) {
            recheck = false;
            if (!reread()) {
                return false;
            }
        }
        long cursor = doneUpTo;
        List<OutboxReader.Outgoing> events = outbox.after(cursor, BATCH);
        long skipped = cursor;
        for (OutboxReader.Outgoing o : events) {
            Event e = o.event();
            if (stopped()) {
                return false;
            }
            if (!sub.wants(e)) {
                skipped = e.id();
                continue;
            }
            if (skipped > cursor && !skipTo(skipped)) {
                return false;
            }
            if (!deliver(sub, e, o.body(sub.format()), false)) {
                return false;
            }
            cursor = e.id();
            skipped = cursor;
            doneUpTo = cursor;
        }
        if (skipped > cursor && !skipTo(skipped)) {
            return false;
        }
        doneUpTo = Math.max(doneUpTo, skipped);
        return events.size() == BATCH;
    }

    /** Reads the subscription's row and sends its queued redeliveries; false when it must stop this round. */
    private boolean reread() {
        Optional<SubscriptionState> state = subscriptions.find(name);
        if (state.isEmpty()) {
            stop.countDown(); // deleted
            return false;
        }
        sub = state.get().subscription();
        if (doneUpTo < state.get().cursor()) {
            doneUpTo = state.get().cursor();
        }
        List<Long> redeliveries = subscriptions.redeliveries(name);
        if (!redeliveries.isEmpty() && !record()) { // the cursor first, so a redelivered old event cannot hold it back
            return false;
        }
        for (long id : redeliveries) {
            List<Event> one = store.eventsAfter(id - 1, 1);
            if (!one.isEmpty() && one.get(0).id() == id) {
                if (!deliver(sub, one.get(0), null, true)) {
                    return false;
                }
            } else {
                // retention removed it between the request and now: nothing left to send
                subscriptions.delivered(owner, new Delivery(name, id, "expired", 0, 0, 0, "event no longer kept",
                        clock.instant()));
            }
        }
        return true;
    }

    private boolean skipTo(long id) {
        if (!record() || !subscriptions.skipTo(name, owner, id)) {
            forget();
            return false;
        }
        return true;
    }

    /** Holds the lease: renews it when half of it is spent (or it is not held). */
    private boolean claim() {
        Instant now = leaseClock.instant();
        if (leaseUntil != null && now.plus(settings.lease().dividedBy(2)).isBefore(leaseUntil)) {
            return true;
        }
        Instant until = now.plus(settings.lease());
        if (subscriptions.claim(name, owner, now, until)) {
            leaseUntil = until;
            return true;
        }
        forget();
        return false;
    }

    /** Whether the oldest unrecorded 2xx has waited {@value #FLUSH_MS} ms. */
    private boolean recordDue() {
        return !unrecorded.isEmpty() && System.nanoTime() - unrecordedSince >= TimeUnit.MILLISECONDS.toNanos(FLUSH_MS);
    }

    /** Records the 2xx answers not recorded yet; false when the lease was lost meanwhile. */
    private boolean record() {
        if (unrecorded.isEmpty()) {
            return true;
        }
        boolean held = subscriptions.delivered(owner, List.copyOf(unrecorded));
        unrecorded.clear();
        if (!held) {
            forget();
        }
        return held;
    }

    /** Lease lost or state unknown: start again from what the store says (what is unrecorded is sent again). */
    private void forget() {
        leaseUntil = null;
        unrecorded.clear();
        doneUpTo = -1;
        sub = null;
    }

    /**
     * Tries {@code e} until a 2xx; false when it must stop (stopping, lease lost, subscription gone).
     * {@code body}: {@code e} in {@code sub}'s format, shared with other subscriptions; null: built here.
     */
    private boolean deliver(Subscription sub, Event e, byte[] body, boolean redelivery) {
        for (int attempt = 1; !stopped(); attempt++) {
            // Renewed before every attempt, the first included: a round of many slow deliveries would otherwise
            // outlive the lease taken at its start, and another replica would send the same events meanwhile.
            if (!claim()) {
                return false;
            }
            WebhookSender.Attempt a = body == null ? sender.send(sub, e) : sender.send(sub, e, body);
            if (stopped() && !a.ok()) {
                return false;
            }
            Instant at = clock.instant();
            if (a.ok()) {
                metrics.delivered(name, a.latencyMs());
                if (unrecorded.isEmpty()) {
                    unrecordedSince = System.nanoTime();
                }
                unrecorded.add(new Delivery(name, e.id(), Delivery.DELIVERED, a.status(), a.latencyMs(), attempt, null, at));
                // A slow receiver sets the pace anyway: its 2xx are recorded at once, so only a fast stream batches.
                boolean due = redelivery || unrecorded.size() >= FLUSH_EVERY || a.latencyMs() >= SLOW_MS || recordDue();
                return !due || record();
            }
            metrics.failed(name);
            if (!record() || !subscriptions.failed(owner, new Delivery(name, e.id(), Delivery.FAILING, a.status(), a.latencyMs(),
                    attempt, a.error(), at), settings.failingAfter())) {
                forget();
                return false;
            }
            Duration wait = settings.backoff().after(attempt, ThreadLocalRandom.current().nextDouble(), a.retryAfter());
            if (!sleep(wait)) {
                return false;
            }
        }
        return false;
    }

    /** Waits {@code d}, renewing the lease on the way; false when stopping or the lease was lost. */
    private boolean sleep(Duration d) {
        long slice = Math.max(1, settings.lease().toMillis() / 3);
        long left = d.toMillis();
        try {
            while (left > 0) {
                long step = Math.min(left, slice);
                if (stop.await(step, TimeUnit.MILLISECONDS)) {
                    return false;
                }
                left -= step;
                if (left > 0 && !claim()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            stop.countDown();
            return false;
        }
    }
}
