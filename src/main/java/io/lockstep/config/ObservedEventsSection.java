package io.lockstep.config;

import io.lockstep.service.events.ObservedEvents;

import java.time.Duration;

/**
 * The observed-event keys of {@code events:} ({@code drift_interval}, default 30s, 0 turns observed events
 * off; {@code fleet_converged_at}, default 0.95). Each mistake is one {@link ConfigException} naming the key.
 */
public final class ObservedEventsSection {
    private ObservedEventsSection() {
    }

    public static ObservedEvents.Settings parse(ConfigNode events) {
        if (!events.isPresent() || events.raw().isNull()) {
            return ObservedEvents.Settings.DEFAULT;
        }
        events.requireObject();
        Duration interval = events.duration("drift_interval", ObservedEvents.Settings.DEFAULT.interval());
        if (!interval.isZero() && interval.toMillis() < 100) {
            throw new ConfigException(events.path() + ".drift_interval", "must be 0 (off) or at least 100ms");
        }
        double at = events.decimal("fleet_converged_at", ObservedEvents.Settings.DEFAULT.fleetConvergedAt(), 0.01, 1.0);
        return new ObservedEvents.Settings(interval, at);
    }
}
