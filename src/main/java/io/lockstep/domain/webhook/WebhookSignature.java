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

    private WebhookSignature() {
    }

    /** The header value for {@code body} sent at {@code epochSeconds}. */
    public static String sign(String secret, long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Constant-time check of a received header value, as a receiver does it. */
    public static boolean verify(String secret, long epochSeconds, byte[] body, String header) {
        byte[] expected = sign(secret, epochSeconds, body).getBytes(StandardCharsets.UTF_8);
        return header != null && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8));
    }
}
