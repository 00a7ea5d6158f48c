package io.lockstep.domain.drift;

import io.lockstep.domain.Environment;
import io.lockstep.domain.Pin;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drift that only shows when several control planes are read together (drift must compare
 * environments with each other and read every target): a prod
 * server running a release its staging server never had, a prod server still on an older release
 * than its staging server has run for longer than the grace period (prod's own server may never
 * have learned the release), and same-named environments on two servers pinning different digests. Each server's own report cannot see either.
 *
 * <p>Merge rule: every environment is taken from the first target that shows it (later targets
 * showing it too are compared by {@link CrossEnvironmentComparison} instead); upstreams come from
 * the servers' environment config; releases and templates are the union by id and name. The
 * engine runs on the merged input, and only findings whose upstream lives on another target than
 * the environment itself are returned: the rest each server already reports.
 */
public final class CrossTargetDrift {
    private CrossTargetDrift() {
    }

    /** One target's drift input, and the environments of it the CLI shows. */
    public record TargetView(String target, DriftInput input, List<String> environments) {
        public TargetView {
            environments = List.copyOf(environments);
        }
    }

    /**
     * @param upstreamFindings findings with {@code AHEAD_OF_UPSTREAM} or {@code BEHIND_UPSTREAM} across targets
     * @param ownerOf          environment → the target it was taken from
     */
    public record Result(List<DriftFinding> upstreamFindings, List<PinDisagreement> disagreements,
                         Map<String, String> ownerOf) {
    }

    public static Result compare(List<TargetView> views) {
        return compare(views, null);
    }

    /**
     * @param gracePeriod how long an upstream may run a newer release before its downstream on
     *                    another target is {@code BEHIND_UPSTREAM}; null: the first target's
     */
    public static Result compare(List<TargetView> views, java.time.Duration gracePeriod) {
        List<PinSource> sources = new ArrayList<>();
        Map<String, String> owner = new LinkedHashMap<>();
        for (TargetView v : views) {
            sources.add(new PinSource(v.target(), shownPins(v)));
            v.environments().forEach(e -> owner.putIfAbsent(e, v.target()));
        }
        List<PinDisagreement> disagreements = CrossEnvironmentComparison.compare(sources);
        if (views.size() < 2) {
            return new Result(List.of(), disagreements, owner);
        }

        Map<String, Environment> environments = new LinkedHashMap<>();
        owner.keySet().forEach(name -> environments.put(name, definition(name, views)));
        List<Pin> pins = new ArrayList<>();
        Map<String, Release> releases = new LinkedHashMap<>();
        Map<String, Template> templates = new LinkedHashMap<>();
        for (TargetView v : views) {
            for (Pin p : v.input().pins()) {
                if (v.target().equals(owner.get(p.key().environment()))) {
                    pins.add(p);
                }
            }
            v.input().releases().forEach(r -> releases.putIfAbsent(r.id(), r));
            v.input().templates().forEach(t -> templates.putIfAbsent(t.name(), t));
        }
        DriftInput first = views.get(0).input();
        DriftInput merged = new DriftInput(List.copyOf(templates.values()), List.copyOf(environments.values()), pins,
                List.copyOf(releases.values()), first.now(), gracePeriod != null ? gracePeriod : first.gracePeriod(), null);
        List<DriftFinding> across = new ArrayList<>();
        for (DriftFinding f : new DriftEngine().compute(merged).findings()) {
            Environment env = environments.get(f.environment());
            if ((f.has(DriftStatus.AHEAD_OF_UPSTREAM) || f.has(DriftStatus.BEHIND_UPSTREAM)) && env.upstream() != null
                    && !owner.get(f.environment()).equals(owner.get(env.upstream()))) {
                across.add(f);
            }
        }
        return new Result(across, disagreements, owner);
    }

    private static List<Pin> shownPins(TargetView v) {
        Set<String> shown = Set.copyOf(v.environments());
        return v.input().pins().stream().filter(p -> shown.contains(p.key().environment())).toList();
    }

    /** The first definition naming an upstream wins: a server hosting only prod may not know staging. */
    private static Environment definition(String name, List<TargetView> views) {
        Environment found = null;
        for (TargetView v : views) {
            for (Environment e : v.input().environments()) {
                if (e.name().equals(name)) {
                    if (e.upstream() != null) {
                        return e;
                    }
                    found = found == null ? e : found;
                }
            }
        }
        return found != null ? found : Environment.named(name);
    }
}
