package io.lockstep.store;

import io.lockstep.domain.Fence;
import io.lockstep.domain.LineStop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the SQLite writer remembers of two tables every promote reads and that hardly ever change: the unlifted
 * line stops and the fences of each environment. Reading them was two of a gated promote's dozen statements under
 * the write lock.
 *
 * <p>Exact, not a cache that may lag, because of three facts: only one process opens a SQLite database (the
 * {@link DataDirectoryLock}); every write transaction runs on the one writer connection, so one at a time; and
 * these tables are written only through {@link JdbiTx}, which forgets an environment's entry when it writes to it
 * and never remembers what it read there after writing (it could roll back). A read-only transaction, which may
 * see an older snapshot, does not use it. PostgreSQL has none: another replica may write.
 */
final class WriterMemo {
    private final Map<String, List<LineStop>> lineStops = new ConcurrentHashMap<>();
    private final Map<String, List<Fence>> fences = new ConcurrentHashMap<>();

    List<LineStop> lineStops(String environment, Supplier<List<LineStop>> read) {
        return remembered(lineStops, environment, read);
    }

    List<Fence> fences(String environment, Supplier<List<Fence>> read) {
        return remembered(fences, environment, read);
    }

    private static <T> List<T> remembered(Map<String, List<T>> known, String environment, Supplier<List<T>> read) {
        List<T> list = known.get(environment);
        if (list == null) {
            list = List.copyOf(read.get());
            known.put(environment, list);
        }
        return list;
    }

    void forgetLineStops(String environment) {
        lineStops.remove(environment);
    }

    void forgetFences(String environment) {
        fences.remove(environment);
    }
}
