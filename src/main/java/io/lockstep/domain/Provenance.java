package io.lockstep.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a promotion came from (CI run, workflow, commit, …). Kept as a small string map so any CI
 * system fits; keys are validated so provenance cannot become a dumping ground.
 */
public final class Provenance {
    private static final Pattern KEY = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");
    private static final int MAX_ENTRIES = 16;
    private static final int MAX_VALUE = 300;

    private Provenance() {
    }

    public static Map<String, String> validate(Map<String, ?> raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        if (raw.size() > MAX_ENTRIES) {
            throw new LockstepException(Problem.INVALID_PROVENANCE, "provenance may have at most " + MAX_ENTRIES + " entries.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            if (!KEY.matcher(e.getKey()).matches()) {
                throw new LockstepException(Problem.INVALID_PROVENANCE, "provenance keys must be lower-case identifiers like ci_run; got "
                        + Names.quoteForError(e.getKey()) + ".");
            }
            if (!(e.getValue() instanceof String value) || value.length() > MAX_VALUE) {
                throw new LockstepException(Problem.INVALID_PROVENANCE, "provenance." + e.getKey()
                        + " must be a string of at most " + MAX_VALUE + " characters.");
            }
            if (!printable(value)) {
                throw new LockstepException(Problem.INVALID_PROVENANCE, "provenance." + e.getKey()
                        + " must not contain control or invisible formatting characters (line breaks, escape, bidi overrides).");
            }
            out.put(e.getKey(), value);
        }
        return out;
    }

    /**
     * Provenance values are single-line identifiers and URLs, shown in history and CI logs: unlike
     * notes they may not even hold a line break or tab, and no invisible character that could hide
     * or reorder what a reader sees.
     */
    private static boolean printable(String value) {
        return value.codePoints().noneMatch(cp -> {
            int type = Character.getType(cp);
            return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
        });
    }

    /** Where a verified caller's own (declared) entries go: a validated key never holds a dot, so none can pass for a claim. */
    public static final String DECLARED_PREFIX = "declared.";

    /** The provenance a change records and how far it can be trusted. */
    public record Recorded(ProvenanceKind kind, Map<String, String> values) {
        public Recorded {
            values = values == null ? Map.of() : Map.copyOf(values);
        }
    }

    /**
     * What a change records. A caller with a verified identity records the token's claims (and its
     * issuer, subject and the claim rule that let it in) as {@code verified}; whatever it declared
     * besides is kept, but only under {@link #DECLARED_PREFIX}{@code key}, so a declared
     * {@code repository} or {@code ci_run} can never overwrite or pass for a verified one. Any other
     * caller's {@code declared} values (validated) are recorded as they are; none at all is {@code none}.
     */
    public static Recorded record(VerifiedIdentity verified, Map<String, String> declared) {
        Map<String, String> own = declared == null ? Map.of() : declared;
        if (verified == null) {
            return new Recorded(own.isEmpty() ? ProvenanceKind.NONE : ProvenanceKind.DECLARED, own);
        }
        Map<String, String> out = new java.util.TreeMap<>();
        own.forEach((k, v) -> out.put(DECLARED_PREFIX + k, v));
        out.putAll(verified.claims());
        out.put("iss", verified.issuer());
        out.put("sub", verified.subject());
        out.put("oidc_issuer", verified.issuerName());
        out.put("oidc_rule", verified.rule());
        return new Recorded(ProvenanceKind.VERIFIED, out);
    }

    /** An environment that requires provenance wants at least the CI run and the commit. */
    public static boolean isComplete(Map<String, String> provenance) {
        return provenance.containsKey("ci_run") && provenance.containsKey("commit");
    }
}
