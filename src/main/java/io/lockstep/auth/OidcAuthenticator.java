package io.lockstep.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Problem;
import io.lockstep.domain.VerifiedIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns an OIDC ID token of a CI system into a caller: the token's unverified {@code iss} picks
 * the configured issuer (401 {@code OIDC_ISSUER_UNKNOWN} for any other), its header must name one of
 * that issuer's pinned algorithms (so {@code alg: none} or HS256 signed with the public key is
 * refused before any key is touched), its signature must verify with a key from the issuer's JWKS,
 * then {@code exp}/{@code nbf}/{@code iat} and {@code aud} are checked ({@link ClaimChecks}), and
 * the first claim rule that matches grants its scopes and environments (403 {@code OIDC_NO_GRANT}
 * when none does: the caller is authenticated but granted nothing). When the issuer's keys cannot
 * be fetched the token cannot be checked, so it is refused with 503 {@code ISSUER_UNAVAILABLE}
 * (retryable): fail closed, never open.
 *
 * <p>Nothing of the token is logged or echoed; errors name the configured issuer and the rule.
 */
public final class OidcAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(OidcAuthenticator.class);
    /** Three base64url parts; the header of every JSON token starts with {"  (base64url "eyJ"). */
    private static final Pattern JWT_SHAPE = Pattern.compile("^eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*$");
    private static final DefaultJWSVerifierFactory VERIFIERS = new DefaultJWSVerifierFactory();

    private final Map<String, Verifying> byIssuer = new LinkedHashMap<>();
    private final Clock clock;

    public OidcAuthenticator(List<OidcIssuer> issuers, Clock clock) {
        this.clock = clock;
        for (OidcIssuer i : issuers) {
            Set<JWSAlgorithm> algs = i.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
            byIssuer.put(i.issuer(), new Verifying(i, algs, new JWSVerificationKeySelector<>(algs, IssuerKeys.of(i))));
        }
    }

    /** True when OIDC issuers are configured. */
    public boolean enabled() {
        return !byIssuer.isEmpty();
    }

    /**
     * Whether {@code presented} has the shape of a JWT (and so may need network I/O to verify).
     * Configured static tokens are never of this shape unless an operator made them so.
     */
    public static boolean looksLikeJwt(String presented) {
        return presented != null && presented.length() < 16_384 && JWT_SHAPE.matcher(presented).matches();
    }

    /** The caller {@code token} proves, or a {@link LockstepException} saying precisely why not. */
    public ApiToken authenticate(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw ClaimChecks.invalid(null, "malformed", "is not a well-formed signed JWT");
        }
        if (jwt instanceof PlainJWT) {
            throw ClaimChecks.invalid(null, "algorithm", "is unsigned (alg none), which is never accepted");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw ClaimChecks.invalid(null, "malformed", "is encrypted; send the signed ID token the CI issued");
        }
        Map<String, Object> claims;
        try {
            claims = signed.getJWTClaimsSet().getClaims();
        } catch (ParseException e) {
            throw ClaimChecks.invalid(null, "malformed", "has a payload that is not a JSON claims set");
        }
        Verifying v = claims.get("iss") instanceof String iss ? byIssuer.get(iss) : null;
        if (v == null) {
            throw new LockstepException(Problem.OIDC_ISSUER_UNKNOWN, "The ID token was issued by an issuer this"
                    + " server does not trust; configured issuers: " + String.join(", ", names()) + ".");
        }
        OidcIssuer issuer = v.issuer();
        JWSHeader header = signed.getHeader();
        if (!v.algorithms().contains(header.getAlgorithm())) {
            throw ClaimChecks.invalid(issuer, "algorithm", "is not signed with an algorithm accepted from this issuer ("
                    + String.join(", ", issuer.algorithms().stream().sorted().toList()) + ")");
        }
        verifySignature(v, signed);
        ClaimChecks.check(issuer, claims, clock.instant());
        for (ClaimRule rule : issuer.rules()) {
            if (rule.matches(claims)) {
                return new ApiToken(issuer.name() + ":" + rule.name(), rule.scopes(), rule.environments(), null,
                        identity(issuer, rule, claims), ClaimChecks.instant(claims.get("exp")));
            }
        }
        throw new LockstepException(Problem.OIDC_NO_GRANT, "The ID token of issuer " + issuer.name()
                + " is valid, but its claims match none of the rules configured for that issuer, so it grants nothing here.");
    }

    private static void verifySignature(Verifying v, SignedJWT signed) {
        OidcIssuer issuer = v.issuer();
        List<Key> keys;
        try {
            keys = v.keys().selectJWSKeys(signed.getHeader(), null);
        } catch (RateLimitReachedException e) {
            throw ClaimChecks.invalid(issuer, "unknown_key", "names a signing key (kid) the issuer does not publish"
                    + " (its keys were fetched less than " + issuer.jwksRefetchInterval().toSeconds() + " s ago)");
        } catch (KeySourceException e) {
            LOG.warn("OIDC issuer {}: cannot fetch its signing keys: {}", issuer.name(), e.getMessage());
            throw new LockstepException(Problem.ISSUER_UNAVAILABLE, "The signing keys of OIDC issuer " + issuer.name()
                    + " cannot be fetched right now, so the ID token cannot be checked; nothing was changed. Retry later.",
                    Map.of("retry_after_seconds", Math.max(1, issuer.jwksRefetchInterval().toSeconds())));
        }
        if (keys.isEmpty()) {
            throw ClaimChecks.invalid(issuer, "unknown_key", "names a signing key (kid) the issuer does not publish");
        }
        for (Key key : keys) {
            try {
                if (signed.verify(VERIFIERS.createJWSVerifier(signed.getHeader(), key))) {
                    return;
                }
            } catch (JOSEException e) {
                // a key of the wrong type or size for this algorithm: try the next candidate
            }
        }
        throw ClaimChecks.invalid(issuer, "signature", "has a signature that does not verify with the issuer's keys");
    }

    private static VerifiedIdentity identity(OidcIssuer issuer, ClaimRule rule, Map<String, Object> claims) {
        Set<String> recorded = new LinkedHashSet<>(issuer.recordedClaims());
        recorded.addAll(rule.match().keySet());
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : recorded) {
            String value = ClaimRule.scalar(claims.get(name));
            if (value != null) {
                values.put(name, value);
            }
        }
        return new VerifiedIdentity(issuer.name(), issuer.issuer(), (String) claims.get("sub"), rule.name(), values);
    }

    private List<String> names() {
        return byIssuer.values().stream().map(v -> v.issuer().name()).toList();
    }

    private record Verifying(OidcIssuer issuer, Set<JWSAlgorithm> algorithms,
                             JWSVerificationKeySelector<SecurityContext> keys) {
    }
}
