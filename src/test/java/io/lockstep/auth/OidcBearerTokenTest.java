package io.lockstep.auth;

import com.nimbusds.jose.jwk.RSAKey;
import io.lockstep.testing.CiTokenClaims;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.StandInOidcIssuer;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.lockstep.testing.CiTokenClaims.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * OIDC ID tokens of CI systems as bearer tokens, black-box against a real server: GitHub's and
 * GitLab's documented token shapes, signed by stand-in issuers on loopback that serve discovery
 * and JWKS over HTTP. Each way a token can be wrong is refused with its own status and code, an
 * issuer whose keys cannot be fetched fails closed (503, retryable), and a valid token goes
 * through exactly the same scope and environment checks as a configured token.
 */
class OidcBearerTokenTest {
    @TempDir
    static Path dir;
    static StandInOidcIssuer github;
    static StandInOidcIssuer gitlab;
    /** A custom issuer ("any issuer is configurable") with a configured jwks_uri; down until a test brings it up. */
    static StandInOidcIssuer jenkins;
    static TestServer s;
    static int closedPort;

    @BeforeAll
    static void start() throws Exception {
        github = new StandInOidcIssuer();
        gitlab = new StandInOidcIssuer();
        jenkins = new StandInOidcIssuer();
        jenkins.down(true);
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        s = new TestServer(TestDatabases.sqlite(dir), CiTokenClaims.yaml(github.issuer(), gitlab.issuer(), """
                    - name: jenkins
                      issuer: %s
                      jwks_uri: %s/.well-known/jwks
                      audience: lockstep
                      algorithms: [RS256]
                      jwks_refetch_interval: 1s
                      claims: [build_url]
                      rules:
                        - {name: deploy-job, match: {sub: "job:deploy"}, scopes: [read]}
                    - name: offline
                      issuer: http://127.0.0.1:%d
                      audience: lockstep
                      rules:
                        - {name: any, match: {sub: "x"}, scopes: [read]}
                """.formatted(jenkins.issuer(), jenkins.issuer(), closedPort)));
    }

    @AfterAll
    static void stop() {
        s.close();
        github.close();
        gitlab.close();
        jenkins.close();
    }

    private static Instant now() {
        return s.clock.instant();
    }

    private static String githubToken() {
        return github.sign(StandInOidcIssuer.fresh(CiTokenClaims.githubActions(github.issuer()), now()));
    }

    private static Http.Response promote(String env, String token) {
        return s.http.post("/api/v1/environments/" + env + "/pins/solo/promote", token,
                Json.obj("image_digest", Unique.digest(), "git_sha", "19f3175", "notes", "oidc"));
    }

