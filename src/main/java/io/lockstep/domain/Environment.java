package io.lockstep.domain;

/**
 * One control plane's pin table ({@code staging}, {@code prod}, …). {@code upstream} is the
 * environment releases must pass through first (staging before prod), used by drift to spot
 * environments that advanced out of order.
 */
public record Environment(String name, String upstream, boolean requireProvenance, boolean verifyImages,
                          String mirrorTag, boolean autoPromote, OnImageGone onImageGone) {

    public Environment {
        onImageGone = onImageGone == null ? OnImageGone.WARN : onImageGone;
    }

    public Environment(String name, String upstream, boolean requireProvenance, boolean verifyImages,
                       String mirrorTag, boolean autoPromote) {
        this(name, upstream, requireProvenance, verifyImages, mirrorTag, autoPromote, OnImageGone.WARN);
    }

    public static Environment named(String name) {
        return new Environment(name, null, false, false, null, false);
    }

    /** The same environment behind {@code upstream}; drift's view of an environment is its name and upstream. */
    public Environment withUpstream(String upstream) {
        return new Environment(name, upstream, requireProvenance, verifyImages, mirrorTag, autoPromote, onImageGone);
    }
}
