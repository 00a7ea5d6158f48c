package io.lockstep.domain;

import java.util.regex.Pattern;

/**
 * Validation of the names that key pins: environments, templates, regions, groups and kinds.
 * One rule for all of them keeps URLs, metrics labels and SQL keys safe without escaping.
 */
public final class Names {
    private static final Pattern NAME = Pattern.compile("^[a-z0-9](?:[a-z0-9._-]{0,62})$");
    private static final Pattern GIT_SHA = Pattern.compile("^[a-f0-9]{7,40}$");
    private static final Pattern RUNTIME_VERSION = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$");
    public static final int MAX_NOTES = 500;
    public static final String DEFAULT_REGION = "global";

    private Names() {
    }

    public static boolean isValid(String value) {
        return value != null && NAME.matcher(value).matches();
    }

    /** A git commit: 7 to 40 lower-case hex characters (the CLI checks options with the rule the server applies). */
    public static boolean isGitSha(String value) {
        return value != null && GIT_SHA.matcher(value).matches();
    }

    /** A runtime version: 1-64 characters of letters, digits, '.', '_', '+' or '-', starting with a letter or digit. */
    public static boolean isRuntimeVersion(String value) {
        return value != null && RUNTIME_VERSION.matcher(value).matches();
    }

    /** Validates a name; {@code field} is how the caller knows the input (e.g. {@code template_name}). */
    public static String require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new LockstepException(Problem.INVALID_NAME, field + " is required.");
        }
        if (!isValid(value)) {
            throw new LockstepException(Problem.INVALID_NAME, field + " must be 1-63 characters of a-z, 0-9, '.', '_' or '-', "
                    + "starting with a letter or digit; got " + quoteForError(value) + ".");
        }
        return value;
    }

    public static String regionOrDefault(String region) {
        return region == null || region.isEmpty() ? DEFAULT_REGION : require("region", region);
    }

    public static String optionalGitSha(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!isGitSha(value)) {
            throw new LockstepException(Problem.INVALID_GIT_SHA, "git_sha must be 7 to 40 lower-case hex characters; got "
                    + quoteForError(value) + ".");
        }
        return value;
    }

    public static String optionalRuntimeVersion(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!isRuntimeVersion(value)) {
            throw new LockstepException(Problem.INVALID_RUNTIME_VERSION, "runtime_version must be 1-64 characters of letters, digits, "
                    + "'.', '_', '+' or '-'; got " + quoteForError(value) + ".");
        }
        return value;
    }

    public static String optionalNotes(String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_NOTES) {
            throw new LockstepException(Problem.NOTES_TOO_LONG, "notes must be at most " + MAX_NOTES + " characters; got "
                    + value.length() + ".");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                throw new LockstepException(Problem.INVALID_NOTES, "notes must not contain control characters.");
            }
        }
        return value;
    }

    /**
     * Echoes a rejected value back in an error safely: truncated, with control characters escaped,
     * so an error body can never be used to smuggle a huge or terminal-hostile payload.
     */
    public static String quoteForError(String value) {
        StringBuilder out = new StringBuilder("\"");
        int limit = Math.min(value.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > limit) {
            out.append("…");
        }
        return out.append('"').toString();
    }
}
