package io.lockstep.store;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the store lives. The password is resolved from the environment, never from the config file. */
public record DatabaseSettings(String url, String user, String password, int poolSize) {
    private static final Pattern USER_INFO = Pattern.compile("//([^/?#@]*)@");
    private static final Pattern QUERY_PASSWORD = Pattern.compile("(?i)[?&;](?:password|sslpassword|pass|pwd)=([^&;#]*)");

    public static DatabaseSettings sqlite(java.nio.file.Path file) {
        return new DatabaseSettings("jdbc:sqlite:" + file, null, null, 4);
    }

    /** The URL without credentials: no user-info ({@code //user:secret@}) and no query parameters. */
    public String redactedUrl() {
        String u = USER_INFO.matcher(url).replaceFirst("//…@");
        int q = u.indexOf('?');
        return q < 0 ? u : u.substring(0, q) + "?…";
    }

    /**
     * {@code text} (an error message from the driver, the pool or Flyway) with the URL replaced by
     * {@link #redactedUrl()} and every secret the settings hold removed: drivers echo URLs, hosts
     * parsed out of a user-info part, and connection properties.
     */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text.replace(url, redactedUrl());
        for (String secret : secrets()) {
            out = out.replace(secret, "…");
        }
        return out;
    }

    private List<String> secrets() {
        List<String> s = new ArrayList<>();
        if (password != null && !password.isEmpty()) {
            s.add(password);
        }
        Matcher info = USER_INFO.matcher(url);
        if (info.find() && !info.group(1).isEmpty()) {
            String userInfo = info.group(1);
            s.add(userInfo);
            int colon = userInfo.indexOf(':');
            if (colon >= 0 && colon < userInfo.length() - 1) {
                s.add(userInfo.substring(colon + 1));
            }
        }
        Matcher q = QUERY_PASSWORD.matcher(url);
        while (q.find()) {
            if (!q.group(1).isEmpty()) {
                s.add(q.group(1));
                s.add(java.net.URLDecoder.decode(q.group(1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        int query = url.indexOf('?');
        if (query >= 0) {
            s.add(url.substring(query + 1));
        }
        // Longest first, so a secret that contains another is removed whole.
        s.sort((a, b) -> b.length() - a.length());
        return s;
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + redactedUrl() + "]";
    }
}
