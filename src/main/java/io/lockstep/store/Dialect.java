package io.lockstep.store;

/** The two supported databases, told apart by their JDBC URL. */
public enum Dialect {
    SQLITE, POSTGRES;

    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        throw new IllegalArgumentException("database.url must start with jdbc:sqlite: or jdbc:postgresql:");
    }
}
