package io.lockstep.http.dashboard;

import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's routes × every kind of caller, with the exact status: the companion of
 * {@code RouteAuthorizationTest} (which covers the bearer-token API and leaves these routes to this table). A
 * dashboard route added without a row, or a row left behind, fails {@link #theTableCoversExactlyTheDashboardRoutes}.
 *
 * <p>Columns: {@code none} (no cookie), {@code bearer} (an admin token in {@code Authorization}, no cookie: pages
 * never take it), {@code forged} (a cookie value that is no session), then a signed-in session of each token;
 * {@code s-*} tokens are limited to staging and every request here is about prod where it names an environment.
 * POSTs carry the session's own CSRF value, so the status is the authorization decision alone.
 */
public class DashboardRouteAuthorizationTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers();

    private static final String TABLE = """
            route                          | none bearer forged read promote admin s-read s-admin
            GET  /                         | 303  303    303    200  200     200   403    403
            GET  /sign-in                  | 200  200    200    303  303     303   303    303
            POST /sign-in                  | 401  401    401    303  303     303   303    303
            POST /sign-out                 | 401  401    401    303  303     303   303    303
            GET  /ui/events                | 401  401    401    200  200     200   200    200
            GET  /assets/{version}/{file}  | 200  200    200    200  200     200   200    200
            GET  /pins/{environment}/{template} | 303  303    303    200  200     200   403    403
            POST /ui/pins/{environment}/{template}/rollback | 401  401    401    403  422     422   403    403
            GET  /releases                 | 303  303    303    200  200     200   200    200
            POST /ui/releases/{id}/promote | 401  401    401    403  404     404   403    403
            POST /ui/approvals/{environment} | 401  401    401    403  403     409   403    403
            GET  /rollout                  | 303  303    303    200  200     200   403    403
            GET  /activity                 | 303  303    303    200  200     200   403    403
            """;

    /** The dashboard's routes as {@code ApiServer.routes()} names them; {@code RouteAuthorizationTest} skips these. */
    public static final Set<String> ROUTES = TABLE.lines().skip(1).filter(l -> !l.isBlank())
            .map(l -> l.substring(0, l.indexOf('|')).trim().replaceAll("\\s+", " "))
            .collect(Collectors.toUnmodifiableSet());

    private static final List<String> COLUMNS = List.of("none", "bearer", "forged", "read", "promote", "admin",
            "s-read", "s-admin");
    private static final Map<String, String> TOKENS = Map.of("read", TestConfig.READER, "promote", TestConfig.CI,
            "admin", TestConfig.ADMIN, "s-read", TestConfig.STAGING_READER, "s-admin", TestConfig.STAGING_ADMIN);
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern ASSET = Pattern.compile("/assets/([0-9a-f]+)/dashboard\\.css");

    /** What a column's caller brings to a request: its session (signed in fresh for each cell), or none. */
    record Caller(String column, DashboardClient client, String token) {
    }

    private static final Map<String, BiFunction<TestServer, Caller, HttpRequest.Builder>> REQUESTS = new LinkedHashMap<>();

    static {
        REQUESTS.put("GET /", (s, c) -> get(s, "/?environment=prod"));
        REQUESTS.put("GET /sign-in", (s, c) -> get(s, "/sign-in"));
        REQUESTS.put("POST /sign-in", (s, c) -> form(s, "/sign-in", Map.of("token",
                c.token() == null ? "no-such-token-4e1b" : c.token())));
        REQUESTS.put("POST /sign-out", (s, c) -> form(s, "/sign-out",
                Map.of("csrf", c.client() == null || c.client().csrf == null ? "none" : c.client().csrf)));
        REQUESTS.put("GET /ui/events", (s, c) -> get(s, "/ui/events").header("Accept", "text/event-stream"));
        REQUESTS.put("GET /assets/{version}/{file}", (s, c) -> get(s, "/assets/" + assetVersion(s) + "/live.js"));
        // pin page, releases page and their actions (prod; the actions name nothing that exists, so a caller the
        // checks let through meets the service's own 404 / 409 and nothing changes)
        REQUESTS.put("GET /pins/{environment}/{template}", (s, c) -> get(s, "/pins/prod/solo"));
        REQUESTS.put("POST /ui/pins/{environment}/{template}/rollback", (s, c) -> form(s,
                "/ui/pins/prod/solo/rollback", Map.of("csrf", csrf(c), "to_digest", "sha256:" + "0".repeat(64),
                        "notes", "authorization table")));
        REQUESTS.put("GET /releases", (s, c) -> get(s, "/releases"));
        REQUESTS.put("POST /ui/releases/{id}/promote", (s, c) -> form(s, "/ui/releases/nogroup@0.0.0/promote",
                Map.of("csrf", csrf(c), "environment", "prod")));
        REQUESTS.put("POST /ui/approvals/{environment}", (s, c) -> form(s, "/ui/approvals/prod",
                Map.of("csrf", csrf(c), "release", "nogroup@0.0.0")));
        REQUESTS.put("GET /rollout", (s, c) -> get(s, "/rollout?environment=prod"));
        REQUESTS.put("GET /activity", (s, c) -> get(s, "/activity?environment=prod"));
    }

    @Test
    void theTableCoversExactlyTheDashboardRoutes() {
        Set<String> dashboard = new TreeSet<>();
        for (String r : servers.of(StoreKind.SQLITE).server.routes()) {
            String path = r.substring(r.indexOf(' ') + 1);
            if (!path.startsWith("/api/") && !path.startsWith("/cp/")
                    && !Set.of("/healthz", "/readyz", "/metrics", "/openapi.yaml").contains(path)) {
                dashboard.add(r);
            }
        }
        assertThat(new TreeSet<>(ROUTES)).isEqualTo(dashboard);
        assertThat(REQUESTS.keySet()).containsExactlyInAnyOrderElementsOf(ROUTES);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyDashboardRouteAnswersEveryCallerExactlyAsTheTableSays(StoreKind kind) throws Exception {
        TestServer s = servers.of(kind);
        List<String> wrong = new ArrayList<>();
        for (String line : TABLE.lines().skip(1).filter(l -> !l.isBlank()).toList()) {
            String route = line.substring(0, line.indexOf('|')).trim().replaceAll("\\s+", " ");
            String[] cells = line.substring(line.indexOf('|') + 1).trim().split("\\s+");
            for (int i = 0; i < COLUMNS.size(); i++) {
                String column = COLUMNS.get(i);
                int want = Integer.parseInt(cells[i]);
                Caller caller = caller(s, column);
                int got = status(withCaller(REQUESTS.get(route).apply(s, caller), caller));
                if (got != want) {
                    wrong.add(route + " as " + column + ": " + got + " (table: " + want + ")");
                }
                if (route.startsWith("GET ") && !route.equals("GET /ui/events")) {
                    // HEAD is GET without the body: the same decision
                    int h = status(withCaller(REQUESTS.get(route).apply(s, caller), caller)
                            .method("HEAD", HttpRequest.BodyPublishers.noBody()));
                    if (h != want) {
                        wrong.add("HEAD" + route.substring(3) + " as " + column + ": " + h + " (table: " + want + ")");
                    }
                }
            }
        }
        assertThat(wrong).as("cells that differ from the table").isEmpty();
    }

    private static String csrf(Caller c) {
        return c.client() == null || c.client().csrf == null ? "none" : c.client().csrf;
    }

    private static Caller caller(TestServer s, String column) {
        String token = TOKENS.get(column);
        return new Caller(column, token == null ? null : new DashboardClient(s).signedIn(token), token);
    }

    private static HttpRequest.Builder withCaller(HttpRequest.Builder b, Caller caller) {
        switch (caller.column()) {
            case "none" -> { }
            case "bearer" -> b.header("Authorization", "Bearer " + TestConfig.ADMIN);
            case "forged" -> b.header("Cookie", DashboardAccess.COOKIE + "=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
            default -> b.header("Cookie", DashboardAccess.COOKIE + "=" + caller.client().cookie);
        }
        return b;
    }

    private static HttpRequest.Builder get(TestServer s, String path) {
        return HttpRequest.newBuilder(URI.create(s.url() + path)).GET();
    }

    private static HttpRequest.Builder form(TestServer s, String path, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(s.url() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String assetVersion(TestServer s) {
        try {
            String page = CLIENT.send(get(s, "/sign-in").build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = ASSET.matcher(page);
            assertThat(m.find()).as(page).isTrue();
            return m.group(1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status alone: a stream's body is never read (its connection is closed at once). */
    private static int status(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = CLIENT.send(b.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        return r.statusCode();
    }
}
