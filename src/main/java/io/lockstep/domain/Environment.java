package io.lockstep.domain;

import java.util.List;
import java.util.Locale;

/**
 * One control plane's pin table ({@code staging}, {@code prod}, …). {@code upstream} is the
 * environment releases must pass through first (staging before prod), used by drift to spot
 * environments that advanced out of order. {@code provenance} is what every change there must carry
 * ({@code require_provenance}). {@code policy} is its promotion policy: the stage a change must have
 * soaked in first and its freeze windows ({@link PromotionPolicy}, enforced by {@link PromotionGate}).
 */
public record Environment(String name, String upstream, RequiredProvenance provenance, boolean verifyImages,
                          String mirrorTag, boolean autoPromote, OnImageGone onImageGone, PromotionPolicy policy) {

    /**
     * {@code require_provenance}: {@code false} ({@code NONE}); {@code true} ({@code DECLARED}, at least
     * {@code ci_run} and {@code commit}, or verified claims); {@code verified} ({@code VERIFIED}: only the
     * claims of a verified OIDC ID token count, since anyone holding a shared token can declare anything).
     */
    public enum RequiredProvenance {
        NONE, DECLARED, VERIFIED;

        /** The API's word: {@code none}, {@code declared} or {@code verified}. */
        public String apiWord() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Reads {@link #apiWord()}; anything else (an older server wrote nothing) is {@code NONE}. */
        public static RequiredProvenance fromApiWord(String word) {
            for (RequiredProvenance r : values()) {
                if (r.apiWord().equals(word)) {
                    return r;
                }
            }
            return NONE;
        }

        /** The configuration's word: {@code false}, {@code true} or {@code verified}. */
        public String wire() {
            return switch (this) {
                case NONE -> "false";
                case DECLARED -> "true";
                case VERIFIED -> name().toLowerCase(Locale.ROOT);
            };
        }
    }

    public Environment {
        provenance = provenance == null ? RequiredProvenance.NONE : provenance;
        onImageGone = onImageGone == null ? OnImageGone.WARN : onImageGone;
        policy = policy == null ? PromotionPolicy.NONE : policy;
    }

    /** An environment with no promotion policy. */
    public Environment(String name, String upstream, RequiredProvenance provenance, boolean verifyImages, String mirrorTag,
                       boolean autoPromote, OnImageGone onImageGone) {
        this(name, upstream, provenance, verifyImages, mirrorTag, autoPromote, onImageGone, PromotionPolicy.NONE);
    }

    public Environment(String name, String upstream, RequiredProvenance provenance, boolean verifyImages, String mirrorTag,
                       boolean autoPromote) {
        this(name, upstream, provenance, verifyImages, mirrorTag, autoPromote, OnImageGone.WARN);
    }

    /** {@code requireProvenance}: {@code true} asks for declared-complete provenance, as before {@code verified} existed. */
    public Environment(String name, String upstream, boolean requireProvenance, boolean verifyImages, String mirrorTag,
                       boolean autoPromote) {
        this(name, upstream, requireProvenance ? RequiredProvenance.DECLARED : RequiredProvenance.NONE, verifyImages,
                mirrorTag, autoPromote);
    }

    public static Environment named(String name) {
        return new Environment(name, null, false, false, null, false);
    }

    /** The stage a change must have soaked in first, or null ({@code requires}). */
    public StageRequirement requires() {
        return policy.requires();
    }

    /** The spans in which this environment takes no promote ({@code freeze_windows}). */
    public List<FreezeWindow> freezeWindows() {
        return policy.freezeWindows();
    }

    /** The approvals a change here needs, or null ({@code approvals}). */
    public ApprovalPolicy approvals() {
        return policy.approvals();
    }

    /** True when changes here must carry provenance at all (declared or verified). */
    public boolean requireProvenance() {
        return provenance != RequiredProvenance.NONE;
    }

    /** The same environment with another provenance requirement (drift flags {@code UNVERIFIED} pins by it). */
    public Environment withProvenance(RequiredProvenance required) {
        return new Environment(name, upstream, required, verifyImages, mirrorTag, autoPromote, onImageGone, policy);
    }

    /** The same environment behind {@code upstream}; drift's view of an environment is its name, upstream and provenance requirement. */
    public Environment withUpstream(String upstream) {
        return new Environment(name, upstream, provenance, verifyImages, mirrorTag, autoPromote, onImageGone, policy);
    }

    /** The same environment under another promotion policy (set through the admin API). */
    public Environment withPolicy(PromotionPolicy policy) {
        return new Environment(name, upstream, provenance, verifyImages, mirrorTag, autoPromote, onImageGone, policy);
    }
}
