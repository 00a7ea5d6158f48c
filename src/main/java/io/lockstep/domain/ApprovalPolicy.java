package io.lockstep.domain;

import java.time.Duration;
import java.util.List;

/**
 * {@code approvals: {count, from_scopes, distinct_from_promoter, expire_after}} of an environment: a
 * change enters only with {@code count} live approvals of that very release or digest, each by a
 * distinct identity holding one of {@code fromScopes} (scope words such as {@code approve}) and, with
 * {@code distinctFromPromoter}, not by the identity making the change (four-eyes). An approval lives
 * {@code expireAfter} from when it was given (see {@link PromotionGate}).
 */
public record ApprovalPolicy(int count, List<String> fromScopes, boolean distinctFromPromoter, Duration expireAfter) {
    public static final Duration DEFAULT_EXPIRY = Duration.ofHours(24);

    public ApprovalPolicy {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        fromScopes = fromScopes == null || fromScopes.isEmpty() ? List.of("approve") : List.copyOf(fromScopes);
        expireAfter = expireAfter == null ? DEFAULT_EXPIRY : expireAfter;
        if (expireAfter.isNegative() || expireAfter.isZero()) {
            throw new IllegalArgumentException("expire_after must be positive");
        }
    }

    /** The defaults: one approval, by a token with scope approve other than the promoter's, for 24 h. */
    public static ApprovalPolicy of(int count) {
        return new ApprovalPolicy(count, List.of("approve"), true, DEFAULT_EXPIRY);
    }

    /** Whether an approver who held {@code scopes} (every scope word their token granted) may count. */
    public boolean scopeCounts(List<String> scopes) {
        return scopes.stream().anyMatch(fromScopes::contains);
    }
}
