package io.lockstep.cli.client;

import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --verbose}: every request and response on stderr. The Authorization header is always
 * printed as {@code Bearer <redacted>}; nothing else the CLI sends carries a secret.
 */
public final class HttpTrace {
    private static final int BODY_LIMIT = 4000;
    private final PrintStream out;

    private HttpTrace(PrintStream out) {
        this.out = out;
    }

    public static HttpTrace off() {
        return new HttpTrace(null);
    }

    public static HttpTrace to(PrintStream out) {
        return new HttpTrace(out);
    }

    public boolean enabled() {
        return out != null;
    }

    void request(String target, HttpRequest request, String body) {
        if (out == null) {
            return;
        }
        StringBuilder b = new StringBuilder();
        b.append("[").append(target).append("] > ").append(request.method()).append(' ').append(request.uri()).append('\n');
        for (Map.Entry<String, List<String>> h : request.headers().map().entrySet()) {
            for (String v : h.getValue()) {
                b.append("[").append(target).append("] > ").append(h.getKey()).append(": ")
                        .append(redact(h.getKey(), v)).append('\n');
            }
        }
        if (body != null) {
            b.append("[").append(target).append("] > ").append(Printable.text(clip(body))).append('\n');
        }
        print(b);
    }

    void response(String target, ApiResponse r, long millis) {
        if (out == null) {
            return;
        }
        print(new StringBuilder("[").append(target).append("] < ")
                .append(r.unreachable() ? r.describe() : r.status() + " " + Printable.text(clip(r.body())))
                .append(" (").append(millis).append(" ms)\n"));
    }

    static String redact(String header, String value) {
        String h = header.toLowerCase(Locale.ROOT);
        if (h.equals("authorization") || h.equals("proxy-authorization") || h.contains("token") || h.equals("cookie")) {
            return value.regionMatches(true, 0, "Bearer ", 0, 7) ? "Bearer " + Token.REDACTED : Token.REDACTED;
        }
        return value;
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > BODY_LIMIT ? s.substring(0, BODY_LIMIT) + "…" : s;
    }

    private void print(CharSequence s) {
        synchronized (out) {
            out.print(s);
            out.flush();
        }
    }
}
