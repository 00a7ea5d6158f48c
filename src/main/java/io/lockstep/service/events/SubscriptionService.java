package io.lockstep.service.events;

import io.lockstep.domain.Event;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.domain.webhook.AddressPolicy;
import io.lockstep.domain.webhook.Delivery;
import io.lockstep.domain.webhook.Subscription;
import io.lockstep.domain.webhook.SubscriptionRules;
import io.lockstep.domain.webhook.SubscriptionState;
import io.lockstep.domain.webhook.WebhookSettings;
import io.lockstep.service.Environments;
import io.lockstep.store.Store;
import io.lockstep.store.SubscriptionStore;

import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Webhook subscriptions through the admin API, and those of the configuration file synced at start. A new
 * subscription starts after the newest event: it receives what happens from now on, not the past.
 * Validation happens before anything is stored, so a refused subscription changes nothing.
 */
public final class SubscriptionService {
    /** A name lookup at creation waits at most this long; the address check before each delivery stays. */
    private static final long LOOKUP_MILLIS = 2_000;
    private final Store store;
    private final SubscriptionStore subscriptions;
    private final Environments environments;
    private final WebhookSettings settings;
    private final Clock clock;
    private final Runnable changed;

    /** {@code changed}: told after a subscription is added or deleted (the dispatcher reconciles its workers). */
    public SubscriptionService(Store store, SubscriptionStore subscriptions, Environments environments,
                               WebhookSettings settings, Clock clock, Runnable changed) {
        this.store = store;
        this.subscriptions = subscriptions;
        this.environments = environments;
        this.settings = settings;
        this.clock = clock;
        this.changed = changed;
    }

    /** Makes the stored {@code config} subscriptions those of the file. */
    public void syncConfig() {
        subscriptions.syncConfig(settings.configured(), store.lastEventId(), clock.instant());
    }

    public SubscriptionState create(Subscription s) {
        URI uri = SubscriptionRules.check(s, environments.all().stream().map(e -> e.name()).toList(),
                settings.addresses());
        checkResolvedAddresses(AddressPolicy.hostOf(uri));
        // Each subscription is a delivery thread on every replica: the limit keeps an admin's script from making
        // thousands. Counted before the insert, so admins creating at the same moment may pass it by one each.
        List<SubscriptionState> all = subscriptions.all();
        int count = all.size();
        boolean taken = all.stream().anyMatch(o -> o.subscription().name().equals(s.name())); // SUBSCRIPTION_EXISTS, below
        if (count >= settings.maxSubscriptions() && !taken) {
            throw new LockstepException(Problem.SUBSCRIPTION_LIMIT, "There are " + count + " subscriptions, which is the limit"
                    + " (events.webhooks.max_subscriptions); delete one or raise the limit.");
        }
        if (!subscriptions.insert(s, store.lastEventId(), clock.instant())) {
            throw new LockstepException(Problem.SUBSCRIPTION_EXISTS, "A subscription named " + s.name()
                    + " exists; delete it first or choose another name.");
        }
        changed.run();
        return get(s.name());
    }

    public List<SubscriptionState> list() {
        return subscriptions.all();
    }

    public SubscriptionState get(String name) {
        return subscriptions.find(name).orElseThrow(() -> new LockstepException(Problem.UNKNOWN_SUBSCRIPTION,
                "No webhook subscription named " + io.lockstep.domain.Names.quoteForError(name) + "."));
    }

    public void delete(String name) {
        SubscriptionState s = get(name);
        if (s.subscription().source().equals(Subscription.FROM_CONFIG)) {
            throw new LockstepException(Problem.SUBSCRIPTION_FROM_CONFIG, "Subscription " + name
                    + " is defined in the configuration file (events.subscriptions); remove it there and restart.");
        }
        subscriptions.delete(name);
        changed.run();
    }

    public List<Delivery> deliveries(String name, int limit) {
        get(name);
        return subscriptions.deliveries(name, limit);
    }

    public long lastEventId() {
        return store.lastEventId();
    }

    /**
     * Queues {@code eventId} for one more delivery. True when queued; false when the subscription has not
     * passed it yet (it will be delivered anyway, in order).
     */
    public boolean redeliver(String name, long eventId) {
        SubscriptionState s = get(name);
        List<Event> one = eventId < 1 ? List.of() : store.eventsAfter(eventId - 1, 1);
        if (one.isEmpty() || one.get(0).id() != eventId || !s.subscription().wants(one.get(0))) {
            throw new LockstepException(Problem.UNKNOWN_EVENT, "Event " + eventId + " is not kept (retention) or is"
                    + " not one subscription " + name + " receives.");
        }
        if (eventId > s.cursor()) {
            return false;
        }
        subscriptions.requestRedelivery(name, eventId, clock.instant());
        changed.run();
        return true;
    }

    /**
     * A name that resolves to a refused address is refused now; one that does not resolve (yet) is taken,
     * since the check runs again before every delivery.
     */
    private void checkResolvedAddresses(String host) {
        CompletableFuture<InetAddress[]> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getAllByName(host);
            } catch (java.net.UnknownHostException e) {
                return new InetAddress[0];
            }
        });
        InetAddress[] addresses;
        try {
            addresses = lookup.get(LOOKUP_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            lookup.cancel(true);
            return;
        }
        for (InetAddress a : addresses) {
            Optional<String> why = settings.addresses().refuse(host, a);
            if (why.isPresent()) {
                throw new LockstepException(Problem.WEBHOOK_ADDRESS_FORBIDDEN, "url: " + host + " resolves to "
                        + why.get() + ".");
            }
        }
    }
}
