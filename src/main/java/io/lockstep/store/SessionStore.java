package io.lockstep.store;

import io.lockstep.domain.DashboardSession;

import java.time.Instant;
import java.util.Optional;

/**
 * Dashboard sessions (V17). Bookkeeping like the fleet's reports: each call is one short statement outside the
 * pin write lock, with no change notification, so signing in never makes a promote wait. The row is in the
 * store, so a session works on every replica.
 */
public interface SessionStore {

    void insert(DashboardSession session);

    Optional<DashboardSession> find(String idSha256);

    /** Whether a session was deleted. */
    boolean delete(String idSha256);

    /** Deletes the sessions expired at {@code now}; how many. */
    int deleteExpired(Instant now);
}
