package io.lockstep.service.registry;

import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.service.SnapshotHolder;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Pins flagged together with the digest the flag is about (image gone, mirror stale). A flag only
 * counts while the pin still points at that digest: promoting the pin elsewhere makes it moot
 * without anyone having to clear it.
 */
final class PinnedDigestFlags {
    private final SnapshotHolder snapshot;
    private final Map<PinKey, String> flagged = new ConcurrentHashMap<>();

    PinnedDigestFlags(SnapshotHolder snapshot) {
        this.snapshot = snapshot;
    }

    void flag(PinKey key, String digest) {
        flagged.put(key, digest);
    }

    void clear(PinKey key) {
        flagged.remove(key);
    }

    /** Clears the flag only if it is still about {@code digest} (a newer flag for the pin stays). */
    void clear(PinKey key, String digest) {
        flagged.remove(key, digest);
    }

    boolean isFlagged(PinKey key) {
        return flagged.containsKey(key);
    }

    /** Flagged pins that still point at the flagged digest. */
    Set<PinKey> current() {
        return flagged.entrySet().stream()
                .filter(e -> {
                    Pin now = snapshot.get().pin(e.getKey());
                    return now != null && now.digest().equals(e.getValue());
                })
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }
}
