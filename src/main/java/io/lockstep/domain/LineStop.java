package io.lockstep.domain;

import java.time.Instant;

/**
 * Stop the line: a person froze an environment, or one group of templates in it, because something is
 * wrong right now (an incident, a bad release in flight). Unlike a {@link Fence}, a machine-held lock of
 * at most a day, a stop has no required end: it lasts until someone lifts it or its {@code until} passes.
 * A lifted stop is kept (with who lifted it and why) as the record of the incident.
 *
 * @param group      the template group the stop covers, or null for the whole environment
 * @param until      when the stop ends by itself, or null (it lasts until lifted)
 * @param liftedAt   when it was lifted, or null while not lifted
 */
public record LineStop(String id, String environment, String group, String reason, String stoppedBy, Instant since,
                       Instant until, Instant liftedAt, String liftedBy, String liftReason) {

    /** A stop nobody lifted yet. */
    public LineStop(String id, String environment, String group, String reason, String stoppedBy, Instant since,
                    Instant until) {
        this(id, environment, group, reason, stoppedBy, since, until, null, null, null);
    }

    /** In force at {@code now}: not lifted, and {@code now} is before its end (exactly at {@code until} it is over). */
    public boolean activeAt(Instant now) {
        return liftedAt == null && (until == null || now.isBefore(until));
    }

    /** Whether it stops a change of a template in {@code templateGroup} (null: a template without a group). */
    public boolean covers(String templateGroup) {
        return group == null || group.equals(templateGroup);
    }

    /** What the stop holds: {@code prod} or {@code prod (group runtime)}. */
    public String scope() {
        return group == null ? environment : environment + " (group " + group + ")";
    }

    public LineStop lifted(Instant at, String by, String reason) {
        return new LineStop(id, environment, group, this.reason, stoppedBy, since, until, at, by, reason);
    }
}
