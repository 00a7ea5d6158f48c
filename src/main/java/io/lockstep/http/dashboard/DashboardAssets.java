package io.lockstep.http.dashboard;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's two static files, served at {@code /assets/<version>/<file>} where the version is a hash of
 * their bytes: a browser may cache them for a year, and a new build, whose files differ, has new URLs, so it
 * never runs an old script against a new page. Any other version or file is 404.
 */
public final class DashboardAssets {
    private static final Map<String, String> TYPES = Map.of(
            "dashboard.css", "text/css; charset=utf-8",
            "live.js", "text/javascript; charset=utf-8");
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final String version;

    public DashboardAssets() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String name : new String[]{"dashboard.css", "live.js"}) {
            byte[] bytes = load(name);
            files.put(name, bytes);
            sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(bytes);
        }
        this.version = HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    }

    public String version() {
        return version;
    }

    static String path(String version, String file) {
        return "/assets/" + version + "/" + file;
    }

    void serve(Context ctx) {
        byte[] bytes = files.get(ctx.pathParam("file"));
        ctx.header("X-Content-Type-Options", "nosniff");
        if (bytes == null || !version.equals(ctx.pathParam("version"))) {
            ctx.header("Cache-Control", "no-store");
            ctx.status(404).contentType("text/plain; charset=utf-8").result("No such asset.");
            return;
        }
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.contentType(TYPES.get(ctx.pathParam("file"))).result(bytes);
    }

    private static byte[] load(String name) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard asset missing from the jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
