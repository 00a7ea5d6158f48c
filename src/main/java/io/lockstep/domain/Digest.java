package io.lockstep.domain;

import java.util.regex.Pattern;

/** An image digest: {@code sha256:} followed by exactly 64 lower-case hex characters, nothing else. */
public final class Digest {
    private static final Pattern FORM = Pattern.compile("^sha256:[a-f0-9]{64}$");

    private Digest() {
    }

    public static boolean isValid(String value) {
        return value != null && FORM.matcher(value).matches();
    }

    /** Validates {@code value} as a digest; {@code field} names the input in the error sentence. */
    public static String require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new LockstepException(Problem.INVALID_DIGEST, field + " is required: give a digest like sha256:<64 lower-case hex>.");
        }
        if (!isValid(value)) {
            throw new LockstepException(Problem.INVALID_DIGEST,
                    field + " must be sha256: followed by 64 lower-case hex characters; got "
                            + Names.quoteForError(value) + ".");
        }
        return value;
    }

    /** The short form used in human output: {@code sha256:19f3175a1b2c}. */
    public static String shortForm(String digest) {
        return digest == null ? "-" : digest.length() > 19 ? digest.substring(0, 19) : digest;
    }
}
