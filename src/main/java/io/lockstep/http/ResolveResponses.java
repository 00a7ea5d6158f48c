package io.lockstep.http;

import io.lockstep.domain.ImageStatus;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.service.ImageStatuses;
import io.lockstep.service.PinSnapshot;
import io.lockstep.service.SnapshotHolder;
import io.lockstep.wire.ResolveJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serialised body of a successful resolve, built once per pin per snapshot. Resolve is the hot
 * path and its answer changes only when a commit replaces the snapshot, so serialising the same
 * pin to JSON on every request was measurable work for nothing (see bench/README.md).
 *
 * <p>The body is a function of the {@link Pin} (its key names the environment, template and
 * region) and of its image status from the audit, so any cached entry is always correct; entries are
 * dropped with the snapshot that created the pins, or when any image status changed
 * ({@link ImageStatuses#version()}), which keeps the cache as small as the snapshot and keeps the
 * audit off the request path.
 */
final class ResolveResponses {
    private record Bodies(PinSnapshot snapshot, long statusVersion, Map<PinKey, Body> byKey) {
    }

    /**
     * Keyed by the pin's key and checked by identity: hashing the whole Pin record per request cost more.
     * {@code goneAnswers} counts resolves that handed out a gone image (null unless {@code status} is gone).
     */
    record Body(Pin pin, byte[] bytes, ImageStatus status, Counter goneAnswers) {
        boolean gone() {
            return status == ImageStatus.GONE;
        }
    }

    private final SnapshotHolder snapshots;
    private final ImageStatuses statuses;
    private final MeterRegistry meters;
    private volatile Bodies bodies = new Bodies(null, -1, new ConcurrentHashMap<>());

    ResolveResponses(SnapshotHolder snapshots, ImageStatuses statuses, MeterRegistry meters) {
        this.snapshots = snapshots;
        this.statuses = statuses;
        this.meters = meters;
    }

    Body body(Pin pin) {
        Bodies current = bodies;
        PinSnapshot snapshot = snapshots.get();
        long version = statuses.version();
        if (current.snapshot() != snapshot || current.statusVersion() != version) {
            current = new Bodies(snapshot, version, new ConcurrentHashMap<>());
            bodies = current;
        }
        Body cached = current.byKey().get(pin.key());
        if (cached == null || cached.pin() != pin) {
            ImageStatus status = statuses.of(pin);
            Counter gone = status != ImageStatus.GONE ? null : Counter.builder("lockstep_resolve_image_gone")
                    .description("Resolves that handed out an image the pinned-image audit found gone (on_image_gone: warn)")
                    .tag("environment", pin.key().environment()).tag("template", pin.key().template())
                    .register(meters);
            cached = new Body(pin, Respond.bytes(ResolveJson.write(pin, status)), status, gone);
            current.byKey().put(pin.key(), cached);
        }
        return cached;
    }
}
