package io.lockstep.http;

import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.service.PinSnapshot;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.wire.ResolveJson;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serialised body of a successful resolve, built once per pin per snapshot. Resolve is the hot
 * path and its answer changes only when a commit replaces the snapshot, so serialising the same
 * pin to JSON on every request was measurable work for nothing (see bench/README.md).
 *
 * <p>The body is a function of the {@link Pin} alone (its key names the environment, template and
 * region), so any cached entry is always correct; entries are dropped with the snapshot that
 * created the pins, which keeps the cache as small as the snapshot.
 */
final class ResolveResponses {
    private record Bodies(PinSnapshot snapshot, Map<PinKey, Body> byKey) {
    }

    /** Keyed by the pin's key and checked by identity: hashing the whole Pin record per request cost more. */
    private record Body(Pin pin, byte[] bytes) {
    }

    private final SnapshotHolder snapshots;
    private volatile Bodies bodies = new Bodies(null, new ConcurrentHashMap<>());

    ResolveResponses(SnapshotHolder snapshots) {
        this.snapshots = snapshots;
    }

    byte[] body(Pin pin) {
        Bodies current = bodies;
        PinSnapshot snapshot = snapshots.get();
        if (current.snapshot() != snapshot) {
            current = new Bodies(snapshot, new ConcurrentHashMap<>());
            bodies = current;
        }
        Body cached = current.byKey().get(pin.key());
        if (cached == null || cached.pin() != pin) {
            cached = new Body(pin, serialise(pin));
            current.byKey().put(pin.key(), cached);
        }
        return cached.bytes();
    }

    private static byte[] serialise(Pin pin) {
        return Respond.bytes(ResolveJson.write(pin));
    }
}
