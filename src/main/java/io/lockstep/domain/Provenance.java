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
            throw LockstepException.invalid("INVALID_PROVENANCE", "provenance may have at most " + MAX_ENTRIES + " entries.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            if (!KEY.matcher(e.getKey()).matches()) {
                throw LockstepException.invalid("INVALID_PROVENANCE", "provenance keys must be lower-case identifiers like ci_run; got "
                        + Names.quoteForError(e.getKey()) + ".");
            }
            if (!(e.getValue() instanceof String value) || value.length() > MAX_VALUE) {
                throw LockstepException.invalid("INVALID_PROVENANCE", "provenance." + e.getKey()
                        + " must be a string of at most " + MAX_VALUE + " characters.");
            }
            out.put(e.getKey(), value);
        }
        return out;
    }

    /** An environment that requires provenance wants at least the CI run and the commit. */
    public static boolean isComplete(Map<String, String> provenance) {
        return provenance.containsKey("ci_run") && provenance.containsKey("commit");
    }
}
