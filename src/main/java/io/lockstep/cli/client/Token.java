package io.lockstep.cli.client;

/**
 * A bearer token read from an environment variable. It has no public accessor and its
 * {@code toString} is redacted, so it cannot reach output, logs or exception messages by accident;
 * only {@link LockstepClient} reads it, to build the Authorization header.
 */
public final class Token {
    static final String REDACTED = "<redacted>";
    private final String value;

    private Token(String value) {
        this.value = value;
    }

    /** The token in {@code variable}, or null when the variable is unset or blank. */
    public static Token fromEnvironment(java.util.Map<String, String> env, String variable) {
        String v = env.get(variable);
        return v == null || v.isBlank() ? null : new Token(v.trim());
    }

    String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
