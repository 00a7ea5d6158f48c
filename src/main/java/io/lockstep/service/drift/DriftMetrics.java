package io.lockstep.service.drift;

import io.lockstep.domain.Pin;
import io.lockstep.domain.ProvenanceKind;
import io.lockstep.domain.drift.DriftFinding;
import io.lockstep.domain.drift.DriftInput;
import io.lockstep.domain.drift.DriftStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Drift as Prometheus series, recomputed right before each scrape (the engine runs in memory, so
 * this costs microseconds and ages are exact). Series of pins that no longer exist are removed.
 * <ul>
 * <li>{@code lockstep_pin_drift{environment,template,region,status}}: 1 for the pin's primary
 *     status, 0 for every other status, so {@code == 1} alerts and absent series never mean "fine".</li>
 * <li>{@code lockstep_pin_releases_behind{environment,template,region}}</li>
 * <li>{@code lockstep_pin_age_seconds{environment,template,region}}: since the last promotion; no
 *     series for a missing pin.</li>
 * <li>{@code lockstep_pins_unverified{environment}}: pins whose last move carried no verified
 *     provenance (declared or none), in every environment, also those that do not require
 *     provenance: the count shows how much of an environment a shared token could have moved.</li>
 * </ul>
 */
public final class DriftMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(DriftMetrics.class);
    private final DriftService drift;
    private final MultiGauge status;
    private final MultiGauge behind;
    private final MultiGauge age;
    private final MultiGauge unverified;

    public DriftMetrics(DriftService drift, MeterRegistry registry) {
        this.drift = drift;
        this.status = MultiGauge.builder("lockstep_pin_drift")
                .description("1 for the pin's current drift status, 0 for the others").register(registry);
        this.behind = MultiGauge.builder("lockstep_pin_releases_behind")
                .description("Registered releases newer than the pin's release").register(registry);
        this.age = MultiGauge.builder("lockstep_pin_age_seconds")
                .description("Seconds since the pin was last promoted").register(registry);
        this.unverified = MultiGauge.builder("lockstep_pins_unverified")
                .description("Pins last moved without verified (OIDC) provenance").register(registry);
    }

    public void refresh() {
        List<DriftFinding> findings;
        DriftInput input;
        try {
            input = drift.input();
            findings = drift.report(input).findings();
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
        Map<String, Long> unverifiedPins = new TreeMap<>();
        input.environments().forEach(e -> unverifiedPins.put(e.name(), 0L));
        for (Pin p : input.pins()) {
            if (unverifiedPins.containsKey(p.key().environment()) && p.provenanceKindShown() != ProvenanceKind.VERIFIED) {
                unverifiedPins.merge(p.key().environment(), 1L, Long::sum);
            }
        }
        List<MultiGauge.Row<?>> unverifiedRows = new ArrayList<>();
        unverifiedPins.forEach((env, n) -> unverifiedRows.add(MultiGauge.Row.of(Tags.of("environment", env), n)));
        unverified.register(unverifiedRows, true);
        status.register(statusRows, true);
        behind.register(behindRows, true);
        age.register(ageRows, true);
    }
}
