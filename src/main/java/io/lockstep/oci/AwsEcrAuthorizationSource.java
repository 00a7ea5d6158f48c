package io.lockstep.oci;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.GetAuthorizationTokenResponse;

/**
 * Calls ECR {@code GetAuthorizationToken} with the AWS SDK's default credential chain (env vars, web
 * identity, instance profile, …). The JDK-based url-connection HTTP client is used: one call every
 * ~11 hours does not justify Netty or Apache HttpClient in the jar. Not exercised in tests: ECR needs
 * AWS, which this build cannot reach; {@link CachingEcrCredentialProvider} is tested with a fake source.
 */
public final class AwsEcrAuthorizationSource implements Supplier<EcrAuthorization> {

    private static final Pattern ECR_HOST = Pattern.compile("^\\d{12}\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?$");

    private final String region;
    private volatile EcrClient client;

    public AwsEcrAuthorizationSource(String region) {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("ECR region must be set (e.g. eu-west-1)");
        }
        this.region = region;
    }

    /** The region of an ECR registry host such as {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com}. */
    public static String regionOfHost(String host) {
        Matcher m = ECR_HOST.matcher(host);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an ECR registry host: " + host + " (expected <account>.dkr.ecr.<region>.amazonaws.com)");
        }
        return m.group(1);
    }

    @Override
    public EcrAuthorization get() {
        GetAuthorizationTokenResponse response;
        try {
            response = client().getAuthorizationToken();
        } catch (SdkException e) {
            // SDK messages describe the failing credential provider or AWS error code, never secret keys.
            String detail = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
            if (detail.length() > 300) {
                detail = detail.substring(0, 300) + "…";
            }
            throw new RegistryAuthException("ECR GetAuthorizationToken failed in region " + region + " ("
                    + e.getClass().getSimpleName() + ")" + detail);
        }
        if (response.authorizationData().isEmpty()) {
            throw new RegistryAuthException("ECR GetAuthorizationToken in region " + region + " returned no authorization data");
        }
        AuthorizationData data = response.authorizationData().get(0);
        return decode(data.authorizationToken(), data.expiresAt(), region);
    }

    /** ECR's token is base64("AWS:" + password). */
    static EcrAuthorization decode(String token, Instant expiresAt, String region) {
        String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new RegistryAuthException("ECR authorization token for region " + region + " is malformed");
        }
        RegistryCredentials credentials = RegistryCredentials.of(decoded.substring(0, colon), decoded.substring(colon + 1),
                "ECR GetAuthorizationToken (" + region + ")");
        return new EcrAuthorization(credentials, expiresAt != null ? expiresAt : Instant.now().plusSeconds(12 * 3600));
    }

    private EcrClient client() {
        EcrClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = EcrClient.builder()
                            .region(Region.of(region))
                            .httpClientBuilder(UrlConnectionHttpClient.builder())
                            .build();
                }
                c = client;
            }
        }
        return c;
    }
}
