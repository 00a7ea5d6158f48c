package io.lockstep.auth;

import java.util.Locale;

/**
 * What a token may do. {@code admin} implies {@code promote}, which implies {@code read};
 * {@code report} (fleet instance reports) is separate so a fleet agent's token cannot promote.
 * {@code approve} (approvals of a change, issue 12) implies {@code read}, so an approver can look at
 * what they approve, and nothing else: a CI token with {@code promote} cannot approve its own change,
 * and an approver cannot promote. {@code admin} grants it too.
 */
public enum Scope {
    READ, PROMOTE, ADMIN, REPORT, APPROVE;

    public boolean grants(Scope wanted) {
        return switch (this) {
            case ADMIN -> true;
            case PROMOTE -> wanted == PROMOTE || wanted == READ;
            case READ -> wanted == READ;
            case REPORT -> wanted == REPORT;
            case APPROVE -> wanted == APPROVE || wanted == READ;
        };
    }

    public static Scope parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scope '" + value + "' (use read, promote, admin, report or approve)");
        }
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
