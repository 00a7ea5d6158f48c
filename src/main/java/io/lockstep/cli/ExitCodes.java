package io.lockstep.cli;

/** The CLI's exit codes; pipelines branch on them, so they never change meaning. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int DRIFT = 3;
    /** A write got no answer and the read-back could not show it applied: look before retrying. */
    public static final int OUTCOME_UNKNOWN = 4;

    private ExitCodes() {
    }
}
