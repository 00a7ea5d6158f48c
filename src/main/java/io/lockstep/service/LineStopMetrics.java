package io.lockstep.service;

import io.lockstep.domain.Environment;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Freezes as Prometheus series, recomputed right before each scrape, one series per hosted environment:
 * <ul>
 * <li>{@code lockstep_line_stops_active{environment}}: stops of the line in force now (one indexed read).</li>
 * <li>{@code lockstep_freeze_windows_active{environment}}: configured freeze windows open now (no I/O).</li>
 * </ul>
 */
public final class LineStopMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(LineStopMetrics.class);
    private final LineStopService stops;
    private final Environments environments;
    private final Clock clock;
    private final MultiGauge active;
    private final MultiGauge windows;

    public LineStopMetrics(LineStopService stops, Environments environments, Clock clock, MeterRegistry registry) {
        this.stops = stops;
        this.environments = environments;
        this.clock = clock;
        this.active = MultiGauge.builder("lockstep_line_stops_active")
                .description("Stops of the line (freezes set by a person) in force now").register(registry);
        this.windows = MultiGauge.builder("lockstep_freeze_windows_active")
                .description("Configured freeze windows open now").register(registry);
    }

    public void refresh() {
        Instant now = clock.instant();
        List<MultiGauge.Row<?>> windowRows = new ArrayList<>();
        for (Environment e : environments.all()) {
            long open = e.freezeWindows().stream().filter(w -> w.activeAt(now).isPresent()).count();
            windowRows.add(MultiGauge.Row.of(Tags.of("environment", e.name()), open));
        }
        windows.register(windowRows, true);
        Map<String, Integer> counts;
        try {
            counts = stops.activeCounts();
        } catch (RuntimeException e) {
            // A scrape must still answer when the store is down; the old values stay until it is back.
            LOG.warn("line stop metrics not refreshed: {}", e.toString());
            return;
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((env, n) -> rows.add(MultiGauge.Row.of(Tags.of("environment", env), n)));
        active.register(rows, true);
    }
}
