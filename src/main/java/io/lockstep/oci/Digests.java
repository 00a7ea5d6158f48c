package io.lockstep.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Content digests as the OCI distribution spec writes them ({@code algorithm:hex}). The registry's
 * digest is only trusted after we recompute it from the bytes we received.
 */
public final class Digests {

    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("sha512:[a-f0-9]{128}");

    private Digests() {
    }

    /** The sha256 digest of {@code bytes}, e.g. {@code sha256:9f86…}. */
    public static String sha256(byte[] bytes) {
        return compute("sha256", bytes);
    }

    /** Recomputes {@code bytes} with the algorithm named by {@code expectedDigest} (sha256 or sha512). */
    public static String computeLike(String expectedDigest, byte[] bytes) {
        String algorithm = expectedDigest.substring(0, expectedDigest.indexOf(':'));
        return compute(algorithm, bytes);
    }

    /** True for a well-formed sha256 or sha512 digest (lower-case hex, nothing else). */
    public static boolean isDigest(String reference) {
        return reference != null && (SHA256.matcher(reference).matches() || SHA512.matcher(reference).matches());
    }

    private static String compute(String algorithm, byte[] bytes) {
        String jca = switch (algorithm) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported digest algorithm: " + algorithm);
        };
        try {
            return algorithm + ":" + HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jca + " missing from the JDK", e);
        }
    }
}
