package io.lockstep.auth;

import java.util.Locale;

/**
 * What a token may do. {@code admin} implies {@code promote}, which implies {@code read};
 * {@code report} (fleet instance reports) is separate so a fleet agent's token cannot promote.
 */
public enum Scope {
    READ, PROMOTE, ADMIN, REPORT;

    public boolean grants(Scope wanted) {
        return switch (this) {
            case ADMIN -> true;
            case PROMOTE -> wanted == PROMOTE || wanted == READ;
            case READ -> wanted == READ;
            case REPORT -> wanted == REPORT;
        };
    }

    public static Scope parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scope '" + value + "' (use read, promote, admin or report)");
        }
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
