package io.lockstep.auth;


import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Finds the token a request presents. Every configured token is compared, in constant time, with
 * the SHA-256 of the presented secret, so neither timing nor early exit tells an attacker which
 * prefix matched. A presented secret that matches no configured token but has the shape of a JWT
 * is checked as an OIDC ID token of a configured CI issuer ({@link OidcAuthenticator}), which either
 * yields a caller or throws the precise reason it is refused.
 */
public final class TokenRegistry {
    private final List<ApiToken> tokens;
    private final OidcAuthenticator oidc;

    public TokenRegistry(List<ApiToken> tokens) {
        this(tokens, null);
    }

    public TokenRegistry(List<ApiToken> tokens, OidcAuthenticator oidc) {
        this.tokens = List.copyOf(tokens);
        this.oidc = oidc != null && oidc.enabled() ? oidc : null;
    }

    /** True when checking {@code presentedSecret} may fetch an issuer's keys (network I/O). */
    public boolean mayBlock(String presentedSecret) {
        return oidc != null && OidcAuthenticator.looksLikeJwt(presentedSecret);
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
        if (match == null && oidc != null && OidcAuthenticator.looksLikeJwt(presentedSecret)) {
            return Optional.of(oidc.authenticate(presentedSecret));
        }
        return Optional.ofNullable(match);
    }

    /**
     * The configured token whose secret has SHA-256 {@code secretSha256}, compared in constant time like
     * {@link #authenticate}: a dashboard session re-finds its token on every request, so a token removed from
     * the configuration ends its sessions.
     */
    public Optional<ApiToken> configured(byte[] secretSha256) {
        if (secretSha256 == null || secretSha256.length != 32) {
            return Optional.empty();
        }
        ApiToken match = null;
        for (ApiToken t : tokens) {
            if (MessageDigest.isEqual(t.secretSha256(), secretSha256) && match == null) {
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
