package io.lockstep.auth;

import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * The time and audience rules of an ID token whose signature has been verified; pure, with the
 * time as an input. {@code exp}, {@code iat} and {@code sub} are required (every CI issuer sets
 * them); {@code nbf} is checked when present. Messages name the rule and the server's view of time,
 * never the token.
 */
final class ClaimChecks {
    private ClaimChecks() {
    }

    static void check(OidcIssuer issuer, Map<String, Object> claims, Instant now) {
        Duration skew = issuer.clockSkew();
        Instant exp = instant(claims.get("exp"));
        Instant iat = instant(claims.get("iat"));
        Object sub = claims.get("sub");
        if (exp == null || iat == null || !(sub instanceof String s) || s.isEmpty()) {
            throw invalid(issuer, "claims", "lacks one of the required claims exp, iat and sub");
        }
        if (!now.isBefore(exp.plus(skew))) {
            throw new LockstepException(Problem.OIDC_TOKEN_EXPIRED, "The ID token of issuer " + issuer.name()
                    + " has expired (allowed clock skew " + skew.toSeconds() + " s); request a fresh token in the job.");
        }
        Instant nbf = instant(claims.get("nbf"));
        if ((nbf != null && now.plus(skew).isBefore(nbf)) || now.plus(skew).isBefore(iat)) {
            throw new LockstepException(Problem.OIDC_TOKEN_NOT_YET_VALID, "The ID token of issuer " + issuer.name()
                    + " is not valid yet (nbf or iat is ahead of this server's clock by more than "
                    + skew.toSeconds() + " s); check the clocks of the CI runner and the server.");
        }
        if (audiences(claims.get("aud")).stream().noneMatch(issuer.audiences()::contains)) {
            throw new LockstepException(Problem.OIDC_AUDIENCE_MISMATCH, "The ID token of issuer " + issuer.name()
                    + " was not issued for this server: request it with audience "
                    + String.join(" or ", issuer.audiences().stream().sorted().toList()) + ".");
        }
    }

    static LockstepException invalid(OidcIssuer issuer, String reason, String what) {
        return new LockstepException(Problem.OIDC_TOKEN_INVALID, "The ID token" + (issuer == null ? "" : " of issuer "
                + issuer.name()) + " " + what + ".", Map.of("reason", reason));
    }

    /** JWT NumericDate (seconds), as nimbus hands it over (a Date) or as a raw number. */
    static Instant instant(Object claim) {
        if (claim instanceof Date d) {
            return d.toInstant();
        }
        if (claim instanceof Number n) {
            return Instant.ofEpochSecond(n.longValue());
        }
        return null;
    }

    private static List<String> audiences(Object aud) {
        if (aud instanceof String s) {
            return List.of(s);
        }
        if (aud instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }
}
