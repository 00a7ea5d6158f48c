package io.lockstep.oci;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caches ECR authorization tokens. ECR tokens live 12 hours; we refresh early — after
 * {@link #REFRESH_AFTER} (11 h) or {@link #EXPIRY_MARGIN} (30 min) before the stated expiry, whichever
 * comes first — so a request never races an expiring token. If a refresh fails while the cached token
 * is still valid we keep using it (AWS STS hiccups should not stop image verification) and try again
 * on the next call; once it has expired the failure propagates.
 */
public final class CachingEcrCredentialProvider implements EcrCredentialProvider {

    static final Duration REFRESH_AFTER = Duration.ofHours(11);
    static final Duration EXPIRY_MARGIN = Duration.ofMinutes(30);
    private static final Logger LOG = LoggerFactory.getLogger(CachingEcrCredentialProvider.class);

    private final Supplier<EcrAuthorization> source;
    private final Clock clock;
    private EcrAuthorization cached;
    private Instant refreshAt = Instant.MIN;

    public CachingEcrCredentialProvider(Supplier<EcrAuthorization> source, Clock clock) {
        this.source = Objects.requireNonNull(source);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public synchronized RegistryCredentials credentials() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(refreshAt)) {
            try {
                EcrAuthorization fresh = source.get();
                Instant byAge = now.plus(REFRESH_AFTER);
                Instant byExpiry = fresh.expiresAt().minus(EXPIRY_MARGIN);
                refreshAt = byAge.isBefore(byExpiry) ? byAge : byExpiry;
                cached = fresh;
            } catch (RuntimeException e) {
                if (cached != null && now.isBefore(cached.expiresAt())) {
                    LOG.warn("ECR token refresh failed ({}); using cached token valid until {}", e.getClass().getSimpleName(), cached.expiresAt());
                    return cached.credentials();
                }
                throw e;
            }
        }
        return cached.credentials();
    }

    @Override
    public synchronized void invalidate() {
        cached = null;
        refreshAt = Instant.MIN;
    }
}
