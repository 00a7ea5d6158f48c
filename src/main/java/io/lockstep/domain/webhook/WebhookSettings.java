package io.lockstep.domain.webhook;

import java.time.Duration;
import java.util.List;

/**
 * The {@code events} section of the configuration as far as webhooks are concerned: how long delivered events
 * are kept, where webhooks may go, the timeouts and backoff of deliveries, after how many failures in a row a
 * subscription counts as failing, how long a replica's lease on a subscription lasts, how often workers poll
 * under the change notifications, how many subscriptions there may be (each has a delivery thread on every
 * replica), and the subscriptions the file defines.
 */
public record WebhookSettings(Duration retention, AddressPolicy addresses, Duration connectTimeout,
                              Duration responseTimeout, Backoff backoff, int failingAfter, Duration lease,
                              Duration poll, int maxSubscriptions, List<Subscription> configured) {
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 100;

    public WebhookSettings {
        configured = List.copyOf(configured);
    }

    public static WebhookSettings defaults() {
        return new WebhookSettings(DEFAULT_RETENTION, AddressPolicy.STRICT, Duration.ofSeconds(5),
                Duration.ofSeconds(10), new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)), 5,
                Duration.ofSeconds(30), Duration.ofSeconds(1), DEFAULT_MAX_SUBSCRIPTIONS, List.of());
    }
}
