package io.lockstep.domain;

/** Why a history entry exists. Stored as the lower-case name. */
public enum Action {
    /** a single pin moved by a promote call */
    PROMOTE,
    /** a pin moved as part of promoting a whole release */
    RELEASE,
    /** a pin moved back to an earlier digest */
    ROLLBACK,
    /** a release was promoted without this template, with a recorded reason; the pin did not move */
    EXCLUDE;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Action fromWire(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
