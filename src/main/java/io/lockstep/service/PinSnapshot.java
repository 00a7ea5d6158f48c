package io.lockstep.service;

import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Template;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable in-memory copy of every template and pin. Resolve, the hot path, reads only this;
 * it is replaced as a whole after each committed change, so readers never see half a release.
 * Pins iterate in (environment, template, region) order, the same on both stores. That order is worked out
 * only when somebody iterates a snapshot, not on every commit: promotes that add pins one by one (a new region
 * each time) used to re-sort every pin per commit, milliseconds at 10,000 pins (bench/README.md).
 */
public final class PinSnapshot {
    private static final Comparator<PinKey> ORDER = Comparator.comparing(PinKey::environment)
            .thenComparing(PinKey::template).thenComparing(PinKey::region);

    private final Map<String, Template> templates;
    private final Map<String, Template> byKind;
    private final Map<PinKey, Pin> pins;
    /** {@link #pins} in order, computed on first use (two threads may both compute it: the result is the same). */
    private volatile List<Pin> ordered;

    public PinSnapshot(Collection<Template> templates, Collection<Pin> pins) {
        this.templates = new LinkedHashMap<>();
        this.byKind = new HashMap<>();
        for (Template t : templates) {
            this.templates.put(t.name(), t);
            t.kinds().forEach(k -> byKind.putIfAbsent(k, t));
        }
        this.pins = new HashMap<>();
        pins.forEach(p -> this.pins.put(p.key(), p));
    }

    private PinSnapshot(PinSnapshot base, Map<PinKey, Pin> pins) {
        this.templates = base.templates;
        this.byKind = base.byKind;
        this.pins = pins;
    }

    /**
     * This snapshot with some pins replaced: each key maps to its pin as now stored, or to empty when
     * it no longer exists. Templates are shared, pins copied; the store is not read again.
     */
    public PinSnapshot withPins(Map<PinKey, Optional<Pin>> fresh) {
        Map<PinKey, Pin> next = new HashMap<>(pins);
        for (Map.Entry<PinKey, Optional<Pin>> e : fresh.entrySet()) {
            if (e.getValue().isPresent()) {
                next.put(e.getKey(), e.getValue().get());
            } else {
                next.remove(e.getKey());
            }
        }
        return new PinSnapshot(this, next);
    }

    public static PinSnapshot empty() {
        return new PinSnapshot(List.of(), List.of());
    }

    public Template template(String name) {
        return templates.get(name);
    }

    public Template templateForKind(String kind) {
        return byKind.get(kind);
    }

    public Collection<Template> templates() {
        return templates.values();
    }

    public Pin pin(PinKey key) {
        return pins.get(key);
    }

    public int pinCount() {
        return pins.size();
    }

    /** Every pin, in (environment, template, region) order. */
    public List<Pin> pins() {
        List<Pin> list = ordered;
        if (list == null) {
            List<Pin> sorted = new ArrayList<>(pins.values());
            sorted.sort(Comparator.comparing(Pin::key, ORDER));
            list = List.copyOf(sorted);
            ordered = list;
        }
        return list;
    }

    public List<Pin> pins(String environment) {
        return pins().stream().filter(p -> p.key().environment().equals(environment)).toList();
    }
}
