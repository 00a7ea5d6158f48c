package io.lockstep.domain.webhook;

import io.lockstep.domain.Event;

import java.util.List;
import java.util.Objects;

/**
 * A webhook subscription: where events of some {@code types} go, in which {@code format}, signed with
 * {@code secret}. {@code environments} and {@code groups} narrow it (empty: any); an event without an
 * environment (or group) never matches a subscription that names environments (or groups). {@code source}
 * is {@code config} or {@code api}: the configuration file owns the first kind, the admin API the second.
 * The secret never leaves the server except as the HMAC key, so {@link #toString()} leaves it out.
 */
public record Subscription(String name, String url, List<String> types, List<String> environments,
                           List<String> groups, WebhookFormat format, String secret, String source) {
    public static final String FROM_CONFIG = "config";
    public static final String FROM_API = "api";

    public Subscription {
        Objects.requireNonNull(name, "name");
        types = List.copyOf(types);
        environments = environments == null ? List.of() : List.copyOf(environments);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** Whether {@code e} goes to this subscription's receiver. */
    public boolean wants(Event e) {
        return types.contains(e.type())
                && (environments.isEmpty() || environments.contains(e.environment()))
                && (groups.isEmpty() || groups.contains(e.group()));
    }

    /** The same definition (what would be delivered, where, how), secret included: config sync compares it. */
    public boolean sameDefinition(Subscription o) {
        return url.equals(o.url) && types.equals(o.types) && environments.equals(o.environments)
                && groups.equals(o.groups) && format == o.format && secret.equals(o.secret);
    }

    @Override
    public String toString() {
        return "Subscription[" + name + " → " + url + ", " + types + ", " + format.wire() + ", secret hidden]";
    }
}
