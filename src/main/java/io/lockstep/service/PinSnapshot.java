package io.lockstep.service;

import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
 * <p>
 * Pins are kept in {@value #SHARDS} maps by key hash, so a commit copies only the maps of the keys it wrote:
 * copying one map of every pin per commit was half of a promote's CPU at 30,000 pins (bench/README.md).
 */
public final class PinSnapshot {
    private final Map<String, Template> templates;
    private final Map<String, Template> byKind;
    private static final int SHARDS = 64;
    /** Never modified once this snapshot is published; a later snapshot shares the shards it did not write. */
    private final Map<PinKey, Pin>[] shards;
    private final int pinCount;
    /** Every pin in order, computed on first use (two threads may both compute it: the result is the same). */
    private volatile List<Pin> ordered;

    public PinSnapshot(Collection<Template> templates, Collection<Pin> pins) {
        this.templates = new LinkedHashMap<>();
        this.byKind = new HashMap<>();
        for (Template t : templates) {
            this.templates.put(t.name(), t);
            t.kinds().forEach(k -> byKind.putIfAbsent(k, t));
        }
        this.shards = emptyShards();
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = new HashMap<>();
        }
        pins.forEach(p -> shards[shard(p.key())].put(p.key(), p));
        this.pinCount = Arrays.stream(shards).mapToInt(Map::size).sum();
    }

    private PinSnapshot(PinSnapshot base, Map<PinKey, Pin>[] shards) {
        this.templates = base.templates;
        this.byKind = base.byKind;
        this.shards = shards;
        this.pinCount = Arrays.stream(shards).mapToInt(Map::size).sum();
    }

    @SuppressWarnings("unchecked")
    private static Map<PinKey, Pin>[] emptyShards() {
        return (Map<PinKey, Pin>[]) new Map[SHARDS];
    }

    private static int shard(PinKey key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (SHARDS - 1);
    }

    /**
     * This snapshot with some pins replaced: each key maps to its pin as now stored, or to empty when
     * it no longer exists. Templates are shared, pins copied; the store is not read again.
     */
    public PinSnapshot withPins(Map<PinKey, Optional<Pin>> fresh) {
        Map<PinKey, Pin>[] next = shards.clone();
        boolean[] copied = new boolean[SHARDS];
        for (Map.Entry<PinKey, Optional<Pin>> e : fresh.entrySet()) {
            int i = shard(e.getKey());
            if (!copied[i]) {
                next[i] = new HashMap<>(shards[i]);
                copied[i] = true;
            }
            if (e.getValue().isPresent()) {
                next[i].put(e.getKey(), e.getValue().get());
            } else {
                next[i].remove(e.getKey());
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
        return shards[shard(key)].get(key);
    }

    public int pinCount() {
        return pinCount;
    }

    /** Every pin, in no particular order: for callers that filter them, without the sort {@link #pins()} pays. */
    public List<Pin> pinsInAnyOrder() {
        List<Pin> list = ordered;
        if (list != null) {
            return list;
        }
        return Collections.unmodifiableList(gathered());
    }

    private List<Pin> gathered() {
        List<Pin> all = new ArrayList<>(pinCount);
        for (Map<PinKey, Pin> s : shards) {
            all.addAll(s.values());
        }
        return all;
    }

    /** Every pin, in (environment, template, region) order. */
    public List<Pin> pins() {
        List<Pin> list = ordered;
        if (list == null) {
            List<Pin> sorted = gathered();
            sorted.sort(Comparator.comparing(Pin::key, PinKey.ORDER));
            list = List.copyOf(sorted);
            ordered = list;
        }
        return list;
    }

    public List<Pin> pins(String environment) {
        return pins().stream().filter(p -> p.key().environment().equals(environment)).toList();
    }
}
