package io.lockstep.domain.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The signature of a delivery: {@code sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">} keyed with the
 * subscription's secret. The timestamp is inside the signed text so a receiver that refuses old timestamps
 * also refuses replays of a captured delivery.
 */
public final class WebhookSignature {
    public static final String SIGNATURE_HEADER = "X-Lockstep-Signature";
    public static final String TIMESTAMP_HEADER = "X-Lockstep-Timestamp";
    public static final String EVENT_ID_HEADER = "X-Lockstep-Event-Id";

    /**
     * Per thread, a Mac keyed with the secret it signed with last: a delivery worker signs with one secret, and
     * {@code Mac.getInstance} (a provider look-up) plus the key set-up cost more than the HMAC of a small body.
     * {@code doFinal} leaves the Mac reset with its key, ready for the next body.
     */
    private static final ThreadLocal<KeyedMac> MACS = ThreadLocal.withInitial(KeyedMac::new);

    private WebhookSignature() {
    }

    /** The header value for {@code body} sent at {@code epochSeconds}. */
    public static String sign(String secret, long epochSeconds, byte[] body) {
        Mac mac = MACS.get().keyedWith(secret);
        mac.update((epochSeconds + ".").getBytes(StandardCharsets.UTF_8));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** Constant-time check of a received header value, as a receiver does it. */
    public static boolean verify(String secret, long epochSeconds, byte[] body, String header) {
        byte[] expected = sign(secret, epochSeconds, body).getBytes(StandardCharsets.UTF_8);
        return header != null && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8));
    }

    private static final class KeyedMac {
        private final Mac mac;
        private String secret;

        KeyedMac() {
            try {
                mac = Mac.getInstance("HmacSHA256");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        }

        Mac keyedWith(String s) {
            if (!s.equals(secret)) {
                secret = null; // not keyed with anything known until init succeeds
                try {
                    mac.init(new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("an HMAC key of any length is valid", e);
                }
                secret = s;
            } else {
                mac.reset(); // a sign() that failed halfway must not leave input behind
            }
            return mac;
        }
    }
}
