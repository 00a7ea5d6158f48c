package io.lockstep.oci;

import java.time.Instant;
import java.util.Objects;

/**
 * One decoded ECR authorization token: basic credentials (user is always {@code AWS}) and when ECR
 * says they stop working. A class rather than a record so the password never shows in {@code toString}.
 */
public final class EcrAuthorization {

    private final RegistryCredentials credentials;
    private final Instant expiresAt;

    public EcrAuthorization(RegistryCredentials credentials, Instant expiresAt) {
        this.credentials = Objects.requireNonNull(credentials);
        this.expiresAt = Objects.requireNonNull(expiresAt);
    }

    public RegistryCredentials credentials() {
        return credentials;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public String toString() {
        return "EcrAuthorization[user=" + credentials.username() + ", expiresAt=" + expiresAt + "]";
    }
}
