package io.lockstep.http.dashboard;

import io.lockstep.server.DemoSeeder;
import io.lockstep.testing.Browser;
import io.lockstep.testing.Browsers;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.lockstep.http.dashboard.DashboardPages.WAIT;
import static io.lockstep.http.dashboard.DashboardPages.cell;
import static io.lockstep.http.dashboard.DashboardPages.csrf;
import static io.lockstep.http.dashboard.DashboardPages.sessionCookie;
import static io.lockstep.http.dashboard.DashboardPages.signIn;
import static io.lockstep.http.dashboard.DashboardPages.text;
import static io.lockstep.http.dashboard.DashboardPages.waitForH1;
import static io.lockstep.http.dashboard.DashboardPages.withCookie;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14's acceptance criteria for the acting pages, in a real headless Chromium against a real server on each
 * store, seeded with the demo's data under prod's policies (1 h soak in staging, one approval by someone else, a
 * holiday freeze) on an adjustable clock fixed at a Wednesday noon outside the freeze: promote from the Releases
 * page and a second browser's matrix changes live; a refused prod promote explains itself, a second identity
 * approves, the promote goes through; a read token sees no actions and forged POSTs are 403 and change nothing;
 * rollback from the pin page; the Rollout and Activity pages, live; the "reconnecting" state; axe-core, the token
 * leak check and a screenshot on each page.
 */
class DashboardActionsBrowserTest {
    private static final Instant WEDNESDAY = Instant.parse("2026-12-02T12:00:00Z");
    private static final String FIX = DemoSeeder.GROUP + "@v0.3.43";

    @RegisterExtension
    static final Browsers browsers = new Browsers();
    private static final Map<StoreKind, TestServer> servers = new EnumMap<>(StoreKind.class);
    private static Path dir;

    @TempDir
    Path tmp;

    /** The store's server with prod's policies, an approver (alice) and the demo's data, started once per class. */
    static synchronized TestServer server(StoreKind kind) throws Exception {
        TestServer s = servers.get(kind);
        if (s == null) {
            if (dir == null) {
                dir = Files.createTempDirectory("lockstep-actions-");
            }
            var db = kind.create(dir.resolve(kind.name().toLowerCase()));
            s = new TestServer(db, TestConfig.config(db, null, ReleasesPageTest::policies));
            s.clock.freezeAt(WEDNESDAY);
            new DemoSeeder(s.server, s.clock).seed();
            servers.put(kind, s);
        }
        return s;
    }

