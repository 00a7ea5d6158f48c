package io.lockstep.cli.client;

import io.lockstep.domain.Digest;

/**
 * One line of a command's result: one target × template. {@code status} is what happened
 * ({@code created}, {@code updated}, {@code unchanged}, {@code excluded}, {@code FAILED},
 * {@code PIN MISMATCH}, plan verdicts …); {@code ok} decides the exit code; {@code detail} carries
 * the server's body or the reason.
 */
public record ResultRow(String target, String template, String from, String to, String status, boolean ok,
                        String detail) {
    /** A write that got no answer and whose effect the read-back could not confirm (exit 4). */
    public static final String OUTCOME_UNKNOWN = "OUTCOME UNKNOWN";

    public static ResultRow failed(String target, String template, String to, String detail) {
        return new ResultRow(target, template, null, to, "FAILED", false, detail);
    }

    public boolean outcomeUnknown() {
        return OUTCOME_UNKNOWN.equals(status);
    }

    /** {@code sha256:201a5fa… → sha256:19f3175…}, or the single digest when nothing moved. */
    public String movement() {
        if (from == null && to == null) {
            return "-";
        }
        if (from == null || to == null || from.equals(to)) {
            return brief(to != null ? to : from);
        }
        return brief(from) + " → " + brief(to);
    }

    public static String brief(String digest) {
        return digest == null ? "-" : Digest.shortForm(digest) + (digest.length() > 19 ? "…" : "");
    }
}
