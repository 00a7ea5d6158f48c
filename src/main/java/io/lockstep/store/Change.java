package io.lockstep.store;

import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a committed write changed, as far as in-memory copies of the store care: the pins it wrote,
 * or {@linkplain #everything() everything} (templates changed, a change too large to describe, or a
 * reconnect after which notifications may have been lost). Lets the resolve snapshot re-read just
 * the pins a promote wrote instead of the whole pin table after every commit.
 *
 * <p>It travels between replicas as the PostgreSQL NOTIFY payload, whose limit is 8000 bytes.
 *
 * @param saved the pins exactly as this process's transaction stored them, for some or all of {@code pins}; never
 *              sent to other replicas, and empty after a {@link #merge}
 */
public record Change(Set<PinKey> pins, boolean isEverything, Map<PinKey, Pin> saved) {
    /** Beyond this many pins a change is sent, and applied, as a full reload. */
    public static final int MAX_PINS = 200;
    private static final String EVERYTHING = "*";
    /** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; the replica id and a space come first. */
    static final int MAX_ENCODED = 7900;

    public Change {
        pins = Set.copyOf(pins);
        saved = Map.copyOf(saved);
    }

    public Change(Set<PinKey> pins, boolean isEverything) {
        this(pins, isEverything, Map.of());
    }

    public static Change everything() {
        return new Change(Set.of(), true);
    }

    public static Change of(Set<PinKey> pins) {
        return pins.size() > MAX_PINS ? everything() : new Change(pins, false);
    }

    /** The pins {@code saved} wrote, as stored. */
    static Change saved(Map<PinKey, Pin> saved) {
        return saved.size() > MAX_PINS ? everything() : new Change(saved.keySet(), false, saved);
    }

    public Change merge(Change other) {
        if (isEverything || other.isEverything) {
            return everything();
        }
        Set<PinKey> all = new LinkedHashSet<>(pins);
        all.addAll(other.pins);
        return of(all);
    }

    /**
     * {@code *}, or space-separated {@code environment/template/region} (names never contain either);
     * {@code *} also when the list would not fit in a notification.
     */
    String encode() {
        if (isEverything) {
            return EVERYTHING;
        }
        StringBuilder out = new StringBuilder();
        for (PinKey k : pins) {
            out.append(out.isEmpty() ? "" : " ").append(k.environment()).append('/').append(k.template()).append('/')
                    .append(k.region());
        }
        return out.length() > MAX_ENCODED ? EVERYTHING : out.toString();
    }

    /** The inverse of {@link #encode}; anything it cannot read (an older replica's payload) is everything. */
    static Change decode(String text) {
        if (text == null || text.equals(EVERYTHING)) {
            return everything();
        }
        Set<PinKey> keys = new LinkedHashSet<>();
        for (String part : text.split(" ")) {
            if (part.isEmpty()) {
                continue;
            }
            String[] f = part.split("/", -1);
            if (f.length != 3 || f[0].isEmpty() || f[1].isEmpty() || f[2].isEmpty()) {
                return everything();
            }
            keys.add(new PinKey(f[0], f[1], f[2]));
        }
        return of(keys);
    }
}
