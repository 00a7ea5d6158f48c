package io.lockstep.http.dashboard;

import io.lockstep.testing.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a browser, for in-JVM dashboard tests: keeps the session cookie it is given (and nothing
 * else), follows no redirect, and reads the CSRF value from the last page it loaded.
 */
final class DashboardClient {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");
    private final String base;
    String cookie;
    String csrf;

    DashboardClient(TestServer s) {
        this.base = s.url();
    }

    record Page(int status, String body, HttpResponse<String> raw) {
        Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        List<String> headers(String name) {
            return raw.headers().allValues(name);
        }

        Optional<String> setCookie() {
            return raw.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(DashboardAccess.COOKIE + "="))
                    .findFirst();
        }

        String location() {
            return header("Location").orElse(null);
        }
    }

    /** Signs in with {@code token} and keeps the cookie when one is set. */
    Page signIn(String token, String... headers) {
        Page p = postForm("/sign-in", Map.of("token", token), headers);
        p.setCookie().ifPresent(c -> cookie = c.substring(c.indexOf('=') + 1, c.indexOf(';')));
        return p;
    }

    /** Signs in and loads the matrix, so {@link #csrf} is the session's. */
    DashboardClient signedIn(String token) {
        Page p = signIn(token);
        if (p.status() != 303 || cookie == null) {
            throw new AssertionError("sign-in failed: " + p.status() + " " + p.body());
        }
        Page home = get("/");
        if (home.status() != 200) {
            throw new AssertionError("matrix after sign-in: " + home.status() + " " + home.body());
        }
        return this;
    }

    Page get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        Page p = send(b, headers);
        Matcher m = CSRF.matcher(p.body());
        if (p.status() == 200 && m.find()) {
            csrf = m.group(1);
        }
        return p;
    }

    Page postForm(String path, Map<String, String> form, String... headers) {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(b, headers);
    }

    /** A form POST carrying this session's CSRF value. */
    Page postWithCsrf(String path, String... headers) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", csrf);
        return postForm(path, form, headers);
    }

    private Page send(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (cookie != null) {
            b.header("Cookie", DashboardAccess.COOKIE + "=" + cookie);
        }
        b.timeout(Duration.ofSeconds(30));
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Page(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
