package io.lockstep.store;

/** Where the store lives. The password is resolved from the environment, never from the config file. */
public record DatabaseSettings(String url, String user, String password, int poolSize) {

    public static DatabaseSettings sqlite(java.nio.file.Path file) {
        return new DatabaseSettings("jdbc:sqlite:" + file, null, null, 4);
    }

    /** The URL without query parameters, which may carry credentials. */
    public String redactedUrl() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?…";
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + redactedUrl() + "]";
    }
}
