package io.lockstep.oci;

import io.lockstep.server.AdjustableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * ECR token caching and early refresh. Real ECR cannot run here (no AWS account or network), so the
 * {@code GetAuthorizationToken} call is replaced by a fake supplier and time by a hand-moved clock;
 * {@link AwsEcrAuthorizationSource} itself is only covered for token decoding.
 */
class CachingEcrCredentialProviderTest {

    private final AdjustableClock clock = frozenAt(Instant.parse("2026-01-01T00:00:00Z"));

    private static AdjustableClock frozenAt(Instant at) {
        AdjustableClock c = new AdjustableClock();
        c.freezeAt(at);
        return c;
    }
    private final AtomicInteger calls = new AtomicInteger();

    /** Each call returns a new password, valid for 12 h from the current (fake) time. */
    private final Supplier<EcrAuthorization> fake = () -> {
        int n = calls.incrementAndGet();
        return new EcrAuthorization(RegistryCredentials.of("AWS", "token-" + n, "fake ECR"), clock.instant().plus(Duration.ofHours(12)));
    };

    @Test
    void cachesForElevenHoursThenRefreshes() {
        CachingEcrCredentialProvider provider = new CachingEcrCredentialProvider(fake, clock);
        String first = provider.credentials().basicAuthorization();
        clock.advance(Duration.ofHours(10).plusMinutes(59));
        assertThat(provider.credentials().basicAuthorization()).isEqualTo(first);
        assertThat(calls).hasValue(1);

        clock.advance(Duration.ofMinutes(1));
        assertThat(provider.credentials().basicAuthorization()).isNotEqualTo(first);
        assertThat(calls).hasValue(2);
    }

    @Test
    void refreshesThirtyMinutesBeforeAShortExpiry() {
        CachingEcrCredentialProvider provider = new CachingEcrCredentialProvider(
                () -> {
                    calls.incrementAndGet();
                    return new EcrAuthorization(RegistryCredentials.of("AWS", "short", "fake"), clock.instant().plus(Duration.ofHours(2)));
                }, clock);
        provider.credentials();
        clock.advance(Duration.ofMinutes(89));
        provider.credentials();
        assertThat(calls).hasValue(1);
        clock.advance(Duration.ofMinutes(1));
        provider.credentials();
        assertThat(calls).hasValue(2);
    }

    @Test
    void invalidateForcesANewToken() {
        CachingEcrCredentialProvider provider = new CachingEcrCredentialProvider(fake, clock);
        provider.credentials();
        provider.invalidate();
        provider.credentials();
        assertThat(calls).hasValue(2);
    }

    @Test
    void failedRefreshKeepsAStillValidTokenButNotAnExpiredOne() {
        AtomicInteger n = new AtomicInteger();
        CachingEcrCredentialProvider provider = new CachingEcrCredentialProvider(() -> {
            if (n.incrementAndGet() > 1) {
                throw new RegistryAuthException("ECR GetAuthorizationToken failed in region eu-west-1: SdkClientException");
            }
            return new EcrAuthorization(RegistryCredentials.of("AWS", "only", "fake"), clock.instant().plus(Duration.ofHours(12)));
        }, clock);
        String token = provider.credentials().basicAuthorization();
        clock.advance(Duration.ofHours(11).plusMinutes(5));
        assertThat(provider.credentials().basicAuthorization()).isEqualTo(token);
        clock.advance(Duration.ofHours(1));
        assertThatThrownBy(provider::credentials).isInstanceOf(RegistryAuthException.class).hasMessageContaining("eu-west-1");
    }

    @Test
    void decodesTheAwsTokenFormat() {
        String token = Base64.getEncoder().encodeToString("AWS:eyJwYXlsb2FkIjoi".getBytes(StandardCharsets.UTF_8));
        EcrAuthorization auth = AwsEcrAuthorizationSource.decode(token, Instant.parse("2026-01-01T12:00:00Z"), "eu-west-1");
        assertThat(auth.credentials().username()).isEqualTo("AWS");
        assertThat(auth.expiresAt()).isEqualTo(Instant.parse("2026-01-01T12:00:00Z"));
        assertThat(auth.toString()).doesNotContain("eyJwYXlsb2FkIjoi");
        assertThatThrownBy(() -> AwsEcrAuthorizationSource.decode(Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8)),
                null, "eu-west-1")).hasMessageContaining("malformed").hasMessageNotContaining("nocolon");
    }

    @Test
    void ecrClientSendsBasicAndRefetchesAfter401() {
        // The client side of ECR auth: basic credentials from the provider; a 401 invalidates and retries once.
        try (StandInServer server = new StandInServer((ex, n) -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            boolean current = auth != null && auth.equals(RegistryCredentials.of("AWS", "token-2", "x").basicAuthorization());
            StandInServer.respond(ex, current ? 404 : 401, null);
        })) {
            CachingEcrCredentialProvider provider = new CachingEcrCredentialProvider(fake, clock);
            RegistryClient client = new RegistryClient(RegistryConfig.builder(server.url()).auth(RegistryAuth.ecr(provider)).rateLimit(0, 1).build());
            assertThat(client.headManifest("team/app", "v1")).isEmpty();
            assertThat(calls).hasValue(2);
            assertThat(server.requestCount()).isEqualTo(2);
        }
    }
}
