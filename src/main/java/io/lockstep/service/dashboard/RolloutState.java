package io.lockstep.service.dashboard;

/**
 * A fleet's state in the words of the {@code fleet.*} events: {@code converged} at or above
 * {@code events.fleet_converged_at}; {@code regressed} below it after having reached it on the same digest (what
 * {@code fleet.regressed} tells); {@code rolling out} below it since the pin moved (no event: a rollout is not a
 * regression); {@code no instances} when none runs nor is missing; {@code not pinned} when instances report for a
 * template without a pin there. Declared most urgent first: a row shows the worst of its regions.
 */
public enum RolloutState {
    REGRESSED("regressed", "REGRESSED"),
    NOT_PINNED("not-pinned", "NOT PINNED"),
    ROLLING_OUT("rolling-out", "ROLLING OUT"),
    CONVERGED("converged", "CONVERGED"),
    NO_INSTANCES("no-instances", "NO INSTANCES");

    private final String wire;
    private final String label;

    RolloutState(String wire, String label) {
        this.wire = wire;
        this.label = label;
    }

    /** The lower-case name in {@code data-state} and the CSS class. */
    public String wire() {
        return wire;
    }

    /** The words shown. */
    public String label() {
        return label;
    }
}
