package io.lockstep.cli.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs one piece of work per target concurrently and independently (fail-fast false): a failure
 * or exception on one target never stops the others. Results come back in target order.
 */
public final class Fanout {
    private Fanout() {
    }

    public static <T, R> List<R> each(List<T> items, Function<T, R> work, BiFunction<T, Throwable, R> onCrash) {
        if (items.isEmpty()) {
            return List.of();
        }
        if (items.size() == 1) {
            return List.of(run(items.get(0), work, onCrash));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(items.size(), 16), r -> {
            Thread t = new Thread(r, "lockstep-target");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> run(item, work, onCrash)));
            }
            List<R> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    out.add(onCrash.apply(items.get(i), e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    out.add(onCrash.apply(items.get(i), e));
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T, R> R run(T item, Function<T, R> work, BiFunction<T, Throwable, R> onCrash) {
        try {
            return work.apply(item);
        } catch (RuntimeException e) {
            return onCrash.apply(item, e);
        }
    }
}
