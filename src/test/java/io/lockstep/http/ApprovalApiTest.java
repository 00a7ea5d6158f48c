package io.lockstep.http;

import io.lockstep.auth.TokenRegistry;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 {@code approvals: {count: 1}} on prod, on both stores: a promote without approval is refused
 * 403 APPROVAL_REQUIRED saying what would satisfy it, writes nothing and files a pending request; an
 * approval by another token with scope approve lets the same promote through and is then used up;
 * read and promote tokens cannot approve; a revoked or expired approval no longer counts.
 */
class ApprovalApiTest {
    static final String ALICE = "test-alice-approver-secret-31c8";
    static final String BOB = "test-bob-approver-secret-9f02";
    @TempDir
    static Path dir;
    private static final Map<StoreKind, TestServer> SERVERS = new EnumMap<>(StoreKind.class);

    static String withApprovals(String yaml) {
        return yaml.replace("    upstream: staging\n", "    upstream: staging\n    approvals: {count: 1}\n")
                .replace("tokens:\n", "tokens:\n"
                        + "  - {name: alice, scopes: [approve], secret_sha256: " + sha(ALICE) + "}\n"
                        + "  - {name: bob, scopes: [approve], secret_sha256: " + sha(BOB) + "}\n");
    }

    private static String sha(String secret) {
        return HexFormat.of().formatHex(TokenRegistry.sha256(secret));
    }

    private static synchronized TestServer server(StoreKind kind) {
        return SERVERS.computeIfAbsent(kind, k -> {
            var db = k.create(dir.resolve(k.name().toLowerCase()));
            return new TestServer(db, TestConfig.config(db, null, ApprovalApiTest::withApprovals));
        });
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(TestServer::close);
        SERVERS.clear();
    }

    static Http.Response promote(TestServer s, String token, String template, String digest) {
        return s.http.post("/api/v1/environments/prod/pins/" + template + "/promote", token,
                Json.obj("image_digest", digest));
    }

    static Http.Response approve(TestServer s, String token, Object... body) {
        return s.http.post("/api/v1/environments/prod/approvals", token, Json.obj(body));
    }

    /** Registers release {@code group}@1.0.0 with one member and returns its id. */
    private static String register(TestServer s, String group, String member, String digest) {
        Http.Response reg = s.http.post("/api/v1/releases", TestConfig.CI, Json.obj("group", group,
                "runtime_version", "1.0.0", "git_sha", "19f3175", "images", Map.of(member, digest)));
        assertThat(reg.status()).as(reg.body()).isEqualTo(201);
        return reg.json().path("id").asText();
    }

    private static void ok(Http.Response r) {
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }

