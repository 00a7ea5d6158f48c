package io.lockstep.domain.webhook;

import java.time.Instant;

/**
 * A subscription with its delivery state: {@code cursor} is the last event id it is done with, {@code failing}
 * whether its receiver has failed {@code consecutiveFailures} times in a row (at least the configured
 * threshold), {@code lastError} a short excerpt of the last failure.
 */
public record SubscriptionState(Subscription subscription, Instant createdAt, long cursor, int consecutiveFailures,
                                boolean failing, String lastError, Instant lastAttemptAt, Instant lastSuccessAt) {
}
