package io.lockstep.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.auth.TokenRegistry;
import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12 acceptance "two replicas on PostgreSQL agree": replicas A and B in this JVM on one PostgreSQL
 * database, both clocks frozen at the same instant, prod with {@code requires: {upstream: staging, soak: 1h}},
 * {@code approvals: {count: 1}} and a dated freeze window. At every step the same release promote, asked
 * read-only (promotability) and for real, gets the same answer from both (status, code, retryable,
 * retry_after_seconds, sentence) and a refusal changes nothing: soaking, then awaiting an approval;
 * approved through A, stopped through B, so A refuses LINE_STOPPED; lifted through A; frozen inside the
 * window on both; after it B's promote goes through and uses A's approval, so the next release needs a new one.
 * Approvals and stops are set on one replica and decided on the other without any wait: the gate reads them
 * from the store inside the write transaction, not from a per-process copy.
 */
class ReplicasAgreeOnPolicyTest {
    private static final String ALICE = "test-alice-replica-approver-secret-47d0";
    private static final Instant T0 = Instant.parse("2027-03-03T10:00:00Z");
    private static final Instant WINDOW_START = Instant.parse("2027-03-03T13:00:00Z");
    private static final Instant WINDOW_END = Instant.parse("2027-03-03T15:00:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static String policy(String yaml) {
        return yaml.replace("    upstream: staging\n", "    upstream: staging\n"
                        + "    requires: {upstream: staging, soak: 1h}\n"
                        + "    approvals: {count: 1}\n"
                        + "    freeze_windows:\n"
                        + "      - {name: release-train, start: \"" + WINDOW_START + "\", end: \"" + WINDOW_END + "\"}\n")
                .replace("tokens:\n", "tokens:\n  - {name: alice, scopes: [approve], secret_sha256: "
                        + HexFormat.of().formatHex(TokenRegistry.sha256(ALICE)) + "}\n");
    }

    private static Http.Response promote(TestServer s, String release) {
        return s.http.post("/api/v1/environments/prod/releases/" + release + "/promote", TestConfig.CI, Json.obj());
    }

