package io.lockstep.testing;

import io.lockstep.store.DatabaseSettings;

import java.nio.file.Path;

/** The two stores every integration test runs against; use with {@code @EnumSource(StoreKind.class)}. */
public enum StoreKind {
    SQLITE, POSTGRES;

    public DatabaseSettings create(Path tempDir) {
        return this == SQLITE ? TestDatabases.sqlite(tempDir) : TestDatabases.freshPostgres();
    }
}
