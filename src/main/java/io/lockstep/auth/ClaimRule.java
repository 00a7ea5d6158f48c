package io.lockstep.auth;


import java.util.Map;
import java.util.Set;

/**
 * What a verified token is granted when its claims match: every {@code match} entry must hold (a
 * value ending in {@code *} matches any claim value starting with the part before it; other values
 * match exactly). Only string, number and boolean claims are compared. {@code environments} is null
 * when the rule does not limit environments.
 */
public record ClaimRule(String name, Map<String, String> match, Set<Scope> scopes, Set<String> environments) {
    public ClaimRule {
        match = Map.copyOf(match);
        scopes = Set.copyOf(scopes);
        environments = environments == null ? null : Set.copyOf(environments);
    }

    /** True when every {@code match} entry holds for {@code claims} (the token's verified claims). */
    public boolean matches(Map<String, Object> claims) {
        for (Map.Entry<String, String> want : match.entrySet()) {
            String got = scalar(claims.get(want.getKey()));
            if (got == null || !matches(want.getValue(), got)) {
                return false;
            }
        }
        return true;
    }

    static boolean matches(String pattern, String value) {
        return pattern.endsWith("*") ? value.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(value);
    }

    /** The claim as a string when it is a scalar; lists and objects never match a rule. */
    static String scalar(Object claim) {
        if (claim instanceof String s) {
            return s;
        }
        if (claim instanceof Number || claim instanceof Boolean) {
            return claim.toString();
        }
        return null;
    }
}
