package io.lockstep.service;

import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Template;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable in-memory copy of every template and pin. Resolve, the hot path, reads only this;
 * it is replaced as a whole after each committed change, so readers never see half a release.
 */
public final class PinSnapshot {
    private final Map<String, Template> templates = new LinkedHashMap<>();
    private final Map<String, Template> byKind = new HashMap<>();
    private final Map<PinKey, Pin> pins = new LinkedHashMap<>();

    public PinSnapshot(Collection<Template> templates, Collection<Pin> pins) {
        for (Template t : templates) {
            this.templates.put(t.name(), t);
            t.kinds().forEach(k -> byKind.putIfAbsent(k, t));
        }
        pins.forEach(p -> this.pins.put(p.key(), p));
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

    public Collection<Pin> pins() {
        return pins.values();
    }

    public List<Pin> pins(String environment) {
        return pins.values().stream().filter(p -> p.key().environment().equals(environment)).toList();
    }
}
