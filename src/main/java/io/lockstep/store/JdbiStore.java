package io.lockstep.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lockstep.domain.Event;
import io.lockstep.domain.Fence;
import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The store on SQLite or PostgreSQL through JDBI and one HikariCP pool: opening and migrating the
 * database, the write lock, change notification and readiness. Each table's SQL is its own object
 * on a transaction's handle ({@link PinTable}, {@link HistoryTable}, {@link TemplateTable},
 * {@link ReleaseTable}, {@link FenceTable}, {@link FleetTable}), in the portable subset both
 * databases understand. They use JDBI's fluent API, not its SqlObject proxies: attaching and
 * invoking the proxies took over a third of a promote's CPU (bench/README.md, issue 10). What
 * differs by {@link Dialect} (the write lock, notification, snapshot reads, the fleet's durability)
 * is decided here and nowhere else.
 */
public final class JdbiStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(JdbiStore.class);
    /**
     * Key of the PostgreSQL advisory lock that serialises writers across replicas (a waiting writer
     * shows in {@code pg_locks} as an ungranted advisory lock on it).
     */
    public static final long WRITE_LOCK_KEY = 0x10c5_7e9L;
    static final String CHANNEL = "lockstep_changes";
    private static final int PROBE_TIMEOUT_SECONDS = 2;

    private final Dialect dialect;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    /**
     * SQLite: the one connection every {@link #write} runs on (null on PostgreSQL, where writes use the pool).
     * SQLite drops a connection's page cache whenever another connection has committed, so writes rotating over
     * the pool each started by re-reading the pages of pins, history and events; on one connection they find them
     * still cached (writes are serialised by {@link #localWriteLock} anyway).
     */
    private final HikariDataSource writerSource;
    private final Jdbi writer;
    private final WriterMemo writerMemo;
    /** SQLite has one writer per file; serialising in-process avoids busy retries entirely. */
    private final ReentrantLock localWriteLock = new ReentrantLock(true);
    /** SQLite: writes that queue for {@link #localWriteLock} commit together (see {@link GroupCommit}). */
    private final GroupCommit<Function<StoreTx, ?>, Committed<?>> groupCommit = new GroupCommit<>(localWriteLock);
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<List<Event>>> eventListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Change>> elsewhereListeners = new CopyOnWriteArrayList<>();
    private final String replicaId = UUID.randomUUID().toString();
    private final PgChangeListener pgListener;
    /** Held for the life of the store so a second process cannot open the same SQLite file. */
    private final DataDirectoryLock dataLock;
    /** The SQLite database file, whose writability is checked before each write; null on PostgreSQL. */
    private final Path sqliteFile;
    private final ReadinessCache readiness;
    private final FleetStore fleet = new JdbiFleetStore(this);
    private final SubscriptionStore subscriptions = new JdbiSubscriptionStore(this);
    private final SessionStore sessions = new JdbiSessionStore(this);

    private JdbiStore(Dialect dialect, HikariDataSource dataSource, HikariDataSource writerSource,
                      DatabaseSettings settings, DataDirectoryLock dataLock) {
        this.dialect = dialect;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.writerSource = writerSource;
        this.writer = writerSource == null ? jdbi : Jdbi.create(writerSource);
        if (dialect == Dialect.SQLITE) {
            SqliteStatementCache statements = new SqliteStatementCache();
            jdbi.setStatementBuilderFactory(statements);
            writer.setStatementBuilderFactory(statements);
        }
        this.dataLock = dataLock;
        // Exact only while this process is the database's one user and writes on one connection (see WriterMemo).
        this.writerMemo = dialect == Dialect.SQLITE && dataLock != null && writerSource != null ? new WriterMemo() : null;
        this.sqliteFile = dataLock == null ? null : sqliteFileOf(settings.url());
        this.pgListener = dialect == Dialect.POSTGRES
                ? new PgChangeListener(settings, CHANNEL, replicaId, this::changedElsewhere) : null;
        this.readiness = new ReadinessCache(this::probe, System::nanoTime);
    }

    /** Opens the database named by {@code settings}, creating and migrating it when needed. */
    public static JdbiStore open(DatabaseSettings settings) {
        Dialect dialect = Dialect.of(settings.url());
        // Before anything touches the file: a second process must not even migrate it.
        DataDirectoryLock dataLock = DataDirectoryLock.directoryOf(settings.url()).map(DataDirectoryLock::acquire)
                .orElse(null);
        HikariConfig hc = poolConfig(settings, dialect, "lockstep-" + dialect.name().toLowerCase());
        if (dialect == Dialect.SQLITE) {
            hc.setMaximumPoolSize(4);
        } else {
            hc.setMaximumPoolSize(settings.poolSize());
            if (settings.user() != null) {
                hc.setUsername(settings.user());
            }
            if (settings.password() != null) {
                hc.setPassword(settings.password());
            }
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            if (dataLock != null) {
                dataLock.close();
            }
            throw e;
        }
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration/common")
                    .failOnMissingLocations(true).load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            if (dataLock != null) {
                dataLock.close();
            }
            // Driver and Flyway messages may quote the URL or its user-info: only the redacted text goes
            // on, and not the cause, whose messages (and a stack trace printed from it) still hold them.
            throw new StoreUnavailableException("cannot open or migrate the database at " + settings.redactedUrl()
                    + ": " + settings.redact(rootMessage(e)), null);
        }
        HikariDataSource writerSource = null;
        if (dialect == Dialect.SQLITE) {
            HikariConfig wc = poolConfig(settings, dialect, "lockstep-sqlite-writer");
            wc.setMaximumPoolSize(1);
            wc.addDataSourceProperty("cache_size", "-65536");
            try {
                writerSource = new HikariDataSource(wc);
            } catch (RuntimeException e) {
                ds.close();
                dataLock.close();
                throw e;
            }
        }
        JdbiStore store = new JdbiStore(dialect, ds, writerSource, settings, dataLock);
        if (store.pgListener != null) {
            store.pgListener.start();
        }
        return store;
    }

    private static HikariConfig poolConfig(DatabaseSettings settings, Dialect dialect, String name) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(settings.url());
        hc.setPoolName(name);
        hc.setConnectionTimeout(5_000);
        hc.setInitializationFailTimeout(-1);
        if (dialect == Dialect.SQLITE) {
            // WAL lets readers run beside the writer; synchronous FULL makes an acknowledged
            // promote survive power loss, not just a process crash.
            hc.addDataSourceProperty("journal_mode", "WAL");
            hc.addDataSourceProperty("synchronous", "FULL");
            hc.addDataSourceProperty("busy_timeout", "10000");
            hc.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            hc.addDataSourceProperty("foreign_keys", "true");
        }
        return hc;
    }

    private static Path sqliteFileOf(String url) {
        String path = url.substring("jdbc:sqlite:".length());
        int q = path.indexOf('?');
        return Path.of(q < 0 ? path : path.substring(0, q)).toAbsolutePath();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    @Override
    public String kind() {
        return dialect == Dialect.SQLITE ? "sqlite" : "postgresql";
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The fleet's table, written without the pin write lock (see {@link FleetStore}). */
    public FleetStore fleet() {
        return fleet;
    }

    /** Webhook subscriptions and their delivery log, written without the pin write lock (see {@link SubscriptionStore}). */
    public SubscriptionStore subscriptions() {
        return subscriptions;
    }

    /** Dashboard sessions, written without the pin write lock (see {@link SessionStore}). */
    public SessionStore sessions() {
        return sessions;
    }

    @Override
    public List<Template> templates() {
        return read(TemplateTable::new, TemplateTable::all);
    }

    @Override
    public List<Pin> pins() {
        return read(PinTable::new, PinTable::all);
    }

    @Override
    public Optional<Pin> pin(PinKey key) {
        return read(PinTable::new, t -> t.find(key));
    }

    @Override
    public List<HistoryEntry> history(PinKey key, int limit, Long beforeSeq) {
        return read(HistoryTable::new, t -> t.page(key, beforeSeq == null ? Long.MAX_VALUE : beforeSeq, limit));
    }

    @Override
    public HistoryChain.Verification verifyHistory() {
        // Rows, head and pins from one snapshot: a promote committing in between would otherwise
        // look like a pin ahead of its history.
        return readSnapshot(h -> {
            HistoryTable history = new HistoryTable(h);
            HistoryChain.Verifier verifier = new HistoryChain.Verifier();
            try (var stream = history.inOrder()) {
                stream.forEach(verifier::accept);
            }
            return verifier.result(history.head(), new PinTable(h).all());
        });
    }

    private <T> T readSnapshot(Function<Handle, T> work) {
        if (dialect == Dialect.POSTGRES) {
            try {
                return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, work::apply);
            } catch (RuntimeException e) {
                throw translated(e);
            }
        }
        // SQLite in WAL mode: a deferred read transaction sees one snapshot and does not block the
        // writer (the pool's transactions are IMMEDIATE, which would).
        return read(h -> {
            h.execute("BEGIN DEFERRED");
            try {
                return work.apply(h);
            } finally {
                h.execute("COMMIT");
            }
        });
    }

    @Override
    public <T> T readOnly(Function<StoreTx, T> work) {
        return readSnapshot(h -> {
            if (dialect == Dialect.POSTGRES) {
                h.execute("SET TRANSACTION READ ONLY");
            }
            return work.apply(new JdbiTx(h));
        });
    }

    @Override
    public List<Release> releases() {
        return read(ReleaseTable::new, ReleaseTable::all);
    }

    @Override
    public Optional<Release> release(String id) {
        return read(ReleaseTable::new, t -> t.find(id));
    }

    @Override
    public List<io.lockstep.domain.ReleaseEvent> releaseEvents(String group) {
        return read(ReleaseEventTable::new, t -> t.list(group));
    }

    @Override
    public List<Fence> fences(String environment) {
        return read(FenceTable::new, t -> t.of(environment));
    }

    @Override
    public java.util.Map<PinKey, String> holds() {
        return read(HoldTable::new, HoldTable::all);
    }

    @Override
    public List<io.lockstep.domain.PolicyChange> policiesInForce() {
        return read(PolicyTable::new, PolicyTable::newest);
    }

    @Override
    public List<io.lockstep.domain.PolicyChange> policyChanges(String environment, int limit) {
        return read(PolicyTable::new, t -> t.of(environment, limit));
    }

    @Override
    public List<io.lockstep.domain.LineStop> lineStops(String environment, int limit) {
        return read(LineStopTable::new, t -> t.all(environment, limit));
    }

    @Override
    public List<io.lockstep.domain.LineStop> unliftedLineStops() {
        return read(LineStopTable::new, LineStopTable::unlifted);
    }

    @Override
    public List<io.lockstep.domain.Event> eventsAfter(long after, int limit) {
        return read(EventTable::new, t -> t.after(after, limit));
    }

    @Override
    public long lastEventId() {
        return read(EventTable::new, EventTable::lastId);
    }

    @Override
    public long firstEventId() {
        return read(EventTable::new, EventTable::firstId);
    }

    @Override
    public int deleteEvents(java.time.Instant before, long upTo) {
        return write(tx -> ((JdbiTx) tx).deleteEvents(before, upTo));
    }

    @Override
    public List<io.lockstep.domain.Approval> liveApprovals(String environment, java.time.Instant now) {
        return read(ApprovalTable::new, t -> t.live(environment, now));
    }

    @Override
    public List<io.lockstep.domain.ApprovalRequest> pendingApprovalRequests(String environment) {
        return read(ApprovalRequestTable::new, t -> t.pending(environment));
    }

    @Override
    public Readiness readiness() {
        return readiness.get();
    }

    /**
     * Runs on the readiness cache's one probe thread, never on a request thread. After an
     * infrastructure failure only a committed write proves the store is back (a full disk still
     * answers reads), so the probe then also rewrites one row; otherwise it only reads.
     */
    private Readiness probe() {
        boolean afterFailure = !readiness.last().ready();
        try {
            requireWritableFiles();
            read(h -> h.createQuery("SELECT COUNT(*) FROM templates").setQueryTimeout(PROBE_TIMEOUT_SECONDS)
                    .mapTo(Long.class).one());
            if (!afterFailure) {
                return Readiness.READY;
            }
            if (dialect == Dialect.SQLITE) {
                if (!localWriteLock.tryLock(1, TimeUnit.SECONDS)) {
                    return readiness.last(); // a write is running; its outcome will tell
                }
                try {
                    probeWrite();
                } finally {
                    localWriteLock.unlock();
                }
            } else {
                probeWrite();
            }
            return Readiness.READY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return readiness.last();
        } catch (RuntimeException e) {
            StoreUnavailableException.Reason reason = StoreFailures.classify(e)
                    .orElse(StoreUnavailableException.Reason.UNAVAILABLE);
            LOG.warn("readiness probe failed: {} ({})", reason.sentence(), rootMessage(e));
            reopenConnections(reason);
            return Readiness.not(reason);
        }
    }

    /**
     * On the connection promotes write on: on SQLite that is the writer, and a writer reopened while the files were
     * read-only stays read-only, so readiness must not turn ready on a read connection that can write again.
     */
    private void probeWrite() {
        writer.useTransaction(h -> h.createUpdate("UPDATE store_probe SET probed_at = :at WHERE id = 1")
                .bind("at", System.currentTimeMillis()).setQueryTimeout(PROBE_TIMEOUT_SECONDS).execute());
    }

    /**
     * Open connections keep writing to a file that was made read-only (chmod, chattr, a read-only
     * remount), and new ones silently open it read-only; checking the files' mode before each write
     * gives the same answer whichever connection the pool hands out.
     */
    private void requireWritableFiles() {
        if (sqliteFile == null) {
            return;
        }
        for (Path p : new Path[]{sqliteFile, Path.of(sqliteFile + "-wal")}) {
            if (Files.exists(p) && !Files.isWritable(p)) {
                throw new StoreUnavailableException(StoreUnavailableException.Reason.READ_ONLY, null, null);
            }
        }
    }

    /**
     * A SQLite connection opened while the files were read-only stays read-only after they are
     * writable again, so after an infrastructure failure the pool opens fresh ones (PostgreSQL's
     * broken connections are already dropped by the pool).
     */
    private void reopenConnections(StoreUnavailableException.Reason reason) {
        if (dialect == Dialect.SQLITE && reason.affectsReadiness()) {
            dataSource.getHikariPoolMXBean().softEvictConnections();
            writerSource.getHikariPoolMXBean().softEvictConnections();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T write(Function<StoreTx, T> work) {
        Committed<T> committed;
        try {
            if (dialect == Dialect.SQLITE) {
                committed = (Committed<T>) groupCommit.write(work, this::commitTogether);
            } else {
                committed = transaction(work);
                if (committed.wroteAnything() && !committed.events().isEmpty()) {
                    tell(eventListeners, List.copyOf(committed.events()));
                }
            }
        } catch (StoreUnavailableException e) {
            if (e.reason().affectsReadiness()) {
                readiness.observed(Readiness.not(e.reason()));
                reopenConnections(e.reason());
            }
            throw e;
        }
        if (!readiness.last().ready()) {
            readiness.observed(Readiness.READY);
        }
        if (!committed.wroteAnything()) {
            // Nothing changed (a promote of the digest already pinned): nobody's copy of the store needs a look,
            // and a listener would take "no pin written" for "something else written" and look at everything.
            return committed.value();
        }
        tell(listeners, committed.change());
        return committed.value();
    }

    /**
     * SQLite: the writes group commit took, in one transaction under the write lock. Alone, a write runs as it
     * always did. Together, each runs in a savepoint: one refused (or failing for its own reasons) is rolled back
     * to it and fails alone, while an infrastructure failure fails them all, as nothing of theirs committed. Their
     * events are handed over here, in id order, before any of their callers returns.
     */
    private void commitTogether(List<GroupCommit.Write<Function<StoreTx, ?>, Committed<?>>> batch) {
        requireWritableFiles();
        boolean alone = batch.size() == 1;
        Object[] outcomes = new Object[batch.size()];
        try {
            writer.useTransaction(h -> {
                WriterMemo.Transaction memo = writerMemo == null ? WriterMemo.none() : writerMemo.transaction();
                for (int i = 0; i < batch.size(); i++) {
                    if (!alone) {
                        h.execute("SAVEPOINT lockstep_write");
                    }
                    JdbiTx tx = new JdbiTx(h, memo);
                    try {
                        Object value = batch.get(i).work.apply(tx);
                        outcomes[i] = new Committed<>(value, tx.change(), tx.events(), tx.wroteAnything());
                    } catch (RuntimeException e) {
                        if (alone || isInfrastructureFailure(e)) {
                            throw e;
                        }
                        h.execute("ROLLBACK TO lockstep_write");
                        outcomes[i] = e;
                    }
                    if (!alone) {
                        h.execute("RELEASE lockstep_write");
                    }
                }
            });
        } catch (RuntimeException e) {
            throw translated(e);
        }
        List<Event> events = new java.util.ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes[i] instanceof Committed<?> c) {
                batch.get(i).done(c);
                if (c.wroteAnything()) {
                    events.addAll(c.events());
                }
            } else {
                batch.get(i).failed((RuntimeException) outcomes[i]);
            }
        }
        if (!events.isEmpty()) {
            tell(eventListeners, List.copyOf(events));
        }
    }

    /**
     * Takes this process's write lock until the returned hold is closed (on the same thread), so
     * writers queue up behind it and then run in arrival order: tests use it to make a collision
     * certain. Only SQLite has an in-process lock; PostgreSQL writers wait on the advisory lock
     * {@link #WRITE_LOCK_KEY}, which any session can take.
     */
    public LocalWriteHold holdLocalWriteLock() {
        if (dialect != Dialect.SQLITE) {
            throw new IllegalStateException("PostgreSQL writers wait on advisory lock " + WRITE_LOCK_KEY + ", not in-process");
        }
        return new LocalWriteHold();
    }

    /** The in-process write lock, held until {@link #close}. */
    public final class LocalWriteHold implements AutoCloseable {
        private LocalWriteHold() {
            localWriteLock.lock();
        }

        /** Writers queued behind the lock right now. */
        public int waiting() {
            return localWriteLock.getQueueLength();
        }

        @Override
        public void close() {
            localWriteLock.unlock();
        }
    }

    /** A committed transaction's result and what it changed. */
    private record Committed<T>(T value, Change change, List<Event> events, boolean wroteAnything) {
    }

    private <T> Committed<T> transaction(Function<StoreTx, T> work) {
        try {
            return writer.inTransaction(h -> {
                if (dialect == Dialect.POSTGRES) {
                    h.execute("SELECT pg_advisory_xact_lock(?)", WRITE_LOCK_KEY);
                }
                JdbiTx tx = new JdbiTx(h);
                T value = work.apply(tx);
                Change change = tx.change();
                if (dialect == Dialect.POSTGRES && tx.wroteAnything()) {
                    // Delivered to listening replicas only when this transaction commits.
                    h.execute("SELECT pg_notify(?, ?)", CHANNEL, replicaId + " " + change.encode());
                }
                return new Committed<>(value, change, tx.events(), tx.wroteAnything());
            });
        } catch (RuntimeException e) {
            throw translated(e);
        }
    }

    /**
     * A write that skips the pin write lock and fires no change: the fleet's report batches, which
     * touch no pin and must not queue behind promotes. On PostgreSQL it also skips waiting for the
     * WAL flush: reports are re-sent every heartbeat, so a crash losing the last few milliseconds of
     * them costs nothing, while waiting for the flush on every batch halves ingest. Failures come
     * back untranslated (see {@link #translated}).
     */
    <E> void writeUnlocked(Function<Handle, E> table, Consumer<E> work) {
        jdbi.useTransaction(h -> {
            if (dialect == Dialect.POSTGRES) {
                h.execute("SET LOCAL synchronous_commit TO OFF");
            }
            work.accept(table.apply(h));
        });
    }

    /**
     * One table's writes on the writer's connection, outside the pin write lock; failures come back untranslated.
     * On SQLite a write on any other connection waits for the database's one write lock in SQLite's busy handler,
     * which sleeps a millisecond and more at a time while promotes queue behind it (the webhook bookkeeping did,
     * several times per delivery round), and it makes the writer drop its page cache; on the writer connection it
     * waits its turn in the pool instead. On PostgreSQL the writer is the pool.
     */
    <E, T> T withWriterTable(Function<Handle, E> table, Function<E, T> work) {
        return writer.withHandle(h -> work.apply(table.apply(h)));
    }

    /** One table's SQL on a handle of its own; failures come back untranslated (see {@link #translated}). */
    <E, T> T withTable(Function<Handle, E> table, Function<E, T> work) {
        return jdbi.withHandle(h -> work.apply(table.apply(h)));
    }

    private <E, T> T read(Function<Handle, E> table, Function<E, T> work) {
        try {
            return withTable(table, work);
        } catch (RuntimeException e) {
            throw translated(e);
        }
    }

    private <T> T read(Function<Handle, T> work) {
        try {
            return jdbi.withHandle(work::apply);
        } catch (RuntimeException e) {
            throw translated(e);
        }
    }

    /** An infrastructure failure becomes a {@link StoreUnavailableException}; anything else is rethrown as is. */
    static RuntimeException translated(RuntimeException e) {
        if (e instanceof io.lockstep.domain.LockstepException) {
            return e;
        }
        Throwable[] candidates = withSuppressed(e);
        for (Throwable t : candidates) {
            var reason = StoreFailures.classify(t);
            if (reason.isPresent()) {
                String cause = rootMessage(t);
                LOG.warn("store failure: {} ({})", reason.get().sentence(), cause);
                // The database's own words help only for a refusal (a DBA's trigger message); the others
                // are fully described by the code, and driver messages may name hosts and users.
                return new StoreUnavailableException(reason.get(),
                        reason.get() == StoreUnavailableException.Reason.WRITE_REFUSED ? shortened(cause) : null, e);
            }
        }
        return e;
    }

    /** Whether {@link #translated} would make it a {@link StoreUnavailableException}. */
    private static boolean isInfrastructureFailure(RuntimeException e) {
        if (e instanceof io.lockstep.domain.LockstepException) {
            return e instanceof StoreUnavailableException;
        }
        for (Throwable t : withSuppressed(e)) {
            if (StoreFailures.classify(t).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** A failed rollback on a dead connection may carry the original failure as a suppressed exception. */
    private static Throwable[] withSuppressed(Throwable e) {
        java.util.List<Throwable> all = new java.util.ArrayList<>();
        all.add(e);
        for (Throwable t = e; t != null && all.size() < 20; t = t.getCause() == t ? null : t.getCause()) {
            all.addAll(java.util.Arrays.asList(t.getSuppressed()));
        }
        return all.toArray(Throwable[]::new);
    }

    private static String shortened(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ").strip();
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    /** Tells every listener, each on its own: one that fails is logged and the others are still told. */
    private static <T> void tell(List<Consumer<T>> listeners, T what) {
        for (Consumer<T> l : listeners) {
            try {
                l.accept(what);
            } catch (RuntimeException e) {
                LOG.warn("store listener failed", e);
            }
        }
    }

    @Override
    public void onChange(Consumer<Change> listener) {
        listeners.add(listener);
    }

    @Override
    public void onEventsWritten(Consumer<List<Event>> listener) {
        eventListeners.add(listener);
    }

    @Override
    public void onChangeElsewhere(Runnable listener) {
        elsewhereListeners.add(change -> listener.run());
    }

    /** Another replica's commit, or a reconnect after which some may have gone unheard (PostgreSQL only). */
    private void changedElsewhere(Change change) {
        tell(listeners, change);
        tell(elsewhereListeners, change);
    }

    @Override
    public void close() {
        readiness.close();
        if (pgListener != null) {
            pgListener.close();
        }
        dataSource.close();
        if (writerSource != null) {
            writerSource.close();
        }
        if (dataLock != null) {
            dataLock.close();
        }
    }

    @Override
    public java.util.Map<PinKey, io.lockstep.domain.drift.DriftState> driftStates() {
        return read(DriftStateTable::new, DriftStateTable::all);
    }

    @Override
    public java.util.Map<PinKey, io.lockstep.domain.drift.DriftState> driftStates(io.lockstep.domain.drift.DriftScope scope) {
        return read(DriftStateTable::new, t -> t.within(scope));
    }

    @Override
    public java.util.Map<PinKey, io.lockstep.domain.FleetState> fleetStates() {
        return read(FleetStateTable::new, FleetStateTable::all);
    }

    @Override
    public java.util.Map<io.lockstep.domain.FreezeState.Key, io.lockstep.domain.FreezeState> freezeStates() {
        return read(FreezeStateTable::new, FreezeStateTable::all);
    }
}
