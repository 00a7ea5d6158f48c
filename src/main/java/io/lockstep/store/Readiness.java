package io.lockstep.store;

/** What {@code /readyz} reports: ready, or the reason code and sentence of why not. */
public record Readiness(boolean ready, String code, String reason) {
    public static final Readiness READY = new Readiness(true, null, null);

    public static Readiness not(StoreUnavailableException.Reason why) {
        return new Readiness(false, why.code(), why.sentence());
    }
}
