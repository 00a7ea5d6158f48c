package io.lockstep.testing;

import io.lockstep.config.LockstepConfig;
import io.lockstep.server.AdjustableClock;
import io.lockstep.server.LockstepServer;
import io.lockstep.store.DatabaseSettings;

/** A real Lockstep server in this JVM on an ephemeral loopback port, with an adjustable clock. */
public final class TestServer implements AutoCloseable {
    public final LockstepServer server;
    public final AdjustableClock clock = new AdjustableClock();
    public final Http http;
    public final DatabaseSettings db;

    public TestServer(DatabaseSettings db) {
        this(db, (String) null);
    }

    public TestServer(DatabaseSettings db, String extraYaml) {
        this(db, TestConfig.config(db, extraYaml));
    }

    /** A server with a configuration the caller built (e.g. {@link TestConfig#config(DatabaseSettings, String, java.util.function.UnaryOperator)}). */
    public TestServer(DatabaseSettings db, LockstepConfig config) {
        this.db = db;
        this.server = LockstepServer.start(config, clock);
        this.http = new Http(server.baseUrl());
    }

    public String url() {
        return server.baseUrl();
    }

    @Override
    public void close() {
        server.close();
    }
}
