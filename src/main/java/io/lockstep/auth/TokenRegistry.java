package io.lockstep.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Finds the token a request presents. Every configured token is compared, in constant time, with
 * the SHA-256 of the presented secret, so neither timing nor early exit tells an attacker which
 * prefix matched.
 */
public final class TokenRegistry {
    private final List<ApiToken> tokens;

    public TokenRegistry(List<ApiToken> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    public Optional<ApiToken> authenticate(String presentedSecret) {
        if (presentedSecret == null || presentedSecret.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(presentedSecret);
        ApiToken match = null;
        for (ApiToken t : tokens) {
            if (MessageDigest.isEqual(t.secretSha256(), presented) && match == null) {
                match = t;
            }
        }
        return Optional.ofNullable(match);
    }

    public int size() {
        return tokens.size();
    }

    public static byte[] sha256(String secret) {
        return SHA256.get().digest(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** One digest per thread: every request hashes its token, and the provider lookup is not free. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
}
