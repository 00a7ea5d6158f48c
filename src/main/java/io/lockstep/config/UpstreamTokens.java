package io.lockstep.config;

import java.util.Map;

/**
 * The bearer tokens of remote upstreams, read once at start from the variables their
 * {@code token_env} names. Holds secrets, so it is a class, not a record: nothing prints them.
 */
public final class UpstreamTokens {
    private final Map<String, String> byVariable;

    UpstreamTokens(Map<String, String> byVariable) {
        this.byVariable = Map.copyOf(byVariable);
    }

    public static UpstreamTokens none() {
        return new UpstreamTokens(Map.of());
    }

    /** The token held by variable {@code tokenEnv}; null when no remote upstream names it. */
    public String get(String tokenEnv) {
        return byVariable.get(tokenEnv);
    }

    @Override
    public String toString() {
        return "UpstreamTokens" + byVariable.keySet();
    }
}
