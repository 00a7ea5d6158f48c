package io.lockstep.service.drift;

import io.lockstep.domain.drift.DriftFinding;
import io.lockstep.domain.drift.DriftStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Drift as Prometheus series, recomputed right before each scrape (the engine runs in memory, so
 * this costs microseconds and ages are exact). Series of pins that no longer exist are removed.
 * <ul>
 * <li>{@code lockstep_pin_drift{environment,template,region,status}}: 1 for the pin's primary
 *     status, 0 for every other status, so {@code == 1} alerts and absent series never mean "fine".</li>
 * <li>{@code lockstep_pin_releases_behind{environment,template,region}}</li>
 * <li>{@code lockstep_pin_age_seconds{environment,template,region}}: since the last promotion; no
 *     series for a missing pin.</li>
 * </ul>
 */
public final class DriftMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(DriftMetrics.class);
    private final DriftService drift;
    private final MultiGauge status;
    private final MultiGauge behind;
    private final MultiGauge age;

    public DriftMetrics(DriftService drift, MeterRegistry registry) {
        this.drift = drift;
        this.status = MultiGauge.builder("lockstep_pin_drift")
                .description("1 for the pin's current drift status, 0 for the others").register(registry);
        this.behind = MultiGauge.builder("lockstep_pin_releases_behind")
                .description("Registered releases newer than the pin's release").register(registry);
        this.age = MultiGauge.builder("lockstep_pin_age_seconds")
                .description("Seconds since the pin was last promoted").register(registry);
    }

    public void refresh() {
        List<DriftFinding> findings;
        try {
            findings = drift.report().findings();
        } catch (RuntimeException e) {
            // A scrape must still answer when the store is down; the old values stay until it is back.
            LOG.warn("drift metrics not refreshed: {}", e.getMessage());
            return;
        }
        List<MultiGauge.Row<?>> statusRows = new ArrayList<>();
        List<MultiGauge.Row<?>> behindRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        for (DriftFinding f : findings) {
            Tags pin = Tags.of("environment", f.environment(), "template", f.template(), "region", f.region());
            for (DriftStatus s : DriftStatus.values()) {
                statusRows.add(MultiGauge.Row.of(pin.and("status", s.wire()), s == f.status() ? 1 : 0));
            }
            behindRows.add(MultiGauge.Row.of(pin, f.releasesBehind()));
            if (f.age() != null) {
                ageRows.add(MultiGauge.Row.of(pin, f.age().toSeconds()));
            }
        }
        status.register(statusRows, true);
        behind.register(behindRows, true);
        age.register(ageRows, true);
    }
}
