package io.lockstep.store;

import io.lockstep.domain.DashboardSession;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/** {@link SessionStore} on the {@link JdbiStore}'s pool, outside its pin write lock. */
final class JdbiSessionStore implements SessionStore {
    private final JdbiStore store;

    JdbiSessionStore(JdbiStore store) {
        this.store = store;
    }

    private <T> T run(Function<DashboardSessionTable, T> work) {
        try {
            return store.withTable(DashboardSessionTable::new, work);
        } catch (RuntimeException e) {
            throw JdbiStore.translated(e);
        }
    }

    @Override
    public void insert(DashboardSession session) {
        run(t -> {
            t.insert(session);
            return null;
        });
    }

    @Override
    public Optional<DashboardSession> find(String idSha256) {
        return run(t -> t.find(idSha256));
    }

    @Override
    public boolean delete(String idSha256) {
        return run(t -> t.delete(idSha256));
    }

    @Override
    public int deleteExpired(Instant now) {
        return run(t -> t.deleteExpired(now));
    }
}