    @AfterAll
    static synchronized void stopServers() throws Exception {
        servers.values().forEach(TestServer::close);
        servers.clear();
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            dir = null;
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void promoteFromTheReleasesPageAndASecondBrowsersMatrixChangesLiveWithoutReload(StoreKind kind) throws Exception {
        TestServer s = server(kind);
        Browser watcher = browsers.second();
        signIn(watcher, s.url(), TestConfig.READER);
        assertThat(cell(watcher, "staging", "platform-agent").getDomAttribute("data-status")).isEqualTo("stuck");
        assertThat(cell(watcher, "staging", "platform-agent").getText()).contains("v0.3.40");
        waitForLive(watcher);
        watcher.js("window.__noReload = 1;"); // a reload would start a fresh window without it

        Browser b = browsers.main();
        signIn(b, s.url(), TestConfig.CI);
        b.open(s.url() + "/releases");
        waitForH1(b, "Releases");
        WebElement staging = releaseCell(b, FIX, "staging");
        assertThat(staging.getDomAttribute("data-state")).isEqualTo("promotable");
        staging.findElement(By.cssSelector("button.promote")).click();
        WebElement done = waitFor(b, By.id("done"));
        assertThat(done.getText()).contains("Release " + FIX + " is now current in staging.");
        assertThat(releaseCell(b, FIX, "staging").getDomAttribute("data-state")).isEqualTo("current");
        assertThat(pinDigest(s, "staging", "platform-agent")).isEqualTo(DemoSeeder.digest("platform-agent", "v0.3.43"));

        new WebDriverWait(watcher.driver, WAIT).ignoring(StaleElementReferenceException.class).withMessage("the watcher's matrix cell staging/platform-agent to show v0.3.43")
                .until(d -> cell(watcher, "staging", "platform-agent").getText().contains("v0.3.43"));
        // read once the live updates have settled: a later fragment may replace the cell between finding and reading it
        String status = new WebDriverWait(watcher.driver, WAIT).ignoring(StaleElementReferenceException.class)
                .until(d -> cell(watcher, "staging", "platform-agent").getDomAttribute("data-status"));
        assertThat(status).isNotEqualTo("stuck");
        assertThat(watcher.js("return window.__noReload;")).as("the page was not reloaded").isEqualTo(1L);
        watcher.assertTokenNowhere(TestConfig.READER);
        b.assertTokenNowhere(TestConfig.CI);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRefusedProdPromoteExplainsItselfASecondIdentityApprovesAndThePromoteGoesThrough(StoreKind kind) throws Exception {
        TestServer s = server(kind);
        var release = newRelease(s);
        promoteViaApi(s, "staging", release.id());
        s.clock.advance(Duration.ofHours(2)); // past prod's soak: only the approval is missing
        String sentence = promotability(s, "prod", release.id());

        Browser b = browsers.main();
        signIn(b, s.url(), TestConfig.CI);
        b.open(s.url() + "/releases?group=" + release.group());
        waitForH1(b, "Releases");
        WebElement prod = releaseCell(b, release.id(), "prod");
        assertThat(prod.getDomAttribute("data-state")).isEqualTo("awaiting_approval");
        assertThat(prod.findElements(By.cssSelector("button.approve"))).as("ci may not approve").isEmpty();
        prod.findElement(By.cssSelector("button.promote")).click();
        WebElement refusal = waitFor(b, By.id("refusal"));
        assertThat(refusal.getDomAttribute("data-code")).isEqualTo("APPROVAL_REQUIRED");
        assertThat(refusal.getDomAttribute("role")).isEqualTo("alert");
        assertThat(refusal.isDisplayed()).isTrue();
        assertThat(refusal.getText()).as("the API's own explanation").contains(sentence);
        assertThat(pinDigest(s, "prod", release.template())).as("the refused promote changed nothing").isNull();
        if (kind == StoreKind.SQLITE) {
            b.assertNoSeriousA11yViolations();
            b.screenshot("releases-refusal");
        }
        b.assertTokenNowhere(TestConfig.CI);

        Browser alice = browsers.second();
        signIn(alice, s.url(), ReleasesPageTest.ALICE);
        alice.open(s.url() + "/releases?group=" + release.group());
        waitForH1(alice, "Releases");
        WebElement toApprove = releaseCell(alice, release.id(), "prod");
        assertThat(toApprove.findElements(By.cssSelector("button.promote"))).as("alice may only approve").isEmpty();
        toApprove.findElement(By.cssSelector("button.approve[data-env='prod'][data-release='" + release.id() + "']")).click();
        waitForH1(alice, "Releases");
        assertThat(DashboardPages.path(alice)).isEqualTo("/releases");
        assertThat(alice.driver.findElements(By.id("refusal"))).as("alice's approval was taken").isEmpty();
        alice.assertTokenNowhere(ReleasesPageTest.ALICE);

        b.open(s.url() + "/releases?group=" + release.group());
        waitForH1(b, "Releases");
        assertThat(releaseCell(b, release.id(), "prod").getDomAttribute("data-state")).as("for ci, after alice's approval")
                .isEqualTo("promotable");
        releaseCell(b, release.id(), "prod").findElement(By.cssSelector("button.promote")).click();
        assertThat(waitFor(b, By.id("done")).getText()).contains("Release " + release.id() + " is now current in prod.");
        assertThat(pinDigest(s, "prod", release.template())).isEqualTo(release.digest());
        assertThat(releaseCell(b, release.id(), "prod").getDomAttribute("data-state")).isEqualTo("current");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReadTokenSeesNoActionsOnReleasesAndPinPagesAndForgedPromotesAre403AndChangeNothing(StoreKind kind) throws Exception {
        TestServer s = server(kind);
        var release = newRelease(s);
        String promotePath = "/ui/releases/" + release.id() + "/promote";
        String body = "environment=staging";

        Browser b = browsers.main();
        signIn(b, s.url(), TestConfig.READER);
        for (String page : List.of("/releases", "/releases?group=" + release.group(), "/pins/staging/claude-code")) {
            b.open(s.url() + page);
            // The sign-in page has a POST form too: be sure this is the page asked for (CI once found a POST form
            // here, 2026-11-30, not reproduced since).
            assertThat(b.driver.getCurrentUrl()).as("still signed in on %s; the page says: %s", page,
                    b.driver.findElement(By.tagName("body")).getText()).doesNotContain("/sign-in");
            assertThat(b.driver.findElements(By.cssSelector("main form[method=post], main button.promote, main button.approve,"
                    + " main button.rollback, main details.rollback"))).as("no action on %s for a read token", page).isEmpty();
            assertThat(b.driver.findElements(By.cssSelector("main button"))).extracting(e -> text(e).toLowerCase())
                    .noneMatch(t -> t.contains("promote") || t.contains("approve") || t.contains("roll back"));
        }
        Forged reader = postFromPage(b, promotePath, body + "&csrf=" + URLEncoder.encode(csrf(b), StandardCharsets.UTF_8));
        assertThat(reader.status()).isEqualTo(403);
        assertThat(reader.body()).contains("data-code=\"FORBIDDEN\"");

        // a token that may promote: without its page's CSRF value, or sent by another site, the POST is refused
        signIn(b, s.url(), TestConfig.CI);
        assertThat(postFromPage(b, promotePath, body)).extracting(Forged::status, f -> f.code())
                .containsExactly(403L, "CSRF_REJECTED");
        assertThat(postFromPage(b, promotePath, body + "&csrf=" + "A".repeat(43))).extracting(Forged::status, f -> f.code())
                .containsExactly(403L, "CSRF_REJECTED");
        Cookie cookie = sessionCookie(b);
        String rightCsrf = body + "&csrf=" + URLEncoder.encode(csrf(b), StandardCharsets.UTF_8);
        HttpResponse<String> crossSite = withCookie(s.url(), "POST", promotePath, cookie, rightCsrf, "https://evil.example");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.body()).contains("data-code=\"CSRF_REJECTED\"").doesNotContain("Exception", "at io.lockstep");
        assertThat(pinDigest(s, "staging", release.template())).as("no forged POST promoted").isNull();
        // the same POST with the page's CSRF value from the page itself goes through: the refusals above were the CSRF's
        assertThat(postFromPage(b, promotePath, rightCsrf).status()).as("an opaque redirect (303)").isEqualTo(0L);
        assertThat(pinDigest(s, "staging", release.template())).isEqualTo(release.digest());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rollbackFromThePinPageNamesTheDigestAndUpdatesThePage(StoreKind kind) throws Exception {
        TestServer s = server(kind);
        String t = Unique.name("pin");
        createTemplate(s, t, null);
        String d1 = Unique.digest();
        String d2 = Unique.digest();
        promotePinViaApi(s, t, d1, "first <b>build</b>");
        promotePinViaApi(s, t, d2, "second build");

        Browser b = browsers.main();
        signIn(b, s.url(), TestConfig.CI);
        b.open(s.url() + "/pins/staging/" + t);
        waitForH1(b, t + " in staging");
        assertThat(b.driver.findElement(By.id("pin-digest")).getText()).isEqualTo(d2);
        assertThat(b.driver.findElements(By.cssSelector("#history td.notes"))).extracting(DashboardPages::text)
                .contains("first <b>build</b>");
        WebElement entry = b.driver.findElement(By.cssSelector("#history tr.entry[data-to='" + d1 + "']"));
        WebElement rollback = entry.findElement(By.cssSelector("details.rollback"));
        rollback.findElement(By.tagName("summary")).click();
        WebElement confirm = rollback.findElement(By.cssSelector("p.confirm"));
        assertThat(confirm.isDisplayed()).isTrue();
        assertThat(confirm.getText()).as("the confirmation names the digest").contains(d1);
        assertThat(confirm.findElement(By.cssSelector("code.target-digest")).getText()).isEqualTo(d1);
        WebElement button = rollback.findElement(By.cssSelector("button.rollback"));
        assertThat(button.getDomAttribute("data-digest")).isEqualTo(d1);
        assertThat(button.getText()).contains(d1.substring(7, 19));
        if (kind == StoreKind.SQLITE) {
            b.assertNoSeriousA11yViolations(); // with the confirmation open
            b.screenshot("pin");
        }
        rollback.findElement(By.tagName("textarea")).sendKeys("second build breaks sign-in");
        button.click();

        WebElement rolledBack = waitFor(b, By.id("rolled-back"));
        assertThat(rolledBack.getDomAttribute("role")).isEqualTo("status");
        assertThat(b.driver.findElement(By.id("pin-digest")).getText()).isEqualTo(d1);
        assertThat(b.driver.findElements(By.cssSelector("#history tr.entry")).get(0).getDomAttribute("data-to")).isEqualTo(d1);
        assertThat(b.driver.findElement(By.cssSelector("#history tr.entry td.notes")).getText())
                .contains("second build breaks sign-in");
        assertThat(pinDigest(s, "staging", t)).isEqualTo(d1);
        b.assertTokenNowhere(TestConfig.CI);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rolloutAndActivityShowTheirDataAndActivityShowsANewEventLive(StoreKind kind) throws Exception {
        TestServer s = server(kind);
        boolean a11y = kind == StoreKind.SQLITE;
        Browser b = browsers.main();
        signIn(b, s.url(), TestConfig.READER);
        if (a11y) {
            b.assertNoSeriousA11yViolations(); // the matrix of this configuration (prod's policies)
        }

        // a fleet reported now (the demo's was reported at seeding, and another test may have moved the clock on)
        String rolled = Unique.name("fleet");
        createTemplate(s, rolled, null);
        String pinned = Unique.digest();
        promotePinViaApi(s, rolled, pinned, "rolling out");
        List<Map<String, Object>> reports = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            reports.add(Map.of("instance_id", Unique.name("i"), "environment", "staging", "template", rolled,
                    "region", "global", "digest", i < 2 ? pinned : Unique.digest(), "observed_at", s.clock.instant().toString()));
        }
        Http.Response fleet = s.http.post("/api/v1/fleet/reports", TestConfig.REPORTER, Json.obj("reports", reports));
        assertThat(fleet.status()).as(fleet.body()).isEqualTo(200);

        b.open(s.url() + "/rollout");
        waitForH1(b, "Rollout");
        WebElement row = b.driver.findElement(By.cssSelector("#rollout-table tr.rollout[data-env='staging'][data-template='" + rolled + "']"));
        assertThat(row.getDomAttribute("data-total")).isEqualTo("3");
        assertThat(row.getDomAttribute("data-converged")).isEqualTo("2");
        assertThat(row.getText()).contains("2 / 3 instances");
        assertThat(b.driver.findElement(By.id("rollout-summary")).getText()).contains("instances run their pinned digest");
        b.assertTokenNowhere(TestConfig.READER);
        if (a11y) {
            b.assertNoSeriousA11yViolations();
            b.screenshot("rollout");
        }

        b.open(s.url() + "/activity");
        waitForH1(b, "Activity");
        assertThat(b.driver.findElements(By.cssSelector("#activity tr.event[data-type='pin.promoted']")))
                .as("the demo's promotes").isNotEmpty();
        b.assertTokenNowhere(TestConfig.READER);
        if (a11y) {
            b.assertNoSeriousA11yViolations();
            b.screenshot("activity");
        }
        waitForLive(b);
        b.js("window.__noReload = 1;");
        String t = Unique.name("act");
        createTemplate(s, t, null);
        promotePinViaApi(s, t, Unique.digest(), "seen live");
        new WebDriverWait(b.driver, WAIT).ignoring(StaleElementReferenceException.class).withMessage("the promote of " + t + " on the activity page")
                .until(d -> !d.findElements(By.cssSelector("#activity tr.event[data-type='pin.promoted'][data-template='" + t + "']")).isEmpty());
        assertThat(b.js("return window.__noReload;")).as("the page was not reloaded").isEqualTo(1L);

        b.open(s.url() + "/releases");
        waitForH1(b, "Releases");
        b.assertTokenNowhere(TestConfig.READER);
        if (a11y) {
            b.assertNoSeriousA11yViolations();
            b.screenshot("releases");
        }
    }

    /**
     * The live status of a page whose server goes away: "Reconnecting…", visibly, and "Live" again once a server is
     * back on the same address and store (the session is a row in the store, so it outlives the restart).
     */
    @Test
    void aLostConnectionShowsReconnectingAndRecovers() throws Exception {
        var db = StoreKind.SQLITE.create(tmp);
        TestServer first = new TestServer(db, TestConfig.config(db, null));
        String base = first.url();
        int port = URI.create(base).getPort();
        Browser b = browsers.main();
        TestServer again = null;
        try {
            signIn(b, base, TestConfig.READER);
            waitForLive(b);
            assertThat(b.driver.findElement(By.id("live-status")).getText()).isEqualTo("Live");
            first.close();
            new WebDriverWait(b.driver, WAIT).withMessage("#live-status to say reconnecting after the server stopped")
                    .until(d -> "reconnecting".equals(d.findElement(By.id("live-status")).getDomAttribute("data-state")));
            WebElement status = b.driver.findElement(By.id("live-status"));
            assertThat(status.isDisplayed()).isTrue();
            assertThat(status.getText()).isEqualTo("Reconnecting…");
            assertThat(status.getDomAttribute("role")).isEqualTo("status");

            again = new TestServer(db, TestConfig.config(db, null, y -> y.replace("  port: 0\n", "  port: " + port + "\n")));
            assertThat(again.url()).isEqualTo(base);
            waitForLive(b);
            assertThat(b.driver.findElement(By.id("live-status")).getText()).isEqualTo("Live");
        } finally {
            first.close();
            if (again != null) {
                again.close();
            }
        }
    }

    // ---- helpers

    record Release(String group, String template, String digest, String id) {
    }

    record Forged(long status, String body) {
        String code() {
            var m = java.util.regex.Pattern.compile("id=\"error-message\"[^>]*data-code=\"([A-Z_]+)\"|data-code=\"([A-Z_]+)\"[^>]*id=\"error-message\"")
                    .matcher(body);
            return m.find() ? (m.group(1) != null ? m.group(1) : m.group(2)) : null;
        }
    }

    /** A POST the page's own script sends (same origin, the browser's cookie); the status (0 for a redirect) and body. */
    @SuppressWarnings("unchecked")
    static Forged postFromPage(Browser b, String path, String formBody) {
        Map<String, Object> r = (Map<String, Object>) ((JavascriptExecutor) b.driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {method: 'POST', credentials: 'same-origin', redirect: 'manual',
                      headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: arguments[1]})
                  .then(r => r.text().then(t => done({status: r.status, body: t})))
                  .catch(e => done({status: -1, body: String(e)}));
                """, path, formBody);
        return new Forged(((Number) r.get("status")).longValue(), (String) r.get("body"));
    }

    static WebElement releaseCell(Browser b, String release, String env) {
        return b.driver.findElement(By.cssSelector("#releases tr.release[data-release='" + release
                + "'] td.release-env[data-env='" + env + "']"));
    }

    static WebElement waitFor(Browser b, By by) {
        return new WebDriverWait(b.driver, WAIT).withMessage(() -> by + " on " + b.driver.getCurrentUrl() + "; the page says: "
                + b.driver.findElement(By.tagName("body")).getText()).until(d -> d.findElements(by).stream().findFirst().orElse(null));
    }

    static void waitForLive(Browser b) {
        new WebDriverWait(b.driver, Duration.ofSeconds(15)).withMessage("#live-status to be live")
                .until(d -> "live".equals(d.findElement(By.id("live-status")).getDomAttribute("data-state")));
    }

    static void createTemplate(TestServer s, String name, String group) {
        String body = group == null
                ? Json.obj("name", name, "repository", "registry.example.com/test/" + name, "kinds", List.of())
                : Json.obj("name", name, "repository", "registry.example.com/test/" + name, "kinds", List.of(), "group", group);
        Http.Response r = s.http.post("/api/v1/templates", TestConfig.ADMIN, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** A one-member release of a new group, registered by ci and promotable to staging. */
    static Release newRelease(TestServer s) {
        String group = Unique.name("grp");
        String t = Unique.name("tpl");
        createTemplate(s, t, group);
        String d = Unique.digest();
        return new Release(group, t, d, ReleasesPageTest.register(s, group, t, d, "1.0.0"));
    }

    static void promoteViaApi(TestServer s, String env, String release) {
        Http.Response r = s.http.post("/api/v1/environments/" + env + "/releases/" + release + "/promote", TestConfig.CI, "{}");
        assertThat(r.status()).as(r.body()).isBetween(200, 201);
    }

    static void promotePinViaApi(TestServer s, String template, String digest, String notes) {
        Http.Response r = s.http.post("/api/v1/environments/staging/pins/" + template + "/promote", TestConfig.CI,
                Json.obj("image_digest", digest, "git_sha", "19f3175", "notes", notes));
        assertThat(r.status()).as(r.body()).isBetween(200, 201);
    }

    static String pinDigest(TestServer s, String env, String template) {
        return ReleasesPageTest.pinDigest(s, env, template);
    }

    /** The API's first refusal sentence for promoting {@code release} to {@code env} as ci. */
    static String promotability(TestServer s, String env, String release) {
        return ReleasesPageTest.promotability(s, TestConfig.CI, env, release).path("refusals").get(0).path("message").asText();
    }
}
