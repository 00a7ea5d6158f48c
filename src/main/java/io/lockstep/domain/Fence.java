package io.lockstep.domain;

import java.time.Instant;

/**
 * A rollout lock on an environment. While a fence is active every promote into the environment is
 * refused with 409 and a body that says who holds it, why, and when to retry, so a client can wait
 * instead of throwing the refusal away.
 */
public record Fence(String id, String environment, String reason, String createdBy, Instant createdAt,
                    Instant expiresAt) {
    public boolean activeAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
