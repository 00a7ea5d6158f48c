package io.lockstep.store;

import io.lockstep.domain.Event;
import io.lockstep.domain.Fence;
import io.lockstep.domain.LineStop;
import io.lockstep.domain.PinKey;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.StoreWriteLock;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Writes that queue behind the write lock: on SQLite they commit together ({@link GroupCommit}), on PostgreSQL one
 * after another, and each write's outcome is the same either way. The writes are queued behind a lock the test holds,
 * one at a time, so their order is certain.
 */
class QueuedWritesTest {
    private static final Instant AT = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path dir;

    private static Event event(String template) {
        return Event.of(Event.PIN_PROMOTED, AT, new PinKey("prod", template, "default"), "runtime", "ci-prod",
                Map.of("n", 1));
    }

    private static LineStop stop(String id) {
        return new LineStop(id, "prod", null, "incident", "ops", AT, null);
    }

    /** Starts each write on its own thread once the previous one waits behind the lock, then lets them all run. */
    private static List<CompletableFuture<Object>> queuedBehind(StoreWriteLock lock, JdbiStore store,
                                                               List<Function<StoreTx, Object>> writes) throws Exception {
        List<CompletableFuture<Object>> results = new ArrayList<>();
        try (lock) {
            for (Function<StoreTx, Object> w : writes) {
                int before = lock.waiting();
                results.add(CompletableFuture.supplyAsync(() -> store.write(w)));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (lock.waiting() == before) {
                    assertThat(System.nanoTime()).as("write queued behind the lock").isLessThan(deadline);
                    Thread.sleep(5);
                }
            }
        }
        return results;
    }

    private static List<String> stops(JdbiStore store) {
        return store.write(tx -> tx.lineStops("prod").stream().map(LineStop::id).toList());
    }

    private static Throwable failureOf(CompletableFuture<Object> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected the write to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRefusedWriteLeavesNoTraceAndTheOthersCommitEachSeeingThoseBefore(StoreKind kind) throws Exception {
        DatabaseSettings db = kind.create(dir);
        try (JdbiStore store = JdbiStore.open(db)) {
            List<List<Event>> handedOver = new CopyOnWriteArrayList<>();
            store.onEventsWritten(handedOver::add);
            assertThat(stops(store)).isEmpty(); // the SQLite writer's memo now holds prod

            List<CompletableFuture<Object>> r = queuedBehind(StoreWriteLock.hold(store, db), store, List.of(
                    tx -> {
                        tx.saveLineStop(stop("s1"));
                        return tx.appendEvent(event("first")).id();
                    },
                    tx -> {
                        tx.appendEvent(event("refused"));
                        tx.saveFence(new Fence("f2", "prod", "never", "ops", AT, AT.plusSeconds(3600)));
                        tx.saveLineStop(stop("s2"));
                        throw new IllegalStateException("refused: " + tx.lineStops("prod").size() + " stops");
                    },
                    tx -> {
                        List<String> seen = tx.lineStops("prod").stream().map(LineStop::id).toList();
                        tx.saveLineStop(stop("s3"));
                        return List.of(seen, tx.fences("prod").size(), tx.appendEvent(event("third")).id());
                    },
                    tx -> tx.lineStops("prod").stream().map(LineStop::id).toList()));

            long firstId = (Long) r.get(0).get(10, TimeUnit.SECONDS);
            assertThat(failureOf(r.get(1))).isInstanceOf(IllegalStateException.class)
                    .hasMessage("refused: 2 stops"); // it saw the first write's stop and its own
            assertThat(r.get(2).get(10, TimeUnit.SECONDS)).as("the refused write's stop, fence and event are gone")
                    .isEqualTo(List.of(List.of("s1"), 0, firstId + 1));
            assertThat(r.get(3).get(10, TimeUnit.SECONDS)).isEqualTo(List.of("s1", "s3"));

            assertThat(stops(store)).containsExactly("s1", "s3");
            assertThat(store.<List<Fence>>write(tx -> tx.fences("prod"))).isEmpty();
            assertThat(store.eventsAfter(0, 10)).extracting(Event::template).containsExactly("first", "third");
            List<Event> handed = handedOver.stream().flatMap(List::stream).toList();
            assertThat(handed).extracting(Event::id).containsExactly(firstId, firstId + 1);
            if (kind == StoreKind.SQLITE) {
                assertThat(handedOver).as("one commit, its events handed over at once, in id order").hasSize(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anInfrastructureFailureInOneWriteFailsTheWritesItCommitsWith(StoreKind kind) throws Exception {
        DatabaseSettings db = kind.create(dir);
        try (JdbiStore store = JdbiStore.open(db)) {
            assertThat(stops(store)).isEmpty();

            List<CompletableFuture<Object>> r = queuedBehind(StoreWriteLock.hold(store, db), store, List.of(
                    tx -> {
                        tx.saveLineStop(stop("s1"));
                        return "first";
                    },
                    tx -> tx.lineStops("prod").stream().map(LineStop::id).toList(), // sees s1, not committed yet
                    tx -> {
                        throw new StoreUnavailableException(StoreUnavailableException.Reason.DISK_FULL, null, null);
                    }));

            assertThat(failureOf(r.get(2))).isInstanceOf(StoreUnavailableException.class);
            if (kind == StoreKind.SQLITE) {
                // One transaction: the disk-full write took the two before it down, and what the second read of the
                // first's uncommitted stop was not remembered for later transactions.
                assertThat(failureOf(r.get(0))).isInstanceOf(StoreUnavailableException.class);
                assertThat(failureOf(r.get(1))).isInstanceOf(StoreUnavailableException.class);
                assertThat(stops(store)).isEmpty();
            } else {
                assertThat(r.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("first");
                assertThat(r.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(List.of("s1"));
                assertThat(stops(store)).containsExactly("s1");
            }
            store.write(tx -> {
                tx.saveLineStop(stop("after"));
                return null;
            });
            assertThat(stops(store)).as("the store writes again").contains("after");
        }
    }
}
