package io.lockstep.store;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Listens on PostgreSQL's NOTIFY channel so that a promote through one replica refreshes every
 * other replica's in-memory snapshot within milliseconds. After every (re)connect it fires once, since
 * notifications sent before LISTEN took effect are lost.
 */
final class PgChangeListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgChangeListener.class);

    private final DatabaseSettings settings;
    private final String channel;
    private final String ownReplicaId;
    private final Consumer<Change> onChange;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    PgChangeListener(DatabaseSettings settings, String channel, String ownReplicaId, Consumer<Change> onChange) {
        this.settings = settings;
        this.channel = channel;
        this.ownReplicaId = ownReplicaId;
        this.onChange = onChange;
        this.thread = new Thread(this::loop, "lockstep-pg-listen");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        while (running) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                // Also on the first connect: a commit between the replica's initial snapshot load and
                // this LISTEN sent its notification to nobody; one reload here closes that window.
                onChange.accept(Change.everything());
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(500);
                    if (notes == null) {
                        continue;
                    }
                    Change foreign = null;
                    for (PGNotification n : notes) {
                        // Payload: "<replica id> <change>" (an older replica sends just its id).
                        String payload = n.getParameter();
                        int space = payload.indexOf(' ');
                        String sender = space < 0 ? payload : payload.substring(0, space);
                        if (!ownReplicaId.equals(sender)) {
                            Change change = Change.decode(space < 0 ? null : payload.substring(space + 1));
                            foreign = foreign == null ? change : foreign.merge(change);
                        }
                    }
                    if (foreign != null) {
                        onChange.accept(foreign);
                    }
                }
            } catch (Exception e) {
                if (running) {
                    LOG.warn("change listener lost its PostgreSQL connection ({}); reconnecting", settings.redact(e.getMessage()));
                    sleepQuietly(1000);
                }
            }
        }
    }

    private Connection connect() throws java.sql.SQLException {
        Properties p = new Properties();
        if (settings.user() != null) {
            p.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            p.setProperty("password", settings.password());
        }
        return DriverManager.getConnection(settings.url(), p);
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing during shutdown; nothing to do
            }
        }
        thread.interrupt();
    }
}
