package io.lockstep.domain.drift;

import io.lockstep.domain.Environment;
import io.lockstep.domain.Names;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Template;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pins whose drift a write of some pins can have changed: every environment × the written templates'
 * lock-step groups × the written regions. Lets the observer look again after a commit at those pins only,
 * while its scheduled look still covers everything. Pure.
 *
 * <p>Why that is enough: the {@link DriftEngine} judges a pin (environment, template, region) only against
 * pins of the same region — its upstream environment's pin of the same template, the other members of its
 * group in the same environment — and the registered releases of its group. Two things reach across regions,
 * and widen the scope to every region of those templates:
 * <ul>
 *   <li>a written {@code global} pin (an upstream's {@code global} pin stands in for regions it has no pin
 *       of when the promotion gate asks about soak);</li>
 *   <li>a written pin on a registered release: a release promote uses the release's approvals, which count
 *       for every region, so a waiting pin elsewhere may now be {@code AWAITING_APPROVAL}.</li>
 * </ul>
 * Whatever else moves drift — releases, holds, policies, approvals given, line stops, templates, the clock,
 * the registry — is written without pins or is not written at all, and is left to a full look.
 *
 * @param environments every environment (drift of one depends on the others)
 * @param regions      empty means every region
 */
public record DriftScope(Set<String> environments, Set<String> templates, Set<String> regions) {
    public DriftScope {
        environments = Set.copyOf(environments);
        templates = Set.copyOf(templates);
        regions = Set.copyOf(regions);
    }

    /** Whether every region of the templates is in scope. */
    public boolean everyRegion() {
        return regions.isEmpty();
    }

    public boolean contains(PinKey key) {
        return environments.contains(key.environment()) && templates.contains(key.template())
                && (regions.isEmpty() || regions.contains(key.region()));
    }

    /**
     * Whether the drift of the scope's pins can depend on the pin at {@code key}: a pin in scope, or a
     * {@code global} pin of one of its templates (it stands in for regions its environment has no pin of).
     */
    public boolean needs(PinKey key) {
        return contains(key) || templates.contains(key.template()) && key.region().equals(Names.DEFAULT_REGION);
    }

    /**
     * Every key {@link #needs} in the scope's environments, when the scope names its regions; a scope of every
     * region has no such list (its pins are found by walking them).
     */
    public List<PinKey> keysNeeded() {
        if (everyRegion()) {
            throw new IllegalStateException("a scope of every region has no list of keys");
        }
        Set<String> withGlobal = new LinkedHashSet<>(regions);
        withGlobal.add(Names.DEFAULT_REGION);
        List<PinKey> out = new java.util.ArrayList<>(environments.size() * templates.size() * withGlobal.size());
        for (String environment : environments) {
            for (String template : templates) {
                for (String region : withGlobal) {
                    out.add(new PinKey(environment, template, region));
                }
            }
        }
        return out;
    }

    /** The scope around {@code written}, judged with {@code input} (the world after the write). */
    public static DriftScope around(Collection<PinKey> written, DriftInput input) {
        Map<String, Template> byName = new HashMap<>();
        input.templates().forEach(t -> byName.put(t.name(), t));
        Set<String> groups = new LinkedHashSet<>();
        Set<String> templates = new LinkedHashSet<>();
        Set<String> regions = new LinkedHashSet<>();
        for (PinKey key : written) {
            Template t = byName.get(key.template());
            groups.add(t == null ? key.template() : ReleaseStream.groupOf(t));
            templates.add(key.template());
            regions.add(key.region());
        }
        for (Template t : input.templates()) {
            if (groups.contains(ReleaseStream.groupOf(t))) {
                templates.add(t.name());
            }
        }
        boolean everyRegion = regions.contains(Names.DEFAULT_REGION) || onRelease(Set.copyOf(written), byName, input);
        List<String> environments = input.environments().stream().map(Environment::name).toList();
        return new DriftScope(Set.copyOf(environments), templates, everyRegion ? Set.of() : regions);
    }

    private static boolean onRelease(Set<PinKey> written, Map<String, Template> byName, DriftInput input) {
        Map<String, ReleaseStream> streams = null;
        for (Pin p : input.pins()) {
            Template t = byName.get(p.key().template());
            if (t == null || !written.contains(p.key())) {
                continue;
            }
            streams = streams == null ? ReleaseStream.byGroup(input.releases()) : streams;
            if (streams.getOrDefault(ReleaseStream.groupOf(t), ReleaseStream.empty()).releaseOf(t.name(), p.digest()) != null) {
                return true;
            }
        }
        return false;
    }
}
