package io.lockstep.http;

import io.lockstep.testing.CiTokenClaims;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StandInOidcIssuer;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live stream of {@code GET /api/v1/events} never outlives the credential that opened it: an OIDC ID token's
 * stream ends when the server's clock reaches the token's {@code exp} (an AdjustableClock here), by itself and
 * before sending an event written after that; a configured token's stream has no such end. Tokens are signed by a
 * stand-in issuer on loopback (a real JDK HTTP server serving discovery and JWKS); streams are read on a plain
 * socket ({@link SseConnection}).
 */
class StreamExpiryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    static final StandInOidcIssuer github = new StandInOidcIssuer();
    static final StandInOidcIssuer gitlab = new StandInOidcIssuer();

    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers(
            "events:\n  drift_interval: 0s\n  stream: {max_clients: 3, heartbeat: 300ms, poll: 1s}\n"
                    + CiTokenClaims.yaml(github.issuer(), gitlab.issuer(), null));

    @AfterAll
    static void stopIssuers() {
        github.close();
        gitlab.close();
    }

    /** A GitHub Actions ID token (scope promote, environment staging) valid for 10 minutes from the server's now. */
    private static Map<String, Object> claims(TestServer s) {
        return StandInOidcIssuer.fresh(CiTokenClaims.githubActions(github.issuer()), s.clock.instant());
    }

    private static void promote(TestServer s, String template) {
        Http.Response p = s.http.post("/api/v1/environments/staging/pins/" + template + "/promote", TestConfig.ADMIN,
                Json.obj("image_digest", Unique.digest()));
        assertThat(p.status()).as(p.body()).isIn(200, 201);
    }

    private static String template(TestServer s) {
        return Api.newTemplate(s, Unique.name("grp"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anIdTokensStreamEndsAtItsExpAndSendsNoEventWrittenAfter(StoreKind kind) throws Exception {
        TestServer s = servers.of(kind);
        String template = template(s);
        Map<String, Object> claims = claims(s);
        Instant exp = Instant.ofEpochSecond((Long) claims.get("exp"));
        try (SseConnection c = new SseConnection(s.url(), "/api/v1/events", github.sign(claims), null)) {
            assertThat(c.status).as(c.errorBody).isEqualTo(200);
            promote(s, template);
            assertThat(c.take(1, WAIT).get(0).data().path("template").asText()).isEqualTo(template);

            s.clock.advance(Duration.between(s.clock.instant(), exp));
            promote(s, template); // written once the token has expired: never sent

            assertThat(c.ended(WAIT)).as("the server ends the stream").isTrue();
            assertThat(c.poll(Duration.ofMillis(200))).as("no event after exp").isNull();
            assertThat(c.comments()).contains(": stream ended: token_expired");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anIdTokensIdleStreamEndsAtExpWithoutWaitingForAnEvent(StoreKind kind) throws Exception {
        TestServer s = servers.of(kind);
        Map<String, Object> claims = claims(s);
        Instant exp = Instant.ofEpochSecond((Long) claims.get("exp"));
        try (SseConnection c = new SseConnection(s.url(), "/api/v1/events", github.sign(claims), null)) {
            assertThat(c.status).as(c.errorBody).isEqualTo(200);
            s.clock.advance(Duration.between(s.clock.instant(), exp).minusSeconds(30));
            assertThat(c.ended(Duration.ofMillis(1500))).as("shortly before exp it is still open").isFalse();

            s.clock.advance(Duration.ofSeconds(30));
            assertThat(c.ended(WAIT)).as("at exp the stream ends on a tick, with no event").isTrue();
            assertThat(c.comments()).last().isEqualTo(": stream ended: token_expired");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aConfiguredTokensStreamHasNoEnd(StoreKind kind) throws Exception {
        TestServer s = servers.of(kind);
        String template = template(s);
        try (SseConnection c = new SseConnection(s.url(), "/api/v1/events", TestConfig.READER, null)) {
            assertThat(c.status).as(c.errorBody).isEqualTo(200);
            s.clock.advance(Duration.ofDays(365));
            promote(s, template);
            assertThat(c.take(1, WAIT).get(0).data().path("template").asText()).isEqualTo(template);
            assertThat(c.ended(Duration.ofMillis(1500))).as("still open a year later").isFalse();
            assertThat(c.comments()).noneMatch(l -> l.startsWith(": stream ended"));
        }
    }
}
