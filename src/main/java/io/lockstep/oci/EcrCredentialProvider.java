package io.lockstep.oci;

/**
 * Supplies the current basic credentials for an Amazon ECR registry. ECR has no long-lived registry
 * password: an IAM identity exchanges itself for a 12-hour token ({@code GetAuthorizationToken}).
 * Implementations cache that token; {@link #invalidate()} is called when the registry answers 401 so
 * the next call fetches a fresh one (the token may have been revoked early).
 */
public interface EcrCredentialProvider {

    RegistryCredentials credentials();

    void invalidate();

    /** The real provider for one AWS region: SDK default credential chain, cached with early refresh. */
    static EcrCredentialProvider aws(String region) {
        return new CachingEcrCredentialProvider(new AwsEcrAuthorizationSource(region), java.time.Clock.systemUTC());
    }
}
