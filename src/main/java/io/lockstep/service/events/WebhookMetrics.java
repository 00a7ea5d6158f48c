package io.lockstep.service.events;

import io.lockstep.domain.Event;
import io.lockstep.domain.webhook.SubscriptionState;
import io.lockstep.store.Store;
import io.lockstep.store.SubscriptionStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Webhook delivery as Prometheus series, per subscription, and the events written:
 * <ul>
 * <li>{@code lockstep_events_written_total{type}}: events this replica's commits appended to the outbox, counted
 * after the commit (a rolled-back write counts nothing).</li>
 * <li>{@code lockstep_webhook_deliveries_total{subscription,outcome}}: attempts, {@code delivered} or {@code failed}.</li>
 * <li>{@code lockstep_webhook_delivery_seconds{subscription}}: latency of delivered attempts.</li>
 * <li>{@code lockstep_webhook_outbox_depth{subscription}}: events after the subscription's cursor (wanted or not).</li>
 * <li>{@code lockstep_webhook_oldest_undelivered_seconds{subscription}}: age of the oldest of them, 0 when none.</li>
 * <li>{@code lockstep_webhook_failing{subscription}}: 1 while the subscription is failing.</li>
 * </ul>
 * The gauges are read from the store right before each scrape, so every replica reports the same values.
 */
public final class WebhookMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookMetrics.class);
    private final MeterRegistry registry;
    private final Store store;
    private final SubscriptionStore subscriptions;
    private final Clock clock;
    private final MultiGauge depth;
    private final MultiGauge oldest;
    private final MultiGauge failing;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();

    public WebhookMetrics(MeterRegistry registry, Store store, SubscriptionStore subscriptions, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.subscriptions = subscriptions;
        this.clock = clock;
        this.depth = MultiGauge.builder("lockstep_webhook_outbox_depth")
                .description("Events after the subscription's cursor, not yet delivered or passed").register(registry);
        this.oldest = MultiGauge.builder("lockstep_webhook_oldest_undelivered_seconds")
                .description("Age of the oldest event after the subscription's cursor").register(registry);
        this.failing = MultiGauge.builder("lockstep_webhook_failing")
                .description("1 while the subscription's receiver keeps failing").register(registry);
    }

    void delivered(String subscription, long latencyMs) {
        counter(subscription, "delivered").increment();
        // looked up once per subscription: a builder and a registry look-up per delivery showed in profiles
        latency.computeIfAbsent(subscription, s -> Timer.builder("lockstep_webhook_delivery_seconds")
                .description("Latency of delivered webhook attempts").tags("subscription", s).register(registry))
                .record(Duration.ofMillis(latencyMs));
    }

    /** The events one committed write appended (see {@link Store#onEventsWritten}). */
    public void written(List<io.lockstep.domain.Event> events) {
        for (io.lockstep.domain.Event e : events) {
            Counter.builder("lockstep_events_written_total").description("Events appended to the outbox, after commit")
                    .tags("type", e.type()).register(registry).increment();
        }
    }

    void failed(String subscription) {
        counter(subscription, "failed").increment();
    }

    private Counter counter(String subscription, String outcome) {
        return counters.computeIfAbsent(subscription + '\n' + outcome, k -> Counter.builder("lockstep_webhook_deliveries_total").description("Webhook delivery attempts")
                .tags("subscription", subscription, "outcome", outcome).register(registry));
    }

    public void refresh() {
        try {
            long last = store.lastEventId();
            List<MultiGauge.Row<?>> depthRows = new ArrayList<>();
            List<MultiGauge.Row<?>> oldestRows = new ArrayList<>();
            List<MultiGauge.Row<?>> failingRows = new ArrayList<>();
            for (SubscriptionState s : subscriptions.all()) {
                Tags tags = Tags.of("subscription", s.subscription().name());
                depthRows.add(MultiGauge.Row.of(tags, Math.max(0, last - s.cursor())));
                List<Event> next = s.cursor() < last ? store.eventsAfter(s.cursor(), 1) : List.of();
                oldestRows.add(MultiGauge.Row.of(tags, next.isEmpty() ? 0
                        : Math.max(0, Duration.between(next.get(0).at(), clock.instant()).toMillis() / 1000.0)));
                failingRows.add(MultiGauge.Row.of(tags, s.failing() ? 1 : 0));
            }
            depth.register(depthRows, true);
            oldest.register(oldestRows, true);
            failing.register(failingRows, true);
        } catch (RuntimeException e) {
            LOG.warn("webhook metrics not refreshed: {}", e.getMessage());
        }
    }
}
