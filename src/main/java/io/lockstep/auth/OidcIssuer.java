package io.lockstep.auth;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One trusted OIDC issuer (a CI system): its exact {@code iss}, where its keys are ({@code jwksUri},
 * or null to read it from {@code <issuer>/.well-known/openid-configuration}), the audiences a token
 * must carry one of, the only signature algorithms accepted from it (pinned, so {@code alg: none}
 * and HS256-with-the-public-key are never tried), the clock skew allowed on {@code exp}/{@code nbf}/
 * {@code iat}, how long fetched keys are cached, the least time between two key fetches (an unknown
 * {@code kid} triggers a refetch, at most this often), the claims recorded as the caller's verified
 * identity, and the rules mapping claims to scopes and environments (first match wins).
 */
public record OidcIssuer(String name, String issuer, URI jwksUri, Set<String> audiences, Set<String> algorithms,
                         Duration clockSkew, Duration jwksCacheTtl, Duration jwksRefetchInterval,
                         List<String> recordedClaims, List<ClaimRule> rules) {
    public OidcIssuer {
        audiences = Set.copyOf(audiences);
        algorithms = Set.copyOf(algorithms);
        recordedClaims = List.copyOf(recordedClaims);
        rules = List.copyOf(rules);
    }
}
