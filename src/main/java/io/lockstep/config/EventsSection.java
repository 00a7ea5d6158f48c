package io.lockstep.config;

import io.lockstep.domain.Environment;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.webhook.AddressPolicy;
import io.lockstep.domain.webhook.Backoff;
import io.lockstep.domain.webhook.Subscription;
import io.lockstep.domain.webhook.SubscriptionRules;
import io.lockstep.domain.webhook.WebhookSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code events: {retention, webhooks: {...}, subscriptions: [...]}} (and the keys of {@link ObservedEventsSection} and
 * {@link EventStreamSection}). A subscription in the file obeys the
 * rules of one made through the admin API (same sentences, prefixed with its path), except that its secret
 * comes from the variable named by {@code secret_env}, never from the file.
 */
final class EventsSection {
    private EventsSection() {
    }

    static WebhookSettings parse(ConfigNode events, Map<String, String> env, List<Environment> environments) {
        events.requireObject();
        // The one list of events: keys; observed events and the stream read theirs in their own sections.
        events.allowOnly("retention", "webhooks", "subscriptions", "drift_interval", "fleet_converged_at", "stream");
        WebhookSettings d = WebhookSettings.defaults();
        Duration retention = events.duration("retention", d.retention());
        if (retention.isZero()) {
            throw new ConfigException(events.path() + ".retention", "must be longer than 0 (e.g. 7d)");
        }
        ConfigNode w = events.get("webhooks").requireObject();
        w.allowOnly("allow_loopback", "allow_hosts", "connect_timeout", "response_timeout", "backoff_initial",
                "backoff_max", "failing_after", "lease", "poll", "max_subscriptions");
        AddressPolicy addresses = new AddressPolicy(w.bool("allow_loopback", false), Set.copyOf(w.strings("allow_hosts")));
        Duration connect = positive(w, "connect_timeout", d.connectTimeout());
        Duration response = positive(w, "response_timeout", d.responseTimeout());
        Duration initial = positive(w, "backoff_initial", d.backoff().initial());
        Duration max = positive(w, "backoff_max", d.backoff().max());
        if (max.compareTo(initial) < 0) {
            throw new ConfigException(w.path() + ".backoff_max", "must be at least backoff_initial (" + initial + ")");
        }
        Duration lease = positive(w, "lease", d.lease());
        if (lease.compareTo(connect.plus(response).multipliedBy(2)) < 0) {
            // a lease shorter than one attempt would hand the subscription to another replica mid-delivery
            throw new ConfigException(w.path() + ".lease", "must be at least twice connect_timeout + response_timeout ("
                    + connect.plus(response).multipliedBy(2) + ")");
        }
        int most = w.integer("max_subscriptions", d.maxSubscriptions(), 1, 10_000);
        List<Subscription> configured = subscriptions(events.get("subscriptions"), env, environments, addresses);
        if (configured.size() > most) {
            throw new ConfigException(w.path() + ".max_subscriptions", "is " + most + ", but the file defines "
                    + configured.size() + " subscriptions");
        }
        return new WebhookSettings(retention, addresses, connect, response, new Backoff(initial, max),
                w.integer("failing_after", d.failingAfter(), 1, 1000), lease, positive(w, "poll", d.poll()), most,
                configured);
    }

    private static Duration positive(ConfigNode c, String key, Duration fallback) {
        Duration v = c.duration(key, fallback);
        if (v.isZero()) {
            throw new ConfigException(c.path() + "." + key, "must be longer than 0");
        }
        return v;
    }

    private static List<Subscription> subscriptions(ConfigNode list, Map<String, String> env,
                                                    List<Environment> environments, AddressPolicy addresses) {
        List<String> hosted = environments.stream().map(Environment::name).toList();
        List<Subscription> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (ConfigNode s : list.list()) {
            s.requireObject();
            s.allowOnly("name", "url", "types", "environments", "groups", "format", "secret_env");
            String var = s.requireString("secret_env");
            String secret = env.get(var);
            if (secret == null || secret.isEmpty()) {
                throw new ConfigException(s.path() + ".secret_env", "environment variable " + var + " is not set or empty");
            }
            try {
                Subscription sub = new Subscription(s.requireString("name"), s.requireString("url"), s.strings("types"),
                        s.strings("environments"), s.strings("groups"), SubscriptionRules.format(s.string("format", null)),
                        secret, Subscription.FROM_CONFIG);
                SubscriptionRules.check(sub, hosted, addresses);
                if (!names.add(sub.name())) {
                    throw new ConfigException(s.path() + ".name", "duplicate subscription " + sub.name());
                }
                out.add(sub);
            } catch (LockstepException e) {
                throw new ConfigException(s.path(), e.getMessage());
            }
        }
        return out;
    }
}
