package io.lockstep.metrics;

import io.lockstep.domain.Environment;
import io.lockstep.service.PromoteOutcome;
import io.lockstep.service.PromotionObserver;
import io.lockstep.service.SnapshotHolder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The Prometheus registry and the meters every part of the server shares. */
public final class Metrics implements PromotionObserver {
    private static final String REQUESTS = "lockstep_http_requests";
    /** The methods a label may name; RFC 9110's, PATCH and QUERY. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE", "CONNECT", "QUERY");
    /** A safety net under the normalisation above: route templates are few; past this, new ones are dropped. */
    static final int MAX_ROUTES = 200;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

    public Metrics(SnapshotHolder snapshot) {
        registry.config().meterFilter(MeterFilter.maximumAllowableTags(REQUESTS, "route", MAX_ROUTES, MeterFilter.deny()));
        Gauge.builder("lockstep_pins", snapshot, s -> s.get().pinCount())
                .description("Number of pins held by this server").register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** {@code route} is the matched route template, never the raw path, to keep label cardinality bounded. */
    public void request(String method, String route, int status, Duration took) {
        requestTimer(method, route, status).record(took);
    }

    /**
     * The timer behind {@link #request}, for a hot path to look up once and keep. Looked up in a
     * plain map: building the meter id on every request was a visible share of resolve's cost
     * (bench/README.md). Every label takes values from a fixed set, because any client can send any
     * method: an unknown method is {@code OTHER}, an impossible status {@code other}, and the route
     * is the caller's matched template or {@code unmatched}. Keys are bounded by routes x methods x
     * statuses.
     */
    public Timer requestTimer(String method, String route, int status) {
        String m = METHODS.contains(method) ? method : "OTHER";
        String code = status >= 100 && status <= 599 ? Integer.toString(status) : "other";
        return requestTimers.computeIfAbsent(m + ' ' + route + ' ' + code, k -> Timer.builder(REQUESTS)
                .description("HTTP requests by route and status")
                .tag("method", m).tag("route", route).tag("status", code)
                .publishPercentileHistogram(false)
                .register(registry));
    }

    @Override
    public void promoted(Environment environment, List<PromoteOutcome> outcomes) {
        for (PromoteOutcome o : outcomes) {
            String template = o.pin() != null ? o.pin().key().template()
                    : o.entry() != null ? o.entry().key().template() : "unknown";
            Counter.builder("lockstep_promotions")
                    .description("Promotions by environment, template and result")
                    .tag("environment", environment.name()).tag("template", template).tag("result", o.result().wire())
                    .register(registry).increment();
        }
        // One count per overriding change (a release's entries all carry it); an override that lifted no refusal is
        // recorded in the history but not counted: the series counts gates actually passed by.
        boolean overrode = outcomes.stream().anyMatch(o -> o.entry() != null && o.entry().overrode() != null
                && !o.entry().overrode().isEmpty());
        if (overrode) {
            Counter.builder("lockstep_gate_overrides")
                    .description("Changes an admin's break-glass override let through a policy gate, by environment")
                    .tag("environment", environment.name()).register(registry).increment();
        }
    }

    /** Runs {@code refresh} before every scrape, for series computed from state rather than counted (drift). */
    public void beforeScrape(Runnable refresh) {
        beforeScrape.add(refresh);
    }

    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }
}
