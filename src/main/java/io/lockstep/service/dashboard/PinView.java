package io.lockstep.service.dashboard;

import java.util.List;

/**
 * What the pin page shows for one (environment, template, region): the pin now, its drift status, the history
 * newest first, the history chain's verification state, and whether the caller may roll back. Built by
 * {@link PinViews#build} in one pass; no HTML here.
 *
 * @param current null when the pin was never set
 * @param done    the entry a rollback just wrote (the confirmation after the redirect), or null
 */
public record PinView(String environment, String template, String region, Current current, List<Entry> history,
                      Chain chain, boolean canRollback, Entry done) {

    /** The page's own URL (with {@code ?region=} for a regional pin). */
    public String path() {
        return "/pins/" + environment + "/" + template + (PinViews.GLOBAL.equals(region) ? "" : "?region=" + region);
    }

    public String rollbackPath() {
        return "/ui/pins/" + environment + "/" + template + "/rollback";
    }

    /**
     * The pin now. {@code status} is the drift status's wire name ({@code stuck}; {@code unknown} when drift has
     * no finding for it), {@code label} the word shown, {@code explanation} drift's sentence.
     */
    public record Current(long version, String digest, String shortDigest, String runtimeVersion, String releaseId,
                          String age, String promotedBy, String status, String label, String explanation,
                          String notes) {
    }

    /**
     * One history entry. {@code rollbackTarget}: its digest differs from the pin's now, so the pin can go back to it.
     * {@code provenance} as {@code key=value} lines; {@code verified} the verified CI identity's lines, if any.
     */
    public record Entry(long seq, String at, String who, String action, String fromDigest, String fromShort,
                        String toDigest, String toShort, String runtimeVersion, String releaseId,
                        String provenanceKind, List<String> provenance, String notes, String overrideReason,
                        boolean rollbackTarget) {
        /** What the rollback button says, naming the digest (and version) it returns to. */
        public String rollbackLabel(String template, String environment) {
            return "Roll back " + template + " in " + environment + " to " + toShort
                    + (runtimeVersion == null ? "" : " (" + runtimeVersion + ")");
        }
    }

    /**
     * The history chain: {@code state} {@code verified}, {@code broken} or {@code not_shown} (a token limited to
     * some environments may not read the chain, which links every environment's entries: the API's rule).
     */
    public record Chain(String state, String text) {
    }
}
