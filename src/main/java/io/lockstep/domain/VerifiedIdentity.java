package io.lockstep.domain;

import java.util.Map;
import java.util.Objects;

/**
 * Who a caller is, as proven by a signed OIDC ID token of a CI system rather than declared by the
 * caller: the token's issuer and subject, the configured issuer's name, the claim rule that granted
 * access, and the claims worth recording (e.g. GitHub's {@code repository}, {@code ref},
 * {@code workflow_ref}, {@code run_id}; GitLab's {@code project_path}, {@code pipeline_id}). These
 * are the facts a change can carry as {@code verified} provenance. Nothing here is secret; the token
 * itself is never kept.
 */
public record VerifiedIdentity(String issuerName, String issuer, String subject, String rule,
                               Map<String, String> claims) {
    public VerifiedIdentity {
        Objects.requireNonNull(issuerName, "issuerName");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(rule, "rule");
        // Sorted so the same token always yields the same recorded provenance (history is hash-chained).
        claims = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(claims));
    }
}
