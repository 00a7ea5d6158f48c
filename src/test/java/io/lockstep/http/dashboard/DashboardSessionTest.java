package io.lockstep.http.dashboard;

import io.lockstep.testing.Http;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.store.DatabaseSettings;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in, the session cookie, sign-out, expiry and revocation (issue 14 item 2), on both stores. The token is
 * presented once; after that the browser holds only a random session id.
 */
class DashboardSessionTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void signingInSetsAnHttpOnlyStrictExpiringCookieThatIsNotTheToken(StoreKind kind) {
        TestServer s = servers.of(kind);
        DashboardClient browser = new DashboardClient(s);
        DashboardClient.Page p = browser.signIn(TestConfig.READER);
        assertThat(p.status()).as(p.body()).isEqualTo(303);
        assertThat(p.location()).isEqualTo("/");
        String cookie = p.setCookie().orElseThrow();
        assertThat(cookie).contains("; HttpOnly").contains("; SameSite=Strict").contains("; Path=/")
                .doesNotContain("Secure");
        long maxAge = Long.parseLong(cookie.replaceAll(".*Max-Age=(\\d+).*", "$1"));
        assertThat(maxAge).isBetween(Duration.ofHours(8).toSeconds() - 60, Duration.ofHours(8).toSeconds());
        assertThat(browser.cookie).hasSizeGreaterThanOrEqualTo(43).doesNotContain(TestConfig.READER);
        assertThat(cookie).doesNotContain(TestConfig.READER);

