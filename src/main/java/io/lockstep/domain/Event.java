package io.lockstep.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One fact Lockstep tells the world about (issue 13): a pin moved, a release was registered, a pin fell
 * behind, an image disappeared. Events are written to the store's outbox in the transaction that makes
 * the fact true, so a write that commits always has its events and one that rolls back never does.
 *
 * <p>{@code id} is assigned by the store under its write lock and grows with commit order, so "every
 * event after id N" never misses one that commits later with a smaller id. {@code environment},
 * {@code template}, {@code region} and {@code group} say what the event is about (each may be null);
 * {@code actor} is the token identity that caused it (null for the server's own schedule), {@code data}
 * the event's before/after and details: JSON-shaped values only (String, Number, Boolean, List, Map, null).
 */
public record Event(long id, String type, Instant at, String environment, String template, String region,
                    String group, String actor, Map<String, Object> data) {

    /** The version of the event document ({@code "version"} in its JSON); raised only for incompatible changes. */
    public static final int VERSION = 1;

    public static final String PIN_PROMOTED = "pin.promoted";
    public static final String PIN_ROLLED_BACK = "pin.rolled_back";
    public static final String RELEASE_REGISTERED = "release.registered";
    public static final String RELEASE_PROMOTED = "release.promoted";
    public static final String DRIFT_CHANGED = "drift.changed";
    public static final String IMAGE_GONE = "image.gone";
    public static final String MIRROR_STALE = "mirror.stale";
    public static final String FLEET_CONVERGED = "fleet.converged";
    public static final String FLEET_REGRESSED = "fleet.regressed";
    public static final String APPROVAL_GIVEN = "approval.given";
    public static final String APPROVAL_REVOKED = "approval.revoked";
    public static final String APPROVAL_REQUESTED = "approval.requested";
    public static final String FREEZE_STARTED = "freeze.started";
    public static final String FREEZE_LIFTED = "freeze.lifted";
    public static final String POLICY_CHANGED = "policy.changed";
    public static final String OVERRIDE_USED = "override.used";
    /** A release nobody promoted was registered again with other images, or withdrawn (issue 13). */
    public static final String RELEASE_REPLACED = "release.replaced";
    public static final String RELEASE_WITHDRAWN = "release.withdrawn";

    /** Every event type, in the order the docs list them; subscriptions and stream filters name these. */
    public static final List<String> TYPES = List.of(PIN_PROMOTED, PIN_ROLLED_BACK, RELEASE_REGISTERED,
            RELEASE_PROMOTED, DRIFT_CHANGED, IMAGE_GONE, MIRROR_STALE, FLEET_CONVERGED, FLEET_REGRESSED,
            APPROVAL_GIVEN, APPROVAL_REVOKED, APPROVAL_REQUESTED, FREEZE_STARTED, FREEZE_LIFTED, POLICY_CHANGED,
            OVERRIDE_USED, RELEASE_REPLACED, RELEASE_WITHDRAWN);
    private static final Set<String> KNOWN = Set.copyOf(TYPES);

    public Event {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** An event not stored yet (the store assigns its id). */
    public static Event of(String type, Instant at, PinKey key, String group, String actor, Map<String, Object> data) {
        return new Event(0, type, at, key == null ? null : key.environment(), key == null ? null : key.template(),
                key == null ? null : key.region(), group, actor, data);
    }

    public static boolean isKnownType(String type) {
        return KNOWN.contains(type);
    }

    /** The same event as stored with {@code id}. */
    public Event withId(long id) {
        return new Event(id, type, at, environment, template, region, group, actor, data);
    }
}