    private static void assertRefused(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.code()).as(r.body()).isEqualTo(code);
    }

    @Test
    void aGithubActionsTokenPromotesWithinItsMappedEnvironmentAndIsRefusedOutsideIt() {
        String token = githubToken();
        Http.Response ok = promote("staging", token);
        assertThat(ok.status()).as(ok.body()).isIn(200, 201);
        Http.Response pin = s.http.get("/api/v1/environments/staging/pins/solo", TestConfig.ADMIN);
        assertThat(pin.json().path("promoted_by").asText()).isEqualTo("github:octo-repo-main");

        Http.Response prod = promote("prod", token);
        assertRefused(prod, 403, "FORBIDDEN");
        assertThat(prod.json().path("error").asText()).contains("github:octo-repo-main").contains("prod");
        // promote grants read, within the same environment limit; resolve goes through the fast path's hand-off
        assertThat(s.http.get("/api/v1/resolve?environment=staging&template=solo", token).status()).isEqualTo(200);
        assertRefused(s.http.get("/api/v1/resolve?environment=prod&template=solo", token), 403, "FORBIDDEN");
        assertRefused(s.http.post("/api/v1/environments/staging/fences", token, Json.obj("reason", "x", "ttl_seconds", 60)),
                403, "FORBIDDEN");
    }

    @Test
    void aGitlabCiTokenIsMappedByItsOwnClaimShape() {
        String token = gitlab.sign(StandInOidcIssuer.fresh(CiTokenClaims.gitlabCi(gitlab.issuer()), now()));
        Http.Response ok = promote("prod", token);
        assertThat(ok.status()).as(ok.body()).isIn(200, 201);
        assertRefused(promote("staging", token), 403, "FORBIDDEN");

        // GitLab's ref is the bare branch name: a tag of the same project matches no rule
        String tag = gitlab.sign(StandInOidcIssuer.fresh(with(with(CiTokenClaims.gitlabCi(gitlab.issuer()),
                "ref_type", "tag"), "ref", "v1.0.0"), now()));
        assertRefused(promote("prod", tag), 403, "OIDC_NO_GRANT");
    }

    @Test
    void aValidTokenMatchingNoRuleIsAuthenticatedButGrantedNothing() {
        String other = github.sign(StandInOidcIssuer.fresh(with(CiTokenClaims.githubActions(github.issuer()),
                "repository", "mallory/octo-repo"), now()));
        Http.Response r = promote("staging", other);
        assertRefused(r, 403, "OIDC_NO_GRANT");
        assertThat(r.body()).doesNotContain("mallory");
        String branch = github.sign(StandInOidcIssuer.fresh(with(CiTokenClaims.githubActions(github.issuer()),
                "ref", "refs/heads/feature"), now()));
        assertRefused(promote("staging", branch), 403, "OIDC_NO_GRANT");
    }

    @Test
    void wrongAudienceIsRefused() {
        String token = github.sign(StandInOidcIssuer.fresh(with(CiTokenClaims.githubActions(github.issuer()),
                "aud", "https://github.com/other-org"), now()));
        Http.Response r = promote("staging", token);
        assertRefused(r, 401, "OIDC_AUDIENCE_MISMATCH");
        assertThat(r.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(r.json().path("retryable").asBoolean(true)).isFalse();
    }

    @Test
    void anIssuerThisServerDoesNotTrustIsRefused() {
        try (StandInOidcIssuer stranger = new StandInOidcIssuer()) {
            assertRefused(promote("staging", stranger.sign(StandInOidcIssuer.fresh(
                    CiTokenClaims.githubActions(stranger.issuer()), now()))), 401, "OIDC_ISSUER_UNKNOWN");
            // claiming the trusted issuer does not help: its key (same kid name) is not the issuer's key
            Http.Response forged = promote("staging", StandInOidcIssuer.sign(StandInOidcIssuer.fresh(
                    CiTokenClaims.githubActions(github.issuer()), now()), stranger.signingKey(),
                    github.signingKey().getKeyID()));
            assertRefused(forged, 401, "OIDC_TOKEN_INVALID");
            assertThat(forged.json().path("reason").asText()).isEqualTo("signature");
        }
    }

    @Test
    void expiredAndNotYetValidTokensAreRefusedWithinTheConfiguredClockSkew() {
        Map<String, Object> claims = CiTokenClaims.githubActions(github.issuer());
        long t = now().getEpochSecond();
        Map<String, Object> expired = with(with(with(claims, "iat", t - 700), "nbf", t - 700), "exp", t - 90);
        assertRefused(promote("staging", github.sign(expired)), 401, "OIDC_TOKEN_EXPIRED");
        Map<String, Object> justExpired = with(expired, "exp", t - 30); // within the default 60 s skew
        assertThat(promote("staging", github.sign(justExpired)).status()).isIn(200, 201);

        Map<String, Object> future = with(with(with(claims, "iat", t + 300), "nbf", t + 300), "exp", t + 900);
        assertRefused(promote("staging", github.sign(future)), 401, "OIDC_TOKEN_NOT_YET_VALID");
        Map<String, Object> issuedAhead = with(with(future, "nbf", t - 5), "iat", t + 300);
        assertRefused(promote("staging", github.sign(issuedAhead)), 401, "OIDC_TOKEN_NOT_YET_VALID");
        Map<String, Object> slightlyAhead = with(with(future, "iat", t + 20), "nbf", t + 20);
        assertThat(promote("staging", github.sign(slightlyAhead)).status()).isIn(200, 201);
        assertRefused(promote("staging", github.sign(with(StandInOidcIssuer.fresh(claims, now()), "exp", null))),
                401, "OIDC_TOKEN_INVALID");
    }

    @Test
    void algNoneAndHs256SignedWithThePublicKeyAreRefused() {
        Map<String, Object> claims = StandInOidcIssuer.fresh(CiTokenClaims.githubActions(github.issuer()), now());
        Http.Response none = promote("staging", StandInOidcIssuer.unsigned(claims));
        assertRefused(none, 401, "OIDC_TOKEN_INVALID");
        assertThat(none.json().path("reason").asText()).isEqualTo("algorithm");

        Http.Response confused = promote("staging", github.hs256WithPublicKey(claims));
        assertRefused(confused, 401, "OIDC_TOKEN_INVALID");
        assertThat(confused.json().path("reason").asText()).isEqualTo("algorithm");
    }

    @Test
    void anUnknownKidIsRefusedAndItsRefetchesAreRateLimited() throws Exception {
        githubToken(); // keys cached by an earlier request or the next one
        promote("staging", githubToken());
        int before = github.jwksFetches();
        long started = System.nanoTime();
        RSAKey stranger = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("made-up").generate();
        for (int i = 0; i < 10; i++) {
            String token = StandInOidcIssuer.sign(StandInOidcIssuer.fresh(CiTokenClaims.githubActions(github.issuer()),
                    now()), stranger, "made-up-" + i);
            Http.Response r = promote("staging", token);
            assertRefused(r, 401, "OIDC_TOKEN_INVALID");
            assertThat(r.json().path("reason").asText()).isEqualTo("unknown_key");
        }
        // nimbus's rate limiter allows two fetches per jwks_refetch_interval (1 s): one for a rotation
        // and one a background refresh may use. The loop spans at most seconds+1 such windows, plus the
        // window opened by the promote before it; a slow machine stretches the loop, not the limit.
        // Without the limit every kid would fetch (10), above the cap of 9.
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertThat(github.jwksFetches() - before).as("JWKS fetches for 10 unknown kids in %d s", seconds)
                .isLessThanOrEqualTo((int) Math.min(9, 2 * (seconds + 2)));
    }

    @Test
    void afterTheIssuerRotatesItsKeyANewTokenVerifiesOnceTheKeysAreRefetched() {
        String old = githubToken();
        assertThat(promote("staging", old).status()).isIn(200, 201);
        github.rotate();
        String rotated = githubToken();
        // the unknown kid makes the server refetch the JWKS (at most once per jwks_refetch_interval: 1 s)
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                .until(() -> promote("staging", rotated).status() / 100 == 2);
        Http.Response retired = promote("staging", old);
        assertRefused(retired, 401, "OIDC_TOKEN_INVALID");
        assertThat(retired.json().path("reason").asText()).isEqualTo("unknown_key");
    }

    @Test
    void anIssuerWhoseKeysCannotBeFetchedFailsClosedWith503AndRecovers() {
        Map<String, Object> claims = Map.of("iss", jenkins.issuer(), "sub", "job:deploy", "aud", "lockstep",
                "build_url", "https://jenkins.example.com/job/deploy/42/");
        String token = jenkins.sign(StandInOidcIssuer.fresh(claims, now()));
        Http.Response down = s.http.get("/api/v1/environments", token);
        assertRefused(down, 503, "ISSUER_UNAVAILABLE");
        assertThat(down.json().path("retryable").asBoolean()).isTrue();
        assertThat(down.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(down.json().path("error").asText()).contains("jenkins").doesNotContain(token.substring(0, 20));
        // the resolve fast path hands the token to the Javalin route, which gives the same answer
        assertRefused(s.http.get("/api/v1/resolve?environment=staging&template=solo", token), 503, "ISSUER_UNAVAILABLE");

        Map<String, Object> offline = Map.of("iss", "http://127.0.0.1:" + closedPort, "sub", "x", "aud", "lockstep");
        assertRefused(s.http.get("/api/v1/environments", jenkins.sign(StandInOidcIssuer.fresh(offline, now()))),
                503, "ISSUER_UNAVAILABLE");

        jenkins.down(false);
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> s.http.get("/api/v1/environments", token).status() == 200);
        assertRefused(s.http.post("/api/v1/environments/staging/pins/solo/promote", token,
                Json.obj("image_digest", Unique.digest())), 403, "FORBIDDEN");
    }

    @Test
    void staticTokensAndOtherBearerValuesAreUnaffected() {
        assertThat(promote("staging", TestConfig.CI).status()).isIn(200, 201);
        assertRefused(promote("staging", "not-a-configured-token"), 401, "UNAUTHENTICATED");
        Http.Response garbage = promote("staging", "eyJhbGciOiJSUzI1NiJ9.eyJub3QiOiJqc29uIn0.c2ln");
        assertRefused(garbage, 401, "OIDC_ISSUER_UNKNOWN");
        Http.Response broken = promote("staging", "eyJ.eyJ.x");
        assertRefused(broken, 401, "OIDC_TOKEN_INVALID");
        assertThat(broken.json().path("reason").asText()).isEqualTo("malformed");
    }
}
