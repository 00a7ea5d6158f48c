package io.lockstep.service;

import io.lockstep.domain.Environment;
import io.lockstep.domain.ProvenanceKind;
import io.lockstep.domain.VerifiedIdentity;

/**
 * "Would this promote pass the gate now?", asked without making it: of a registered release
 * ({@code releaseId}) or of one pin ({@code template} at {@code digest}), in {@code region} (null: global).
 *
 * @param verified the asker's proven CI identity, or null: the change is judged as carrying its claims
 * @param assumed  a provenance kind to judge the change by instead (drift asks as the CI pipeline that
 *                 would make the catch-up), or null
 */
public record PromotabilityQuestion(Environment environment, String releaseId, String template, String digest,
                                    String region, VerifiedIdentity verified, ProvenanceKind assumed) {
    public static PromotabilityQuestion ofRelease(Environment env, String releaseId, String region) {
        return new PromotabilityQuestion(env, releaseId, null, null, region, null, null);
    }

    public static PromotabilityQuestion ofPin(Environment env, String template, String digest, String region) {
        return new PromotabilityQuestion(env, null, template, digest, region, null, null);
    }

    public PromotabilityQuestion by(VerifiedIdentity identity) {
        return new PromotabilityQuestion(environment, releaseId, template, digest, region, identity, assumed);
    }

    public PromotabilityQuestion assuming(ProvenanceKind kind) {
        return new PromotabilityQuestion(environment, releaseId, template, digest, region, verified, kind);
    }
}