        DashboardClient.Page home = browser.get("/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains("id=\"identity-name\">reader<").doesNotContain(TestConfig.READER);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theCookieIsSecureWhenTheRequestCameOverHttps(StoreKind kind) {
        // the server itself speaks http here; a TLS-terminating proxy says https with X-Forwarded-Proto
        DashboardClient browser = new DashboardClient(servers.of(kind));
        DashboardClient.Page p = browser.signIn(TestConfig.READER, "X-Forwarded-Proto", "https",
                "Origin", "https://" + URI.create(servers.of(kind).url()).getAuthority());
        assertThat(p.status()).as(p.body()).isEqualTo(303);
        assertThat(p.setCookie().orElseThrow()).contains("; Secure");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aWrongTokenIs401WithoutACookieAndIsNotEchoed(StoreKind kind) {
        DashboardClient browser = new DashboardClient(servers.of(kind));
        String wrong = "not-a-token-<b>x</b>-5d1e";
        DashboardClient.Page p = browser.signIn(wrong);
        assertThat(p.status()).isEqualTo(401);
        assertThat(p.setCookie()).isEmpty();
        assertThat(p.body()).contains("id=\"sign-in-error\"").contains("id=\"token\"").doesNotContain(wrong)
                .doesNotContain("not-a-token");
        assertThat(browser.get("/").status()).isEqualTo(303);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTokenWithoutReadCannotSignIn(StoreKind kind) {
        DashboardClient browser = new DashboardClient(servers.of(kind));
        DashboardClient.Page p = browser.signIn(TestConfig.REPORTER);
        assertThat(p.status()).isEqualTo(403);
        assertThat(p.setCookie()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void signingOutDeletesTheSessionOnTheServer(StoreKind kind) {
        TestServer s = servers.of(kind);
        DashboardClient browser = new DashboardClient(s).signedIn(TestConfig.READER);
        String oldCookie = browser.cookie;
        DashboardClient.Page out = browser.postWithCsrf("/sign-out");
        assertThat(out.status()).as(out.body()).isEqualTo(303);
        assertThat(out.location()).isEqualTo("/sign-in");
        assertThat(out.setCookie().orElseThrow()).startsWith(DashboardAccess.COOKIE + "=;").contains("Max-Age=0");

        // a browser that kept the old cookie (or a thief who copied it) is signed out too
        DashboardClient copy = new DashboardClient(s);
        copy.cookie = oldCookie;
        DashboardClient.Page after = copy.get("/");
        assertThat(after.status()).isEqualTo(303);
        assertThat(after.location()).isEqualTo("/sign-in");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCookieOfAnotherLockstepOnTheSameHostIsNotClearedSoItsSessionLives(StoreKind kind) {
        TestServer here = servers.of(kind);
        // Browsers keep cookies per host, not per port: a second Lockstep on 127.0.0.1 gets this one's cookie too.
        try (TestServer other = new TestServer(kind.create(dir))) {
            DashboardClient browser = new DashboardClient(other).signedIn(TestConfig.READER);
            DashboardClient sameHost = new DashboardClient(here);
            sameHost.cookie = browser.cookie;
            DashboardClient.Page page = sameHost.get("/");
            assertThat(page.status()).isEqualTo(303);
            assertThat(page.location()).isEqualTo("/sign-in");
            assertThat(page.setCookie()).as("not this server's session: not its cookie to clear").isEmpty();
            assertThat(browser.get("/").status()).as("still signed in on the other").isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExpiredSessionRedirectsToSignIn(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir), "dashboard:\n  session_ttl: 2h\n")) {
            s.clock.freezeAt(java.time.Instant.parse("2026-11-30T09:00:00Z"));
            DashboardClient browser = new DashboardClient(s);
            DashboardClient.Page in = browser.signIn(TestConfig.READER);
            assertThat(in.setCookie().orElseThrow()).contains("Max-Age=7200");
            s.clock.advance(Duration.ofHours(2).minusSeconds(1));
            assertThat(browser.get("/").status()).isEqualTo(200);
            s.clock.advance(Duration.ofSeconds(1));
            DashboardClient.Page expired = browser.get("/");
            assertThat(expired.status()).isEqualTo(303);
            assertThat(expired.location()).isEqualTo("/sign-in");
            assertThat(expired.setCookie().orElseThrow()).contains("Max-Age=0");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void removingTheTokenFromTheConfigurationEndsItsSessions(StoreKind kind) {
        DatabaseSettings db = kind.create(dir);
        DashboardClient reader;
        DashboardClient admin;
        try (TestServer s = new TestServer(db)) {
            reader = new DashboardClient(s).signedIn(TestConfig.READER);
            admin = new DashboardClient(s).signedIn(TestConfig.ADMIN);
        }
        // the same database, a configuration without the reader token: a restart after revoking it
        try (TestServer s = new TestServer(db, TestConfig.config(db, null,
                y -> y.replace("  - {name: reader, scopes: [read], secret_env: T_READER}\n", "")))) {
            DashboardClient readerAgain = new DashboardClient(s);
            readerAgain.cookie = reader.cookie;
            DashboardClient adminAgain = new DashboardClient(s);
            adminAgain.cookie = admin.cookie;
            assertThat(readerAgain.get("/").status()).isEqualTo(303);
            assertThat(adminAgain.get("/").status()).as("sessions are in the store: they survive a restart")
                    .isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theJsonApiDoesNotAcceptTheSessionCookie(StoreKind kind) {
        TestServer s = servers.of(kind);
        DashboardClient browser = new DashboardClient(s).signedIn(TestConfig.ADMIN);
        for (String path : new String[]{"/api/v1/drift", "/api/v1/environments/prod/pins", "/api/v1/events"}) {
            Http.Response r = s.http.send(HttpRequest.newBuilder(URI.create(s.url() + path))
                    .header("Cookie", DashboardAccess.COOKIE + "=" + browser.cookie).GET(), null);
            assertThat(r.status()).as(path).isEqualTo(401);
        }
        Http.Response promote = s.http.send(HttpRequest.newBuilder(URI.create(s.url()
                        + "/api/v1/environments/staging/pins/solo/promote"))
                .header("Cookie", DashboardAccess.COOKIE + "=" + browser.cookie)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.promoteBody("solo", TestConfig.digest("cookie")))), null);
        assertThat(promote.status()).isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void signInFromAnotherSiteIsRefused(StoreKind kind) {
        DashboardClient browser = new DashboardClient(servers.of(kind));
        DashboardClient.Page p = browser.signIn(TestConfig.READER, "Origin", "https://evil.example");
        assertThat(p.status()).isEqualTo(403);
        assertThat(p.setCookie()).isEmpty();
        assertThat(p.body()).contains("CSRF_REJECTED");
        assertThat(browser.signIn(TestConfig.READER, "Sec-Fetch-Site", "cross-site").status()).isEqualTo(403);
        assertThat(browser.cookie).isNull();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFormPostNeedsTheSessionsCsrfValueAndTheSameSite(StoreKind kind) {
        TestServer s = servers.of(kind);
        DashboardClient browser = new DashboardClient(s).signedIn(TestConfig.READER);
        String own = "http://" + URI.create(s.url()).getAuthority();

        DashboardClient.Page none = browser.postForm("/sign-out", Map.of());
        DashboardClient.Page wrong = browser.postForm("/sign-out", Map.of("csrf", browser.csrf + "x"));
        DashboardClient.Page otherSession = browser.postForm("/sign-out",
                Map.of("csrf", new DashboardClient(s).signedIn(TestConfig.READER).csrf));
        DashboardClient.Page crossOrigin = browser.postWithCsrf("/sign-out", "Origin", "https://evil.example");
        DashboardClient.Page crossSite = browser.postWithCsrf("/sign-out", "Sec-Fetch-Site", "cross-site");
        for (DashboardClient.Page p : new DashboardClient.Page[]{none, wrong, otherSession, crossOrigin, crossSite}) {
            assertThat(p.status()).as(p.body()).isEqualTo(403);
            assertThat(p.body()).contains("data-code=\"CSRF_REJECTED\"");
            assertThat(p.setCookie()).isEmpty();
        }
        assertThat(browser.get("/").status()).as("no refused sign-out ended the session").isEqualTo(200);

        DashboardClient.Page ok = browser.postWithCsrf("/sign-out", "Origin", own, "Sec-Fetch-Site", "same-origin");
        assertThat(ok.status()).as(ok.body()).isEqualTo(303);

        DashboardClient anonymous = new DashboardClient(s);
        DashboardClient.Page noSession = anonymous.postForm("/sign-out", Map.of("csrf", "x"));
        assertThat(noSession.status()).isEqualTo(401);
        assertThat(noSession.body()).contains("data-code=\"UNAUTHENTICATED\"");
    }
}