    static void assertApprovalRequired(Http.Response r, String promoter) {
        assertError(r, 403, "APPROVAL_REQUIRED");
        assertThat(r.json().path("error").asText())
                .contains("needs 1 more approval from a token with scope approve, not " + promoter);
        assertThat(r.json().path("needed").asInt()).isEqualTo(1);
        assertThat(r.json().path("have").asInt()).isZero();
        assertThat(r.json().path("from_scopes").toString()).isEqualTo("[\"approve\"]");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPromoteWaitsForAnApprovalFromAnotherTokenWhichItThenUsesUp(StoreKind kind) {
        TestServer s = server(kind);
        String t = Api.newTemplate(s);
        String d = Unique.digest();
        long rows = Api.historyRows(s);
        double pendingBefore = gauge(s, "lockstep_approvals_pending");

        assertApprovalRequired(promote(s, TestConfig.CI, t, d), "ci");
        assertThat(gauge(s, "lockstep_approvals_pending")).as("one more request waits").isEqualTo(pendingBefore + 1);
        assertThat(s.http.get("/api/v1/environments/prod/pins/" + t, TestConfig.READER).status()).as("no pin").isEqualTo(404);
        assertApprovalRequired(s.http.post("/cp/admin/runtime-image/promote", TestConfig.CI,
                Json.obj("template_name", t, "image_digest", d, "environment", "prod")), "ci");
        assertThat(Api.historyRows(s)).as("no history").isEqualTo(rows);
        Http.Response listed = s.http.get("/api/v1/environments/prod/approvals", TestConfig.READER);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.json().path("pending").findValuesAsText("template")).contains(t);
        assertThat(listed.body()).contains("\"requested_by\":\"ci\"").contains(d);

        assertError(approve(s, TestConfig.READER, "template", t, "digest", d), 403, "FORBIDDEN");
        assertError(approve(s, TestConfig.CI, "template", t, "digest", d), 403, "FORBIDDEN");
        assertApprovalRequired(promote(s, TestConfig.CI, t, d), "ci");

        Http.Response given = approve(s, ALICE, "template", t, "digest", d, "notes", "looked at the diff");
        assertThat(given.status()).as(given.body()).isEqualTo(201);
        assertThat(given.json().path("approver").asText()).isEqualTo("alice");
        assertThat(given.json().path("state").asText()).isEqualTo("live");
        assertThat(given.json().path("region").asText()).isEqualTo("global");
        assertThat(given.json().path("approver_scopes").toString()).contains("approve");

        double liveBefore = gauge(s, "lockstep_approvals_live");
        ok(promote(s, TestConfig.CI, t, d));
        assertThat(Api.pin(s, "prod", t, null).path("image_digest").asText()).isEqualTo(d);
        assertThat(gauge(s, "lockstep_approvals_live")).as("the approval was used").isEqualTo(liveBefore - 1);
        assertThat(gauge(s, "lockstep_approvals_pending")).as("the request was fulfilled").isEqualTo(pendingBefore);
        Http.Response after = s.http.get("/api/v1/environments/prod/approvals", TestConfig.READER);
        assertThat(after.body()).as("used and fulfilled: neither live nor pending").doesNotContain(given.json().path("id").asText())
                .doesNotContain(t);

        rows = Api.historyRows(s);
        double pendingAfter = gauge(s, "lockstep_approvals_pending");
        Http.Response repeat = promote(s, TestConfig.CI, t, d);
        assertThat(repeat.status()).as("a repeat of a promote that went through (a CI retry) is not a change: "
                + repeat.body()).isEqualTo(200);
        assertThat(repeat.json().path("result").asText()).isEqualTo("unchanged");
        assertThat(gauge(s, "lockstep_approvals_pending")).as("nor a request for approval").isEqualTo(pendingAfter);
        assertApprovalRequired(promote(s, TestConfig.CI, t, Unique.digest()), "ci");
        assertThat(Api.historyRows(s)).as("an approval allows one change").isEqualTo(rows);
        Http.Response revoke = s.http.delete("/api/v1/environments/prod/approvals/" + given.json().path("id").asText(), ALICE);
        assertError(revoke, 409, "APPROVAL_NOT_REVOCABLE");
        assertThat(revoke.json().path("error").asText()).contains("is used");
    }

