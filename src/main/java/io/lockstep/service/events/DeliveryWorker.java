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
 * The worker delivers only while this replica holds the subscription's lease, renewed before every attempt
 * and during backoff; a replica that dies stops renewing and another takes over when the lease runs out.
 * No transaction is open during an HTTP call: each bookkeeping write is its own short transaction.
 */
final class DeliveryWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final int BATCH = 200;
    private final String name;
    private final String owner;
    private final Store store;
    private final SubscriptionStore subscriptions;
    private final WebhookSender sender;
    private final WebhookSettings settings;
    private final Clock clock;
    private final Clock leaseClock;
    private final WebhookMetrics metrics;
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile Thread thread;

    DeliveryWorker(String name, String owner, Store store, SubscriptionStore subscriptions, WebhookSender sender,
                   WebhookSettings settings, Clock clock, Clock leaseClock, WebhookMetrics metrics) {
        this.name = name;
        this.owner = owner;
        this.store = store;
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
            } catch (RuntimeException e) {
                // the store is down or the row is gone: try again after a poll interval
                LOG.warn("webhook subscription {}: {}", name, e.getMessage());
            }
            if (!busy) {
                idle();
            }
        }
        if (!Thread.currentThread().isInterrupted()) {
            try {
                subscriptions.release(name, owner); // another replica may take over at once
            } catch (RuntimeException ignored) {
                // the lease expires by itself
            }
        }
    }

    private void idle() {
        try {
            wake.poll(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
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
        Optional<SubscriptionState> state = subscriptions.find(name);
        if (state.isEmpty()) {
            stop.countDown(); // deleted
            return false;
        }
        Subscription sub = state.get().subscription();
        for (long id : subscriptions.redeliveries(name)) {
            List<Event> one = store.eventsAfter(id - 1, 1);
            if (!one.isEmpty() && one.get(0).id() == id) {
                if (!deliver(sub, one.get(0), true)) {
                    return false;
                }
            } else {
                // retention removed it between the request and now: nothing left to send
                subscriptions.delivered(owner, new Delivery(name, id, "expired", 0, 0, 0, "event no longer kept",
                        clock.instant()));
            }
        }
        long cursor = state.get().cursor();
        List<Event> events = store.eventsAfter(cursor, BATCH);
        long skipped = cursor;
        for (Event e : events) {
            if (stopped()) {
                return false;
            }
            if (!sub.wants(e)) {
                skipped = e.id();
                continue;
            }
            if (skipped > cursor && !subscriptions.skipTo(name, owner, skipped)) {
                return false;
            }
            if (!deliver(sub, e, false)) {
                return false;
            }
            cursor = e.id();
            skipped = cursor;
        }
        if (skipped > cursor && !subscriptions.skipTo(name, owner, skipped)) {
            return false;
        }
        return events.size() == BATCH;
    }

    private boolean claim() {
        Instant now = leaseClock.instant();
        return subscriptions.claim(name, owner, now, now.plus(settings.lease()));
    }

    /** Tries {@code e} until a 2xx; false when it must stop (stopping, lease lost, subscription gone). */
    private boolean deliver(Subscription sub, Event e, boolean redelivery) {
        for (int attempt = 1; !stopped(); attempt++) {
            // Renewed before every attempt, the first included: a round of many slow deliveries would otherwise
            // outlive the lease taken at its start, and another replica would send the same events meanwhile.
            if (!claim()) {
                return false;
            }
            WebhookSender.Attempt a = sender.send(sub, e);
            if (stopped() && !a.ok()) {
                return false;
            }
            Instant at = clock.instant();
            if (a.ok()) {
                metrics.delivered(name, a.latencyMs());
                return subscriptions.delivered(owner, new Delivery(name, e.id(), Delivery.DELIVERED, a.status(),
                        a.latencyMs(), attempt, null, at));
            }
            metrics.failed(name);
            if (!subscriptions.failed(owner, new Delivery(name, e.id(), Delivery.FAILING, a.status(), a.latencyMs(),
                    attempt, a.error(), at), settings.failingAfter())) {
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
