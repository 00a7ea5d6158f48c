package io.lockstep.service.events;

import io.lockstep.domain.webhook.WebhookSettings;
import io.lockstep.store.Store;
import io.lockstep.store.SubscriptionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Keeps one {@link DeliveryWorker} per subscription on this replica and wakes them: after every commit that
 * wrote events (this replica's hand theirs over, {@link Store#onEventsWritten}; the others' are read from the store,
 * {@link Store#onChangeElsewhere}) the one {@link OutboxReader} takes the new events and hands them to all
 * workers; a short poll is the safety net. The poll also picks up subscriptions
 * added or deleted through another replica and has the workers read their subscription's row again. Which replica actually
 * delivers for a subscription is decided by its lease, so every replica runs a worker for each.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private final Store store;
    private final SubscriptionStore subscriptions;
    private final WebhookSettings settings;
    private final Clock clock;
    private final Clock leaseClock;
    private final WebhookMetrics metrics;
    private final WebhookSender sender;
    private final OutboxReader outbox;
    private final String owner = UUID.randomUUID().toString();
    private final Map<String, DeliveryWorker> workers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lockstep-webhook-poll");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /** {@code clock}: the server's (signatures, log times); {@code leaseClock}: wall time shared by replicas. */
    public WebhookDispatcher(Store store, SubscriptionStore subscriptions, WebhookSettings settings, Clock clock,
                             Clock leaseClock, WebhookMetrics metrics) {
        this.store = store;
        this.subscriptions = subscriptions;
        this.settings = settings;
        this.clock = clock;
        this.leaseClock = leaseClock;
        this.metrics = metrics;
        this.sender = new WebhookSender(settings, clock);
        this.outbox = new OutboxReader(store, settings.poll(), OutboxReader.KEEP, () -> !workers.isEmpty(), this::wakeAll);
    }

    public WebhookDispatcher start() {
        store.onEventsWritten(outbox::handed);
        store.onChangeElsewhere(outbox::wake);
        outbox.start();
        long every = settings.poll().toMillis();
        poll.scheduleWithFixedDelay(this::reconcile, 0, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Starts workers for new subscriptions and stops those of deleted ones; call after a change through the API. */
    public synchronized void reconcile() {
        if (closed) {
            return;
        }
        Set<String> names;
        try {
            names = subscriptions.all().stream().map(s -> s.subscription().name()).collect(Collectors.toSet());
        } catch (RuntimeException e) {
            LOG.warn("webhook subscriptions not read: {}", e.getMessage());
            return;
        }
        workers.entrySet().removeIf(w -> {
            if (!names.contains(w.getKey()) || w.getValue().stopped()) {
                w.getValue().stop();
                return true;
            }
            return false;
        });
        workers.values().forEach(DeliveryWorker::recheck);
        for (String n : names) {
            workers.computeIfAbsent(n, k -> {
                DeliveryWorker w = new DeliveryWorker(k, owner, store, outbox, subscriptions, sender, settings, clock,
                        leaseClock, metrics);
                w.start();
                return w;
            });
        }
        outbox.wake();
    }

    private void wakeAll() {
        workers.values().forEach(DeliveryWorker::wake);
    }

    @Override
    public synchronized void close() {
        closed = true;
        poll.shutdownNow();
        outbox.stop();
        workers.values().forEach(DeliveryWorker::stop);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        workers.values().forEach(w -> w.awaitOrInterrupt(deadline));
        sender.close(); // a blocking read ignores the interrupt: aborting the attempts in flight ends them
        workers.clear();
    }
}