    /** The value of {@code name{environment="prod"}} on /metrics. */
    static double gauge(TestServer s, String name) {
        String prefix = name + "{environment=\"prod\"} ";
        return s.http.get("/metrics", null).body().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + prefix));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void thePromoterCannotApproveItsOwnChangeEvenAsAdmin(StoreKind kind) {
        TestServer s = server(kind);
        String t = Api.newTemplate(s);
        String d = Unique.digest();
        ok(approve(s, TestConfig.ADMIN, "template", t, "digest", d));
        Http.Response own = promote(s, TestConfig.ADMIN, t, d);
        assertApprovalRequired(own, "admin");
        ok(promote(s, TestConfig.CI, t, d));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRevokedOrExpiredApprovalNoLongerCounts(StoreKind kind) {
        TestServer s = server(kind);
        String t = Api.newTemplate(s);
        String d = Unique.digest();
        String id = approve(s, ALICE, "template", t, "digest", d).json().path("id").asText();
        assertError(s.http.delete("/api/v1/environments/prod/approvals/" + id, BOB), 403, "FORBIDDEN");
        assertError(s.http.delete("/api/v1/environments/prod/approvals/" + id, TestConfig.READER), 403, "FORBIDDEN");
        Http.Response revoked = s.http.delete("/api/v1/environments/prod/approvals/" + id, ALICE);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().path("state").asText()).isEqualTo("revoked");
        assertThat(revoked.json().path("revoked_by").asText()).isEqualTo("alice");
        assertApprovalRequired(promote(s, TestConfig.CI, t, d), "ci");
        assertError(s.http.delete("/api/v1/environments/prod/approvals/" + id, ALICE), 409, "APPROVAL_NOT_REVOCABLE");
        assertError(s.http.delete("/api/v1/environments/prod/approvals/no-such-id", ALICE), 404, "UNKNOWN_APPROVAL");

        ok(approve(s, BOB, "template", t, "digest", d));
        s.clock.advance(Duration.ofHours(24));
        assertApprovalRequired(promote(s, TestConfig.CI, t, d), "ci");
        assertThat(s.http.get("/api/v1/environments/prod/pins/" + t, TestConfig.READER).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReleaseNeedsAnApprovalOfThatReleaseAndBadApprovalsAreClear4xx(StoreKind kind) {
        TestServer s = server(kind);
        String group = Unique.name("grp");
        String member = Api.newTemplate(s, group);
        String d = Unique.digest();
        String id = register(s, group, member, d);
        String path = "/api/v1/environments/prod/releases/" + id + "/promote";

        ok(approve(s, ALICE, "template", member, "digest", d));
        Http.Response refused = s.http.post(path, TestConfig.CI, "{}");
        assertError(refused, 403, "APPROVAL_REQUIRED");
        assertThat(refused.json().path("error").asText()).contains("release " + id);
        assertThat(s.http.get("/api/v1/environments/prod/approvals", TestConfig.READER).json().path("pending")
                .findValuesAsText("release")).contains(id);
        ok(approve(s, BOB, "release", id));
        ok(s.http.post(path, TestConfig.CI, "{}"));
        assertThat(Api.pin(s, "prod", member, null).path("image_digest").asText()).isEqualTo(d);

        assertError(approve(s, ALICE, "release", group + "@9.9.9"), 404, "UNKNOWN_RELEASE");
        assertError(approve(s, ALICE, "template", "no-such-template", "digest", d), 422, "UNKNOWN_TEMPLATE");
        assertError(approve(s, ALICE, "template", member, "digest", "sha256:nope"), 400, "INVALID_DIGEST");
        assertError(approve(s, ALICE, "template", member), 400, "MISSING_FIELD");
        assertError(approve(s, ALICE, "release", id, "approver", "mallory"), 400, "UNKNOWN_FIELD");
        assertError(approve(s, ALICE, "release", id, "notes", "x".repeat(5000)), 400, "NOTES_TOO_LONG");
        assertError(approve(s, ALICE, "release", id, "template", member, "digest", d), 400, "CONFLICTING_FIELDS");
        assertError(s.http.post("/api/v1/environments/staging/approvals", ALICE, Json.obj("release", id)), 409,
                "APPROVALS_NOT_CONFIGURED");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPromoteCountsOnlyApprovalsOfItsOwnChange(StoreKind kind) {
        TestServer s = server(kind);
        String group = Unique.name("grp");
        String member = Api.newTemplate(s, group);
        String d = Unique.digest();
        String id = register(s, group, member, d);
        // Approvals waiting for other changes: the release holding the same digest, other digests, another region.
        ok(approve(s, ALICE, "release", id));
        for (int i = 0; i < 3; i++) {
            ok(approve(s, ALICE, "template", member, "digest", Unique.digest()));
        }
        ok(approve(s, BOB, "template", member, "digest", d, "region", "eu-west"));
        assertApprovalRequired(promote(s, TestConfig.CI, member, d), "ci");

        ok(approve(s, BOB, "template", member, "digest", d));
        ok(promote(s, TestConfig.CI, member, d));
        assertThat(Api.pin(s, "prod", member, null).path("image_digest").asText()).isEqualTo(d);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRollbackDoesNotWaitForApproval(StoreKind kind) {
        TestServer s = server(kind);
        String t = Api.newTemplate(s);
        String d1 = Unique.digest();
        String d2 = Unique.digest();
        ok(approve(s, ALICE, "template", t, "digest", d1));
        ok(promote(s, TestConfig.CI, t, d1));
        ok(approve(s, ALICE, "template", t, "digest", d2));
        ok(promote(s, TestConfig.CI, t, d2));
        ok(s.http.post("/api/v1/environments/prod/pins/" + t + "/rollback", TestConfig.CI, "{}"));
        assertThat(Api.pin(s, "prod", t, null).path("image_digest").asText()).isEqualTo(d1);
    }
}