    private static JsonNode promotability(TestServer s, String release) {
        // asked by the promoter: the answer names who may not approve (the asker), so it is the promote's own sentence
        Http.Response r = s.http.get("/api/v1/environments/prod/promotability?release=" + release, TestConfig.CI);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static void at(Instant when, TestServer... servers) {
        for (TestServer s : servers) {
            s.clock.freezeAt(when);
        }
    }

    /** What the whole database holds: history rows and every prod pin of the template, as both replicas see them. */
    private static String state(TestServer s, String template) {
        Http.Response pin = s.http.get("/api/v1/environments/prod/pins/" + template, TestConfig.READER);
        return Api.historyRows(s) + "|" + pin.status() + "|" + (pin.status() == 200 ? pin.json().path("image_digest").asText() : "");
    }

    /**
     * Asks A and B, read-only and for real, whether {@code release} may enter prod: both refuse with
     * {@code status}/{@code code}, and agree field by field; nothing changes. Returns A's refusal.
     */
    private static JsonNode bothRefuse(TestServer a, TestServer b, String release, String template, int status, String code) {
        String before = state(a, template);
        JsonNode askA = promotability(a, release);
        JsonNode askB = promotability(b, release);
        Http.Response viaA = promote(a, release);
        Http.Response viaB = promote(b, release);
        assertError(viaA, status, code);
        assertError(viaB, status, code);
        for (Http.Response r : new Http.Response[] {viaA, viaB}) {
            assertThat(r.json().path("retryable")).isEqualTo(viaA.json().path("retryable"));
            assertThat(r.json().path("retry_after_seconds")).as(r.body()).isEqualTo(viaA.json().path("retry_after_seconds"));
            assertThat(r.json().path("error").asText()).isEqualTo(viaA.json().path("error").asText());
        }
        for (JsonNode ask : new JsonNode[] {askA, askB}) {
            assertThat(ask.path("promotable").asBoolean()).as(ask.toString()).isFalse();
            assertThat(ask.path("status").asInt()).as(ask.toString()).isEqualTo(status);
            assertThat(ask.path("code").asText()).isEqualTo(code);
            assertThat(ask.path("retryable").asBoolean()).isEqualTo(viaA.json().path("retryable").asBoolean());
            assertThat(ask.path("retry_after_seconds")).isEqualTo(viaA.json().path("retry_after_seconds"));
            assertThat(ask.path("refusals").get(0).path("message").asText()).isEqualTo(viaA.json().path("error").asText());
        }
        assertThat(state(a, template)).as("a refusal changes nothing (seen from A)").isEqualTo(before);
        assertThat(state(b, template)).as("a refusal changes nothing (seen from B)").isEqualTo(before);
        return viaA.json();
    }

    private static String register(TestServer s, String group, String version, String template, String digest) {
        Http.Response r = s.http.post("/api/v1/releases", TestConfig.CI, Json.obj("group", group,
                "runtime_version", version, "git_sha", "19f3175", "images", Map.of(template, digest)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asText();
    }

    /** Promotes {@code release} to staging through A and waits until B sees it pinned there (and so knows the release). */
    private static void toStaging(TestServer a, TestServer b, String release, String template, String digest) {
        Http.Response r = a.http.post("/api/v1/environments/staging/releases/" + release + "/promote", TestConfig.CI, Json.obj());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        await().atMost(PATIENCE).untilAsserted(() -> {
            Http.Response pin = b.http.get("/api/v1/environments/staging/pins/" + template, TestConfig.READER);
            assertThat(pin.status()).isEqualTo(200);
            assertThat(pin.json().path("image_digest").asText()).isEqualTo(digest);
        });
    }

    private static JsonNode liveApprovals(TestServer s) {
        Http.Response r = s.http.get("/api/v1/environments/prod/approvals", TestConfig.READER);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("approvals");
    }

    @Test
    void bothReplicasMakeTheSameDecisionAtEveryStep() {
        DatabaseSettings db = TestDatabases.freshPostgres();
        try (TestServer a = new TestServer(db, TestConfig.config(db, null, ReplicasAgreeOnPolicyTest::policy));
             TestServer b = new TestServer(db, TestConfig.config(db, null, ReplicasAgreeOnPolicyTest::policy))) {
            at(T0, a, b);
            String group = Unique.name("grp");
            String t = Api.newTemplate(a, group);
            String d1 = Unique.digest();
            String r1 = register(a, group, "1.0.0", t, d1);
            toStaging(a, b, r1, t, d1);

            // soaking: both say so, with the same wait
            JsonNode soaking = bothRefuse(a, b, r1, t, 409, "SOAKING");
            assertThat(soaking.path("retry_after_seconds").asLong()).isEqualTo(3600);
            assertThat(soaking.path("error").asText()).contains("soaking in staging until 2027-03-03T11:00:00Z");

            // soaked: both now wait for an approval
            at(T0.plus(Duration.ofHours(1)), a, b);
            JsonNode approval = bothRefuse(a, b, r1, t, 403, "APPROVAL_REQUIRED");
            assertThat(approval.path("retryable").asBoolean()).isFalse();
            assertThat(approval.path("error").asText()).contains("needs 1 more approval from a token with scope approve, not ci");

            // approved through A, line stopped through B: A refuses LINE_STOPPED at once, and so does B
            Http.Response approved = a.http.post("/api/v1/environments/prod/approvals", ALICE, Json.obj("release", r1));
            assertThat(approved.status()).as(approved.body()).isEqualTo(201);
            String approvalId = approved.json().path("id").asText();
            Http.Response stop = b.http.post("/api/v1/environments/prod/freezes", TestConfig.ADMIN,
                    Json.obj("reason", "incident 5120"));
            assertThat(stop.status()).as(stop.body()).isEqualTo(201);
            JsonNode stopped = bothRefuse(a, b, r1, t, 409, "LINE_STOPPED");
            assertThat(stopped.path("error").asText()).contains("incident 5120");
            assertThat(liveApprovals(b).findValuesAsText("id")).as("a refused promote does not use the approval")
                    .contains(approvalId);

            // lifted through A; inside the freeze window both refuse FROZEN with the same wait
            assertThat(a.http.delete("/api/v1/environments/prod/freezes/" + stop.json().path("id").asText(),
                    TestConfig.ADMIN).status()).isEqualTo(200);
            at(WINDOW_START.plusSeconds(60), a, b);
            JsonNode frozen = bothRefuse(a, b, r1, t, 409, "FROZEN");
            assertThat(frozen.path("retry_after_seconds").asLong()).as("until the window's end, and a second")
                    .isEqualTo(Duration.ofHours(2).minusMinutes(1).toSeconds() + 1);

            // after the window B's promote goes through, using the approval A recorded
            at(WINDOW_END, a, b);
            Http.Response done = promote(b, r1);
            assertThat(done.status()).as(done.body()).isEqualTo(200);
            assertThat(Api.pin(b, "prod", t, null).path("image_digest").asText()).isEqualTo(d1);
            await().atMost(PATIENCE).untilAsserted(() ->
                    assertThat(Api.pin(a, "prod", t, null).path("image_digest").asText()).isEqualTo(d1));
            assertThat(liveApprovals(a).findValuesAsText("id")).as("used: no longer live, seen from A").doesNotContain(approvalId);
            assertThat(liveApprovals(b).findValuesAsText("id")).as("used: no longer live, seen from B").doesNotContain(approvalId);

            // the next release, soaked, needs an approval of its own on both
            String d2 = Unique.digest();
            String r2 = register(a, group, "1.1.0", t, d2);
            toStaging(a, b, r2, t, d2);
            at(WINDOW_END.plus(Duration.ofHours(1)), a, b);
            JsonNode again = bothRefuse(a, b, r2, t, 403, "APPROVAL_REQUIRED");
            assertThat(again.path("have").asInt()).isZero();
            assertThat(Api.pin(a, "prod", t, null).path("image_digest").asText()).isEqualTo(d1);
        }
    }
}
