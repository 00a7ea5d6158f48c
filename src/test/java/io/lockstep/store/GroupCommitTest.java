package io.lockstep.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who leads, what a batch holds, and that every write gets its own outcome, without a database. */
class GroupCommitTest {
    private final ReentrantLock lock = new ReentrantLock(true);
    private final GroupCommit<Integer, String> commit = new GroupCommit<>(lock);
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();

    /** Queues writes 0..count-1 behind the held lock, in that order, each from its own thread. */
    private List<CompletableFuture<String>> queued(int count, GroupCommit.Runner<Integer, String> runner)
            throws InterruptedException {
        List<CompletableFuture<String>> results = new ArrayList<>();
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                int work = i;
                results.add(CompletableFuture.supplyAsync(() -> commit.write(work, runner),
                        r -> new Thread(r, "writer-" + work).start()));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (lock.getQueueLength() < i + 1) {
                    assertThat(System.nanoTime()).as("writer %d waits for the lock", i).isLessThan(deadline);
                    Thread.sleep(1);
                }
            }
            assertThat(commit.queued()).isEqualTo(count);
        } finally {
            lock.unlock();
        }
        return results;
    }

    private static Throwable failureOf(CompletableFuture<String> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private void recordAndAnswer(List<GroupCommit.Write<Integer, String>> batch) {
        assertThat(lock.isHeldByCurrentThread()).as("a batch runs under the write lock").isTrue();
        batches.add(batch.stream().map(w -> w.work).toList());
        for (GroupCommit.Write<Integer, String> w : batch) {
            w.done("ran " + w.work);
        }
    }

    @Test
    void theFirstWriterToGetTheLockRunsEveryQueuedWriteInOneBatchInArrivalOrder() throws Exception {
        List<CompletableFuture<String>> r = queued(5, this::recordAndAnswer);

        for (int i = 0; i < 5; i++) {
            assertThat(r.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("ran " + i);
        }
        assertThat(batches).containsExactly(List.of(0, 1, 2, 3, 4));
        assertThat(commit.queued()).isZero();
    }

    @Test
    void aBatchHoldsAtMostMaxBatchWritesAndTheRestRunInTheNext() throws Exception {
        int count = GroupCommit.MAX_BATCH + 3;
        List<CompletableFuture<String>> r = queued(count, this::recordAndAnswer);

        for (int i = 0; i < count; i++) {
            assertThat(r.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("ran " + i);
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0)).hasSize(GroupCommit.MAX_BATCH).startsWith(0, 1, 2);
        assertThat(batches.get(1)).containsExactly(GroupCommit.MAX_BATCH, GroupCommit.MAX_BATCH + 1,
                GroupCommit.MAX_BATCH + 2);
    }

    @Test
    void eachWriteGetsItsOwnOutcome() throws Exception {
        List<CompletableFuture<String>> r = queued(3, batch -> {
            batch.get(0).done("zero");
            batch.get(1).failed(new IllegalArgumentException("refused"));
            batch.get(2).done("two");
        });

        assertThat(r.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("zero");
        assertThat(failureOf(r.get(1))).isInstanceOf(IllegalArgumentException.class).hasMessage("refused");
        assertThat(r.get(2).get(10, TimeUnit.SECONDS)).isEqualTo("two");
    }

    @Test
    void aRunnerThatThrowsFailsEveryWriteItHadNotSettledAndTheNextWritesRunAgain() throws Exception {
        List<CompletableFuture<String>> r = queued(3, batch -> {
            batch.get(0).done("settled before the throw");
            throw new IllegalStateException("commit failed");
        });

        assertThat(r.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("settled before the throw");
        assertThat(failureOf(r.get(1))).hasMessage("commit failed");
        assertThat(failureOf(r.get(2))).hasMessage("commit failed");
        assertThat(commit.write(7, this::recordAndAnswer)).isEqualTo("ran 7");
    }

    @Test
    void aWriteTheRunnerForgotFailsInsteadOfWaitingForever() throws Exception {
        List<CompletableFuture<String>> r = queued(2, batch -> batch.get(0).done("only the first"));

        assertThat(r.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("only the first");
        assertThat(failureOf(r.get(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without this write's outcome");
    }

    @Test
    void aWriteAloneRunsOnItsCallersThread() {
        assertThat(commit.write(1, batch -> {
            assertThat(batch).hasSize(1);
            batch.get(0).done(Thread.currentThread().getName());
        })).isEqualTo(Thread.currentThread().getName());
        assertThatThrownBy(() -> commit.write(2, batch -> {
            throw new IllegalArgumentException("refused alone");
        })).hasMessage("refused alone");
    }
}
