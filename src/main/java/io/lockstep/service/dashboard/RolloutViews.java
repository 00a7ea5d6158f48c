package io.lockstep.service.dashboard;

import io.lockstep.domain.Convergence;
import io.lockstep.domain.FleetState;
import io.lockstep.domain.PinKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the {@link RolloutView} from the fleet's convergence rows (one per environment, template and instance
 * region, as the API answers them) and the fleet states last told by the {@code fleet.*} events. Pure: the
 * numbers are the API's, summed; only the wording is decided here.
 */
public final class RolloutViews {
    private RolloutViews() {
    }

    /** What the page was asked for and what it may offer, besides the convergence itself. */
    public record Input(List<Convergence> convergence, Map<PinKey, FleetState> told, Set<PinKey> regressionTold,
                        double threshold, Function<String, String> groupOf, RolloutView.Filter filter,
                        List<String> environmentChoices, List<String> groupChoices, List<String> templateChoices,
                        Instant computedAt) {
    }

    /** {@code convergence} in the order the API gives it (environment by environment, templates sorted). */
    public static RolloutView build(Input in) {
        Map<String, List<Convergence>> byRow = new LinkedHashMap<>();
        for (Convergence c : in.convergence()) {
            String group = in.groupOf().apply(c.template());
            if (in.filter().group() != null && !in.filter().group().equals(group)) {
                continue;
            }
            byRow.computeIfAbsent(c.environment() + "\n" + c.template(), k -> new ArrayList<>()).add(c);
        }
        List<RolloutView.Row> rows = new ArrayList<>(byRow.size());
        long instances = 0;
        long converged = 0;
        long missing = 0;
        for (List<Convergence> regions : byRow.values()) {
            RolloutView.Row row = row(regions, in);
            rows.add(row);
            instances += row.instances();
            converged += row.converged();
            missing += row.missing();
        }
        return new RolloutView(rows, in.filter(), in.environmentChoices(), in.groupChoices(), in.templateChoices(),
                (int) Math.round(in.threshold() * 100), new RolloutView.Totals(instances, converged, missing),
                in.computedAt());
    }

    private static RolloutView.Row row(List<Convergence> regions, Input in) {
        Convergence first = regions.get(0);
        long instances = 0;
        long converged = 0;
        long missing = 0;
        RolloutState worst = RolloutState.NO_INSTANCES;
        List<String> targets = new ArrayList<>();
        String runtimeVersion = null;
        List<RolloutView.StaleRegion> stale = new ArrayList<>();
        for (Convergence c : regions) {
            instances += c.instances();
            converged += c.converged();
            missing += c.missingInstances();
            RolloutState s = state(c, in.told().get(key(c)), in.regressionTold().contains(key(c)), in.threshold());
            if (s.ordinal() < worst.ordinal()) {
                worst = s;
            }
            String target = MatrixViews.shortDigest(c.pinnedDigest());
            if (target != null && !targets.contains(target)) {
                targets.add(target);
                runtimeVersion = runtimeVersion == null ? c.runtimeVersion() : runtimeVersion;
            }
            if (c.staleInstances() > 0) {
                List<RolloutView.StaleDigest> digests = new ArrayList<>();
                for (Convergence.StaleDigest d : c.stale()) {
                    digests.add(new RolloutView.StaleDigest(MatrixViews.shortDigest(d.digest()), d.instances()));
                }
                stale.add(new RolloutView.StaleRegion(c.region(), c.staleInstances(), digests));
            }
        }
        long of = instances + missing;
        Integer percent = of == 0 ? null : (int) Math.floor(100.0 * converged / of);
        return new RolloutView.Row(first.environment(), first.template(), in.groupOf().apply(first.template()), worst,
                converged, instances, missing, percent, targets, runtimeVersion, stale);
    }

    /**
     * One region's state, by the rule of the {@code fleet.*} events ({@code FleetTransitions}): at or above the
     * threshold converged; below it, regressed when the state last told for this digest was converged (the drop
     * is being told now) or the last event told was a {@code fleet.regressed} for it; otherwise rolling out.
     */
    public static RolloutState state(Convergence c, FleetState told, boolean regressionTold, double threshold) {
        if (c.pinnedDigest() == null) {
            return c.instances() > 0 ? RolloutState.NOT_PINNED : RolloutState.NO_INSTANCES;
        }
        Double ratio = c.ratio();
        if (ratio == null) {
            return RolloutState.NO_INSTANCES;
        }
        if (ratio >= threshold) {
            return RolloutState.CONVERGED;
        }
        boolean sameDigest = told != null && told.digest().equals(c.pinnedDigest());
        return sameDigest && (told.converged() || regressionTold) ? RolloutState.REGRESSED : RolloutState.ROLLING_OUT;
    }

    /** The keys whose state could be a told regression: last told not converged on the pinned digest, below now. */
    public static List<PinKey> regressionCandidates(List<Convergence> convergence, Map<PinKey, FleetState> told,
                                                    double threshold) {
        List<PinKey> out = new ArrayList<>();
        for (Convergence c : convergence) {
            FleetState s = told.get(key(c));
            if (s != null && !s.converged() && s.digest().equals(c.pinnedDigest()) && c.ratio() != null
                    && c.ratio() < threshold) {
                out.add(key(c));
            }
        }
        return out;
    }

    static PinKey key(Convergence c) {
        return new PinKey(c.environment(), c.template(), c.region());
    }
}
