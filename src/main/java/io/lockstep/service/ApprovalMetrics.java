package io.lockstep.service;

import io.lockstep.domain.Environment;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Approvals as Prometheus series, read from the store right before each scrape, one row per environment
 * with an {@code approvals} policy (others have none and pay nothing):
 * <ul>
 * <li>{@code lockstep_approvals_pending{environment}}: changes refused with {@code APPROVAL_REQUIRED} that
 *     have not gone through yet (what approvers are waited on).</li>
 * <li>{@code lockstep_approvals_live{environment}}: approvals given that can still count (unexpired, not
 *     revoked, not used).</li>
 * </ul>
 */
public final class ApprovalMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalMetrics.class);
    private final ApprovalService approvals;
    private final List<Environment> environments;
    private final MultiGauge pending;
    private final MultiGauge live;

    public ApprovalMetrics(ApprovalService approvals, Environments environments, MeterRegistry registry) {
        this.approvals = approvals;
        this.environments = environments.all().stream().filter(e -> e.approvals() != null).toList();
        this.pending = MultiGauge.builder("lockstep_approvals_pending")
                .description("Changes refused for want of approval that have not gone through yet").register(registry);
        this.live = MultiGauge.builder("lockstep_approvals_live")
                .description("Approvals that can still count (unexpired, not revoked, not used)").register(registry);
    }

    public void refresh() {
        List<MultiGauge.Row<?>> pendingRows = new ArrayList<>();
        List<MultiGauge.Row<?>> liveRows = new ArrayList<>();
        try {
            for (Environment e : environments) {
                ApprovalService.Listing l = approvals.list(e.name());
                pendingRows.add(MultiGauge.Row.of(Tags.of("environment", e.name()), l.pending().size()));
                liveRows.add(MultiGauge.Row.of(Tags.of("environment", e.name()), l.approvals().size()));
            }
        } catch (RuntimeException ex) {
            // A scrape must still answer when the store is down; the old values stay until it is back.
            LOG.warn("approval metrics not refreshed: {}", ex.getMessage());
            return;
        }
        pending.register(pendingRows, true);
        live.register(liveRows, true);
    }
}
