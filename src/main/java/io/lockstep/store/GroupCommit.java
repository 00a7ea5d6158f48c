package io.lockstep.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for SQLite's one writer. Writes that arrive while another holds the write lock queue up; the first of
 * them to get the lock while its own write has not run yet leads: it takes every queued write (up to
 * {@link #MAX_BATCH}, in arrival order) and runs them in one transaction with one commit, so one fsync. Under
 * concurrent promotes the commit was about 60% of the time the lock was held (bench/README.md, ninth session).
 *
 * <p>Durability is unchanged: a write's call returns only after the commit that holds it, or with the failure that
 * kept it out. What each write sees is unchanged too: they run one after another, each seeing those before it.
 * That a refused write leaves no trace and does not take the others down is the {@link Runner}'s part (a savepoint
 * per write). The waiting writers that a leader ran find their outcome when they get the lock, and leave at once.
 *
 * @param <W> a write's work
 * @param <R> what a write that ran gives back
 */
final class GroupCommit<W, R> {
    /** Bounds the wait of the leader's own caller, whose write may be the first of the batch. */
    static final int MAX_BATCH = 32;

    /** Runs a batch in one transaction and settles every write in it (done or failed); a throw fails those left. */
    interface Runner<W, R> {
        void run(List<Write<W, R>> batch);
    }

    /** One write: its work, then its outcome, set under the lock. */
    static final class Write<W, R> {
        final W work;
        private R result;
        private Throwable failure;
        private boolean settled;

        private Write(W work) {
            this.work = work;
        }

        void done(R value) {
            result = value;
            settled = true;
        }

        void failed(Throwable cause) {
            failure = cause;
            settled = true;
        }

        boolean settled() {
            return settled;
        }

        private R outcome() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return result;
        }
    }

    private final ReentrantLock lock;
    private final Queue<Write<W, R>> queue = new ConcurrentLinkedQueue<>();

    GroupCommit(ReentrantLock lock) {
        this.lock = lock;
    }

    /** Runs the work, alone or with others, and returns its result once committed; or throws why it was not. */
    R write(W work, Runner<W, R> runner) {
        Write<W, R> mine = new Write<>(work);
        queue.add(mine);
        lock.lock();
        try {
            // Not settled while the lock is ours: it is still queued (a leader settles what it takes before unlocking).
            while (!mine.settled()) {
                List<Write<W, R>> batch = next();
                try {
                    runner.run(batch);
                } catch (RuntimeException | Error e) {
                    settleLeft(batch, e);
                } finally {
                    settleLeft(batch, new IllegalStateException("a group commit ended without this write's outcome"));
                }
            }
        } finally {
            lock.unlock();
        }
        return mine.outcome();
    }

    /** Writes queued and not taken by a leader yet. */
    int queued() {
        return queue.size();
    }

    private List<Write<W, R>> next() {
        List<Write<W, R>> batch = new ArrayList<>();
        for (Write<W, R> w; batch.size() < MAX_BATCH && (w = queue.poll()) != null; ) {
            batch.add(w);
        }
        return batch;
    }

    private static <W, R> void settleLeft(List<Write<W, R>> batch, Throwable cause) {
        for (Write<W, R> w : batch) {
            if (!w.settled()) {
                w.failed(cause);
            }
        }
    }
}
