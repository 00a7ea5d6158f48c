package io.lockstep.oci;

import java.util.Optional;

/**
 * How we authenticate to one registry. In every mode a {@code 401} carrying a
 * {@code WWW-Authenticate: Bearer} challenge is answered with the token flow (that is how Docker Hub,
 * GHCR, Harbor and GitLab work even for anonymous pulls); the mode decides what we present first and
 * what credentials the token server sees.
 */
public sealed interface RegistryAuth {

    /** No credentials; anonymous tokens are fetched when the registry challenges. */
    record Anonymous() implements RegistryAuth {
    }

    /** Basic auth sent with every request (htpasswd registries); the same credentials go to a token server if challenged. */
    record Basic(RegistryCredentials credentials) implements RegistryAuth {
    }

    /**
     * Nothing sent until challenged; then a bearer token is fetched from the challenge's realm, with
     * basic credentials if given, anonymously otherwise.
     */
    record Bearer(Optional<RegistryCredentials> tokenCredentials) implements RegistryAuth {
    }

    /** Amazon ECR: short-lived basic credentials from {@code GetAuthorizationToken}, cached and refreshed. */
    record Ecr(EcrCredentialProvider provider) implements RegistryAuth {
    }

    static RegistryAuth anonymous() {
        return new Anonymous();
    }

    static RegistryAuth basic(RegistryCredentials credentials) {
        return new Basic(credentials);
    }

    static RegistryAuth bearer(RegistryCredentials credentials) {
        return new Bearer(Optional.of(credentials));
    }

    static RegistryAuth anonymousBearer() {
        return new Bearer(Optional.empty());
    }

    static RegistryAuth ecr(EcrCredentialProvider provider) {
        return new Ecr(provider);
    }
}
