package io.lockstep.http.dashboard;

import io.lockstep.server.DemoSeeder;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Matrix page (issue 14 item 3) over real HTTP, on both stores: content, escaping, limits, headers. */
class MatrixPageTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers("events:\n  drift_interval: 0s\n");

    @TempDir
    Path dir;

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** A cell's opening tag, found by its test hooks. */
    private static String cell(String page, String env, String template) {
        Matcher m = Pattern.compile("<td class=\"cell status-([a-z_]+)\" data-env=\"" + env + "\" data-template=\""
                + Pattern.quote(template) + "\" data-status=\"([a-z_]+)\"").matcher(page);
        assertThat(m.find()).as("cell %s/%s in the page", env, template).isTrue();
        assertThat(m.group(1)).isEqualTo(m.group(2));
        return m.group(2);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theDemoIncidentIsOneMemberOfTheRuntimeGroupOnTheFixAndTheRestStuckWithABanner(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir), "events:\n  drift_interval: 0s\n")) {
            new DemoSeeder(s.server, s.clock).seed();
            String page = new DashboardClient(s).signedIn(TestConfig.READER).get("/").body();
            for (String env : List.of("staging", "prod")) {
                assertThat(cell(page, env, "claude-code")).isEqualTo("current");
                for (String behind : List.of("platform-agent", "hermes", "codex", "openclaw")) {
                    assertThat(cell(page, env, behind)).as(behind).isEqualTo("stuck");
                }
            }
            assertThat(page).contains("<tbody class=\"group\" data-group=\"runtime\">")
                    .contains("Group runtime <span class=\"group-summary\">8 STUCK · 2 CURRENT</span>");
            assertThat(page).contains("id=\"alert-banner\" class=\"banner\" role=\"alert\"")
                    .contains("<li class=\"alert-item\" data-env=\"prod\" data-template=\"platform-agent\" data-status=\"STUCK\">")
                    .contains("10 pins need attention"); // 8 STUCK, and the test configuration's solo MISSING twice
            // the cell says it in words too, with the version, short digest and the explanation
            assertThat(page).contains("<span class=\"badge\">STUCK</span>").contains("v0.3.40")
                    .contains(DemoSeeder.digest("platform-agent", "v0.3.40").substring(7, 19))
                    .contains("platform-agent in prod is 1 release behind");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void notesAndFilterTextWithHtmlRenderAsText(StoreKind kind) {
        TestServer s = servers.of(kind);
        // names are [a-z0-9._-] (domain/Names), so notes, which allow anything printable, carry the markup
        String hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
        Http.Response p = s.http.post("/api/v1/environments/staging/pins/solo/promote", TestConfig.ADMIN,
                Json.obj("image_digest", Unique.digest(), "notes", hostile));
        assertThat(p.status()).as(p.body()).isBetween(200, 201);
        DashboardClient browser = new DashboardClient(s).signedIn(TestConfig.READER);
        String page = browser.get("/").body();
        assertThat(page).contains("Last note: &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;\"'&amp;")
                .doesNotContain("<script>alert").doesNotContain("<img src=x");
        String filtered = browser.get("/?q=%22%3E%3Cscript%3Ealert(3)%3C/script%3E").body();
        assertThat(filtered).contains("value=\"&#34;>&lt;script>alert(3)&lt;/script>\"").doesNotContain("<script>alert");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEnvironmentLimitedTokenSeesOnlyItsEnvironments(StoreKind kind) {
        TestServer s = servers.of(kind);
        Http.Response p = s.http.post("/api/v1/environments/prod/pins/solo/promote", TestConfig.ADMIN,
                Json.obj("image_digest", Unique.digest(), "notes", "prod-only-note-71c3"));
        assertThat(p.status()).as(p.body()).isBetween(200, 201);
        DashboardClient staging = new DashboardClient(s).signedIn(TestConfig.STAGING_READER);
        String page = staging.get("/").body();
        assertThat(page).contains("data-env=\"staging\"").doesNotContain("data-env=\"prod\"")
                .doesNotContain(">prod<").doesNotContain("prod-only-note-71c3").doesNotContain("in prod");
        DashboardClient.Page asked = staging.get("/?environment=prod");
        assertThat(asked.status()).isEqualTo(403);
        assertThat(asked.body()).contains("data-code=\"FORBIDDEN\"").doesNotContain("prod-only-note-71c3");

        String all = new DashboardClient(s).signedIn(TestConfig.READER).get("/").body();
        assertThat(all).contains("data-env=\"prod\"").contains("prod-only-note-71c3");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void filtersNarrowTheRowsAndColumnsAndABadOneIsA400Page(StoreKind kind) {
        TestServer s = servers.of(kind);
        DashboardClient browser = new DashboardClient(s).signedIn(TestConfig.READER);
        String staging = browser.get("/?environment=staging&q=sol").body();
        assertThat(staging).contains("data-template=\"solo\"").doesNotContain("<tr data-template=\"hermes\"")
                .doesNotContain("data-env=\"prod\" data-template=\"solo\" data-status").doesNotContain("<th scope=\"col\" data-env=\"prod\"")
                .contains("<option value=\"staging\" selected>");
        String group = browser.get("/?group=runtime").body();
        assertThat(group).contains("<tr data-template=\"hermes\"").doesNotContain("<tr data-template=\"solo\"");
        DashboardClient.Page bad = browser.get("/?status=bogus");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("data-code=\"INVALID_DRIFT_STATUS\"").doesNotContain("Exception");
        assertThat(browser.get("/?environment=nowhere").status()).isEqualTo(404);
        assertThat(browser.get("/?environment=BAD%20NAME").status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyAnswerCarriesTheCspAndSecurityHeaders(StoreKind kind) {
        TestServer s = servers.of(kind);
        DashboardClient anonymous = new DashboardClient(s);
        DashboardClient browser = new DashboardClient(s).signedIn(TestConfig.READER);
        List<DashboardClient.Page> pages = List.of(anonymous.get("/"), anonymous.get("/sign-in"),
                anonymous.signIn("wrong-token"), browser.get("/"), browser.get("/?status=bogus"),
                browser.get("/", "X-Dashboard-Fragment", "main"), browser.postForm("/sign-out", java.util.Map.of()));
        for (DashboardClient.Page p : pages) {
            assertThat(p.header("Content-Security-Policy")).as(p.raw().uri() + " " + p.status()).contains(CSP);
            assertThat(p.header("X-Content-Type-Options")).contains("nosniff");
            assertThat(p.header("Referrer-Policy")).contains("no-referrer");
            assertThat(p.header("Cache-Control")).contains("no-store");
            assertThat(p.body()).doesNotContain("<script>").doesNotContain("style=\"").doesNotContain("<style");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theFragmentIsTheMainElementsContentOnly(StoreKind kind) {
        DashboardClient browser = new DashboardClient(servers.of(kind)).signedIn(TestConfig.READER);
        String full = browser.get("/").body();
        String main = browser.get("/", "X-Dashboard-Fragment", "main").body();
        assertThat(main.trim()).startsWith("<h1>Matrix</h1>").doesNotContain("<html").doesNotContain("<main");
        assertThat(full).contains("<main id=\"main\" tabindex=\"-1\">").contains("id=\"live-status\"")
                .contains("role=\"status\"");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aServerWithTheDashboardOffHasNoPagesButTheApi(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir), "dashboard: {enabled: false}\n")) {
            assertThat(new DashboardClient(s).get("/sign-in").status()).isEqualTo(404);
            assertThat(new DashboardClient(s).get("/").status()).isEqualTo(404);
            assertThat(s.http.get("/api/v1/environments", TestConfig.READER).status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void assetsAreVersionedAndCachedForAYear(StoreKind kind) {
        TestServer s = servers.of(kind);
        DashboardClient anonymous = new DashboardClient(s);
        Matcher m = Pattern.compile("href=\"(/assets/([0-9a-f]{12})/dashboard\\.css)\"").matcher(anonymous.get("/sign-in").body());
        assertThat(m.find()).isTrue();
        DashboardClient.Page css = anonymous.get(m.group(1));
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(css.header("Content-Type").orElse("")).startsWith("text/css");
        DashboardClient.Page js = anonymous.get("/assets/" + m.group(2) + "/live.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.body()).contains("EventSource").contains("X-Dashboard-Fragment");
        assertThat(anonymous.get("/assets/000000000000/live.js").status()).isEqualTo(404);
        assertThat(anonymous.get("/assets/" + m.group(2) + "/other.js").status()).isEqualTo(404);
    }
}
