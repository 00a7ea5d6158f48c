package io.lockstep.store;

import io.lockstep.domain.webhook.Delivery;
import io.lockstep.domain.webhook.Subscription;
import io.lockstep.domain.webhook.SubscriptionState;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@link SubscriptionStore} on the {@link JdbiStore}'s connections, outside its pin write lock. */
final class JdbiSubscriptionStore implements SubscriptionStore {
    private final JdbiStore store;

    JdbiSubscriptionStore(JdbiStore store) {
        this.store = store;
    }

    /**
     * {@code work} in one short transaction of its own (never across a network call: callers are bookkeeping), on
     * the store's writer connection (see {@link JdbiStore#withWriterTable}).
     */
    private <T> T tx(Function<SubscriptionTable, T> work) {
        try {
            return store.withWriterTable(SubscriptionTable::new, t -> t.handle().inTransaction(h -> work.apply(t)));
        } catch (RuntimeException e) {
            throw JdbiStore.translated(e);
        }
    }

    private <T> T read(Function<SubscriptionTable, T> work) {
        try {
            return store.withTable(SubscriptionTable::new, work);
        } catch (RuntimeException e) {
            throw JdbiStore.translated(e);
        }
    }

    @Override
    public List<SubscriptionState> all() {
        return read(SubscriptionTable::all);
    }

    @Override
    public Optional<SubscriptionState> find(String name) {
        return read(t -> t.find(name));
    }

    @Override
    public boolean insert(Subscription s, long cursor, Instant now) {
        return tx(t -> t.insert(s, cursor, now));
    }

    @Override
    public void syncConfig(List<Subscription> configured, long cursor, Instant now) {
        tx(t -> {
            Map<String, SubscriptionState> stored = t.all().stream()
                    .collect(Collectors.toMap(s -> s.subscription().name(), s -> s));
            for (Subscription s : configured) {
                SubscriptionState old = stored.get(s.name());
                if (old == null) {
                    t.insert(s, cursor, now);
                } else if (!old.subscription().sameDefinition(s) || !old.subscription().source().equals(s.source())) {
                    t.redefine(s);
                }
            }
            List<String> names = configured.stream().map(Subscription::name).toList();
            stored.values().stream().filter(s -> s.subscription().source().equals(Subscription.FROM_CONFIG))
                    .filter(s -> !names.contains(s.subscription().name()))
                    .forEach(s -> t.delete(s.subscription().name()));
            return null;
        });
    }

    @Override
    public boolean delete(String name) {
        return tx(t -> t.delete(name));
    }

    @Override
    public boolean claim(String name, String owner, Instant now, Instant until) {
        return tx(t -> t.claim(name, owner, now.toEpochMilli(), until.toEpochMilli()));
    }

    @Override
    public void release(String name, String owner) {
        tx(t -> {
            t.release(name, owner);
            return null;
        });
    }

    @Override
    public boolean delivered(String owner, List<Delivery> run) {
        return run.isEmpty() || tx(t -> t.delivered(owner, run));
    }

    @Override
    public boolean skipTo(String name, String owner, long eventId) {
        return tx(t -> t.skipTo(name, owner, eventId));
    }

    @Override
    public boolean failed(String owner, Delivery d, int failingAfter) {
        return tx(t -> t.failed(owner, d, failingAfter));
    }

    @Override
    public List<Delivery> deliveries(String name, int limit) {
        return read(t -> t.deliveries(name, limit));
    }

    @Override
    public void requestRedelivery(String name, long eventId, Instant now) {
        tx(t -> {
            t.requestRedelivery(name, eventId, now);
            return null;
        });
    }

    @Override
    public List<Long> redeliveries(String name) {
        return read(t -> t.redeliveries(name));
    }

    @Override
    public Optional<Long> minCursor() {
        return read(SubscriptionTable::minCursor);
    }

    @Override
    public int purgeDeliveries(long eventId) {
        return tx(t -> t.purgeDeliveries(eventId));
    }
}
