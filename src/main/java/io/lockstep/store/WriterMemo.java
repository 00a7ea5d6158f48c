package io.lockstep.store;

import io.lockstep.domain.Fence;
import io.lockstep.domain.LineStop;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the SQLite writer remembers of two tables every promote reads and that hardly ever change: the unlifted
 * line stops and the fences of each environment. Reading them was two of a gated promote's dozen statements under
 * the write lock.
 *
 * <p>Exact, not a cache that may lag, because of three facts: only one process opens a SQLite database (the
 * {@link DataDirectoryLock}); every write transaction runs on the one writer connection, so one at a time; and
 * these tables are written only through {@link JdbiTx}, whose {@link InTransaction} forgets an environment's
 * entry when it writes to it and never remembers what it read there after writing (it could roll back). A
 * read-only transaction, which may see an older snapshot, does not use it. PostgreSQL has none: another replica
 * may write.
 */
final class WriterMemo {
    final Table<LineStop> lineStops = new Table<>();
    final Table<Fence> fences = new Table<>();

    /**
     * The memo as one database transaction sees it. Group commit runs several writes in one transaction, so what one
     * of them wrote must not be remembered when a later one reads it: the transaction may still fail to commit.
     */
    Transaction transaction() {
        return new Transaction(new InTransaction<>(lineStops), new InTransaction<>(fences));
    }

    /** Without a memo: every read goes to the database (PostgreSQL, and read-only transactions). */
    static Transaction none() {
        return new Transaction(new InTransaction<>(null), new InTransaction<>(null));
    }

    record Transaction(InTransaction<LineStop> lineStops, InTransaction<Fence> fences) {
    }

    /** One table's rows by environment. */
    static final class Table<T> {
        private final Map<String, List<T>> byEnvironment = new ConcurrentHashMap<>();

        private List<T> remembered(String environment, Supplier<List<T>> read) {
            List<T> list = byEnvironment.get(environment);
            if (list == null) {
                list = List.copyOf(read.get());
                byEnvironment.put(environment, list);
            }
            return list;
        }
    }

    /**
     * A table as one transaction sees it: an environment it wrote is read from the database and forgotten by the
     * memo, so neither a committed write nor a rolled-back one is ever remembered wrongly.
     */
    static final class InTransaction<T> {
        /** Null: no memo, every read goes to the database. */
        private final Table<T> table;
        private final Set<String> written = new HashSet<>();

        InTransaction(Table<T> table) {
            this.table = table;
        }

        List<T> read(String environment, Supplier<List<T>> read) {
            return table == null || written.contains(environment) ? read.get() : table.remembered(environment, read);
        }

        /** Call before writing the environment's rows. */
        void writing(String environment) {
            written.add(environment);
            if (table != null) {
                table.byEnvironment.remove(environment);
            }
        }
    }
}
