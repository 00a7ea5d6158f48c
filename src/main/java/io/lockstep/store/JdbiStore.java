package io.lockstep.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lockstep.domain.Action;
import io.lockstep.domain.Fence;
import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.HistoryEntry;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Registrants;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The store on SQLite or PostgreSQL through JDBI and one HikariCP pool. The SQL is the portable
 * subset both understand; only the write lock and change notification differ by {@link Dialect}.
 */
public final class JdbiStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(JdbiStore.class);
    /** Key of the PostgreSQL advisory lock that serialises writers across replicas. */
    private static final long WRITE_LOCK_KEY = 0x10c5_7e9L;
    static final String CHANNEL = "lockstep_changes";
    private static final int PROBE_TIMEOUT_SECONDS = 2;

    private final Dialect dialect;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    /** SQLite has one writer per file; serialising in-process avoids busy retries entirely. */
    private final ReentrantLock localWriteLock = new ReentrantLock(true);
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final String replicaId = UUID.randomUUID().toString();
    private final PgChangeListener pgListener;
    /** Held for the life of the store so a second process cannot open the same SQLite file. */
    private final DataDirectoryLock dataLock;
    /** The SQLite database file, whose writability is checked before each write; null on PostgreSQL. */
    private final Path sqliteFile;
    private final ReadinessCache readiness;

    private JdbiStore(Dialect dialect, HikariDataSource dataSource, DatabaseSettings settings, DataDirectoryLock dataLock) {
        this.dialect = dialect;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.dataLock = dataLock;
        this.sqliteFile = dataLock == null ? null : sqliteFileOf(settings.url());
        this.pgListener = dialect == Dialect.POSTGRES
                ? new PgChangeListener(settings, CHANNEL, replicaId, this::fireListeners) : null;
        this.readiness = new ReadinessCache(this::probe, System::nanoTime);
    }

    /** Opens the database named by {@code settings}, creating and migrating it when needed. */
    public static JdbiStore open(DatabaseSettings settings) {
        Dialect dialect = Dialect.of(settings.url());
        // Before anything touches the file: a second process must not even migrate it.
        DataDirectoryLock dataLock = DataDirectoryLock.directoryOf(settings.url()).map(DataDirectoryLock::acquire)
                .orElse(null);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(settings.url());
        hc.setPoolName("lockstep-" + dialect.name().toLowerCase());
        hc.setConnectionTimeout(5_000);
        hc.setInitializationFailTimeout(-1);
        if (dialect == Dialect.SQLITE) {
            hc.setMaximumPoolSize(4);
            // WAL lets readers run beside the writer; synchronous FULL makes an acknowledged
            // promote survive power loss, not just a process crash.
            hc.addDataSourceProperty("journal_mode", "WAL");
            hc.addDataSourceProperty("synchronous", "FULL");
            hc.addDataSourceProperty("busy_timeout", "10000");
            hc.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            hc.addDataSourceProperty("foreign_keys", "true");
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
        JdbiStore store = new JdbiStore(dialect, ds, settings, dataLock);
        if (store.pgListener != null) {
            store.pgListener.start();
        }
        return store;
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

    /** For adapters that keep their own tables (e.g. the fleet) in the same database. */
    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public List<Template> templates() {
        return read(h -> h.createQuery("SELECT * FROM templates ORDER BY name").map(Rows.TEMPLATE).list());
    }

    @Override
    public List<Pin> pins() {
        return read(h -> h.createQuery("SELECT * FROM pins ORDER BY environment, template, region").map(Rows.PIN).list());
    }

    @Override
    public Optional<Pin> pin(PinKey key) {
        return read(h -> selectPin(h, key));
    }

    @Override
    public List<HistoryEntry> history(PinKey key, int limit, Long beforeSeq) {
        return read(h -> h.createQuery("SELECT * FROM pin_history WHERE environment = :e AND template = :t AND region = :r"
                        + " AND seq < :before ORDER BY seq DESC LIMIT :limit")
                .bind("e", key.environment()).bind("t", key.template()).bind("r", key.region())
                .bind("before", beforeSeq == null ? Long.MAX_VALUE : beforeSeq).bind("limit", limit)
                .map(Rows.HISTORY).list());
    }

    @Override
    public HistoryChain.Verification verifyHistory() {
        // Rows, head and pins from one snapshot: a promote committing in between would otherwise
        // look like a pin ahead of its history.
        return readSnapshot(h -> {
            HistoryChain.Verifier verifier = new HistoryChain.Verifier();
            try (var stream = h.createQuery("SELECT * FROM pin_history ORDER BY seq").setFetchSize(500)
                    .map(Rows.HISTORY).stream()) {
                stream.forEach(verifier::accept);
            }
            Optional<HistoryChain.Head> head = selectHead(h);
            List<Pin> pins = h.createQuery("SELECT * FROM pins").map(Rows.PIN).list();
            return verifier.result(head, pins);
        });
    }

    private <T> T readSnapshot(Function<Handle, T> work) {
        if (dialect == Dialect.POSTGRES) {
            try {
                return jdbi.inTransaction(org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ,
                        work::apply);
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
    public List<Release> releases() {
        return read(h -> h.createQuery("SELECT * FROM releases ORDER BY created_at, id").map(Rows.RELEASE).list());
    }

    @Override
    public Optional<Release> release(String id) {
        return read(h -> h.createQuery("SELECT * FROM releases WHERE id = :id").bind("id", id).map(Rows.RELEASE).findOne());
    }

    @Override
    public List<Fence> fences(String environment) {
        return read(h -> selectFences(h, environment));
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
                if (!localWriteLock.tryLock(1, java.util.concurrent.TimeUnit.SECONDS)) {
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

    private void probeWrite() {
        jdbi.useTransaction(h -> h.createUpdate("UPDATE store_probe SET probed_at = :at WHERE id = 1")
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
        }
    }

    @Override
    public <T> T write(Function<StoreTx, T> work) {
        Committed<T> committed;
        try {
            if (dialect == Dialect.SQLITE) {
                localWriteLock.lock();
                try {
                    requireWritableFiles();
                    committed = transaction(work);
                } finally {
                    localWriteLock.unlock();
                }
            } else {
                committed = transaction(work);
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
        fireListeners(committed.change());
        return committed.value();
    }

    /** A committed transaction's result and what it changed. */
    private record Committed<T>(T value, Change change) {
    }

    private <T> Committed<T> transaction(Function<StoreTx, T> work) {
        try {
            return jdbi.inTransaction(h -> {
                if (dialect == Dialect.POSTGRES) {
                    h.execute("SELECT pg_advisory_xact_lock(?)", WRITE_LOCK_KEY);
                }
                Tx tx = new Tx(h);
                T value = work.apply(tx);
                Change change = tx.change();
                if (dialect == Dialect.POSTGRES) {
                    // Delivered to listening replicas only when this transaction commits.
                    h.execute("SELECT pg_notify(?, ?)", CHANNEL, replicaId + " " + change.encode());
                }
                return new Committed<>(value, change);
            });
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

    /**
     * An infrastructure failure becomes a {@link StoreUnavailableException}; anything else is rethrown as is.
     * Public for the fleet's SQL, which still runs on {@link #jdbi()} outside this class.
     */
    public static RuntimeException translated(RuntimeException e) {
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

    private void fireListeners(Change change) {
        for (Consumer<Change> l : listeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("change listener failed", e);
            }
        }
    }

    @Override
    public void onChange(Consumer<Change> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        readiness.close();
        if (pgListener != null) {
            pgListener.close();
        }
        dataSource.close();
        if (dataLock != null) {
            dataLock.close();
        }
    }

    private static Optional<Pin> selectPin(Handle h, PinKey key) {
        return h.createQuery("SELECT * FROM pins WHERE environment = :e AND template = :t AND region = :r")
                .bind("e", key.environment()).bind("t", key.template()).bind("r", key.region())
                .map(Rows.PIN).findOne();
    }

    private static Optional<HistoryChain.Head> selectHead(Handle h) {
        return h.createQuery("SELECT seq, hash FROM history_head WHERE id = 1")
                .map((rs, ctx) -> new HistoryChain.Head(rs.getLong("seq"), rs.getString("hash"))).findOne();
    }

    private static List<Fence> selectFences(Handle h, String environment) {
        return h.createQuery("SELECT * FROM fences WHERE environment = :e ORDER BY created_at")
                .bind("e", environment).map(Rows.FENCE).list();
    }

    /** One write transaction; every method runs on the transaction's handle. */
    private static final class Tx implements StoreTx {
        private final Handle h;
        private final Set<PinKey> pinsWritten = new LinkedHashSet<>();
        private boolean templatesWritten;

        Tx(Handle h) {
            this.h = h;
        }

        Change change() {
            return templatesWritten ? Change.everything() : Change.of(pinsWritten);
        }

        @Override
        public Optional<Pin> pin(PinKey key) {
            return selectPin(h, key);
        }

        @Override
        public void savePin(Pin p, String releaseId) {
            pinsWritten.add(p.key());
            h.createUpdate("INSERT INTO pins (environment, template, region, digest, image_ref, git_sha, runtime_version,"
                            + " promoted_at, promoted_by, notes, provenance, release_id, version)"
                            + " VALUES (:e, :t, :r, :digest, :ref, :sha, :rv, :at, :by, :notes, :prov, :rel, :version)"
                            + " ON CONFLICT (environment, template, region) DO UPDATE SET digest = excluded.digest,"
                            + " image_ref = excluded.image_ref, git_sha = excluded.git_sha,"
                            + " runtime_version = excluded.runtime_version, promoted_at = excluded.promoted_at,"
                            + " promoted_by = excluded.promoted_by, notes = excluded.notes,"
                            + " provenance = excluded.provenance, release_id = excluded.release_id,"
                            + " version = excluded.version")
                    .bind("e", p.key().environment()).bind("t", p.key().template()).bind("r", p.key().region())
                    .bind("digest", p.digest()).bind("ref", p.imageRef()).bind("sha", p.gitSha())
                    .bind("rv", p.runtimeVersion()).bind("at", p.promotedAt().toEpochMilli())
                    .bind("by", p.promotedBy()).bind("notes", p.notes()).bind("prov", Json.write(p.provenance()))
                    .bind("rel", releaseId).bind("version", p.version())
                    .execute();
        }

        @Override
        public HistoryEntry appendHistory(PinKey key, String fromDigest, String toDigest, String gitSha,
                                          String runtimeVersion, String notes, String promotedBy,
                                          Map<String, String> provenance, Action action, Instant at,
                                          String releaseId) {
            // The write lock is held, so the head is stable and seq + 1 cannot collide. Linking to the
            // head, not to the last row, keeps a truncation visible after later appends.
            HistoryChain.Head head = selectHead(h).orElseThrow(() -> new io.lockstep.domain.LockstepException(
                    io.lockstep.domain.ErrorKind.CONFLICT, "HISTORY_HEAD_MISSING", "The history head was deleted"
                    + " outside Lockstep, so a new entry cannot be linked to the chain; nothing was changed. See GET"
                    + " /api/v1/history/verify and restore the history_head row from a backup."));
            long seq = head.seq() + 1;
            String prev = head.hash();
            String hash = HistoryChain.hash(prev, seq, key, fromDigest, toDigest, gitSha, runtimeVersion, notes,
                    promotedBy, provenance, action, at, releaseId);
            h.createUpdate("INSERT INTO pin_history (seq, environment, template, region, from_digest, to_digest, git_sha,"
                            + " runtime_version, notes, promoted_by, provenance, action, at, release_id, prev_hash, hash)"
                            + " VALUES (:seq, :e, :t, :r, :from, :to, :sha, :rv, :notes, :by, :prov, :action, :at, :rel,"
                            + " :prev, :hash)")
                    .bind("seq", seq).bind("e", key.environment()).bind("t", key.template()).bind("r", key.region())
                    .bind("from", fromDigest).bind("to", toDigest).bind("sha", gitSha).bind("rv", runtimeVersion)
                    .bind("notes", notes).bind("by", promotedBy).bind("prov", Json.write(provenance))
                    .bind("action", action.wire()).bind("at", at.toEpochMilli()).bind("rel", releaseId)
                    .bind("prev", prev).bind("hash", hash)
                    .execute();
            h.createUpdate("UPDATE history_head SET seq = :seq, hash = :hash WHERE id = 1")
                    .bind("seq", seq).bind("hash", hash).execute();
            return new HistoryEntry(seq, key, fromDigest, toDigest, gitSha, runtimeVersion, notes, promotedBy,
                    provenance, action, at, releaseId, prev, hash);
        }

        @Override
        public Optional<HistoryEntry> lastEntryTo(PinKey key, String digest) {
            return h.createQuery("SELECT * FROM pin_history WHERE environment = :e AND template = :t AND region = :r"
                            + " AND to_digest = :d AND action <> 'exclude' ORDER BY seq DESC LIMIT 1")
                    .bind("e", key.environment()).bind("t", key.template()).bind("r", key.region()).bind("d", digest)
                    .map(Rows.HISTORY).findOne();
        }

        @Override
        public List<HistoryEntry> history(PinKey key, int limit) {
            return h.createQuery("SELECT * FROM pin_history WHERE environment = :e AND template = :t AND region = :r"
                            + " ORDER BY seq DESC LIMIT :limit")
                    .bind("e", key.environment()).bind("t", key.template()).bind("r", key.region())
                    .bind("limit", limit).map(Rows.HISTORY).list();
        }

        @Override
        public Optional<Template> template(String name) {
            return h.createQuery("SELECT * FROM templates WHERE name = :n").bind("n", name).map(Rows.TEMPLATE).findOne();
        }

        @Override
        public List<Template> templates() {
            return h.createQuery("SELECT * FROM templates ORDER BY name").map(Rows.TEMPLATE).list();
        }

        @Override
        public void saveTemplate(Template t, String source, Instant at) {
            templatesWritten = true;
            h.createUpdate("INSERT INTO templates (name, repository, kinds, lockstep_group, pinnable, source, updated_at)"
                            + " VALUES (:n, :repo, :kinds, :g, :p, :src, :at) ON CONFLICT (name) DO UPDATE SET"
                            + " repository = excluded.repository, kinds = excluded.kinds,"
                            + " lockstep_group = excluded.lockstep_group, pinnable = excluded.pinnable,"
                            + " source = excluded.source, updated_at = excluded.updated_at")
                    .bind("n", t.name()).bind("repo", t.repository()).bind("kinds", Json.write(t.kinds()))
                    .bind("g", t.group()).bind("p", t.pinnable() ? 1 : 0).bind("src", source)
                    .bind("at", at.toEpochMilli()).execute();
        }

        @Override
        public Optional<Release> release(String id) {
            return h.createQuery("SELECT * FROM releases WHERE id = :id").bind("id", id).map(Rows.RELEASE).findOne();
        }

        @Override
        public Optional<Release> releaseByVersion(String group, String runtimeVersion) {
            return h.createQuery("SELECT * FROM releases WHERE lockstep_group = :g AND runtime_version = :v")
                    .bind("g", group).bind("v", runtimeVersion).map(Rows.RELEASE).findOne();
        }

        @Override
        public void saveRelease(Release r) {
            h.createUpdate("INSERT INTO releases (id, lockstep_group, runtime_version, git_sha, images, exclude,"
                            + " created_at, created_by, registered_by, registrant_environments)"
                            + " VALUES (:id, :g, :v, :sha, :images, :exclude, :at, :by, :regBy, :regEnvs)")
                    .bind("id", r.id()).bind("g", r.group()).bind("v", r.runtimeVersion()).bind("sha", r.gitSha())
                    .bind("images", Json.write(r.images())).bind("exclude", Json.write(r.exclude()))
                    .bind("at", r.createdAt().toEpochMilli()).bind("by", r.createdBy())
                    .bind("regBy", Json.write(r.registrants().tokens()))
                    .bind("regEnvs", r.registrants().everyEnvironment() ? null : Json.write(r.registrants().environments()))
                    .execute();
        }

        @Override
        public void saveRegistrants(String releaseId, Registrants registrants) {
            h.createUpdate("UPDATE releases SET registered_by = :regBy, registrant_environments = :regEnvs WHERE id = :id")
                    .bind("id", releaseId).bind("regBy", Json.write(registrants.tokens()))
                    .bind("regEnvs", registrants.everyEnvironment() ? null : Json.write(registrants.environments()))
                    .execute();
        }

        @Override
        public List<Fence> fences(String environment) {
            return selectFences(h, environment);
        }

        @Override
        public void saveFence(Fence f) {
            h.createUpdate("INSERT INTO fences (id, environment, reason, created_by, created_at, expires_at)"
                            + " VALUES (:id, :e, :reason, :by, :at, :exp)")
                    .bind("id", f.id()).bind("e", f.environment()).bind("reason", f.reason())
                    .bind("by", f.createdBy()).bind("at", f.createdAt().toEpochMilli())
                    .bind("exp", f.expiresAt().toEpochMilli()).execute();
        }

        @Override
        public boolean deleteFence(String environment, String id) {
            return h.createUpdate("DELETE FROM fences WHERE environment = :e AND id = :id")
                    .bind("e", environment).bind("id", id).execute() > 0;
        }
    }
}
