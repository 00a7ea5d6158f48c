package io.lockstep.http.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.auth.TokenRegistry;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Releases page (issue 14 item 3) over real HTTP on both stores, under prod's policies (1 h soak in staging,
 * one approval, a holiday freeze window) on the adjustable clock: each state as the gate answers it, the promote
 * and approve buttons only where the token may, refusals with the API's every reason, four-eyes approval.
 */
class ReleasesPageTest {
    static final String ALICE = "test-alice-approver-secret-0d5e";
    private static final Instant WEDNESDAY = Instant.parse("2026-12-02T12:00:00Z");
    private static final Instant CHRISTMAS = Instant.parse("2026-12-25T12:00:00Z");

    @TempDir
    Path dir;

    static String policies(String yaml) {
        return yaml.replace("    upstream: staging\n", """
                    upstream: staging
                    requires: {upstream: staging, soak: 1h}
                    approvals: {count: 1}
                    freeze_windows:
                      - {name: holidays, start: "2026-12-24T00:00:00+01:00", end: "2027-01-02T00:00:00+01:00"}
                """).replace("tokens:\n", "tokens:\n  - {name: alice, scopes: [approve], secret_sha256: "
                + HexFormat.of().formatHex(TokenRegistry.sha256(ALICE)) + "}\n");
    }

    /** The opening tag of release {@code id}'s cell for {@code env}; its {@code data-state}. */
    static String state(String page, String id, String env) {
        Matcher m = Pattern.compile("<td class=\"release-env state-([a-z_]+)\" data-env=\"" + env
                + "\" data-state=\"([a-z_]+)\">").matcher(row(page, id));
        assertThat(m.find()).as("cell %s/%s", id, env).isTrue();
        assertThat(m.group(1)).isEqualTo(m.group(2));
        return m.group(2);
    }

    static String row(String page, String id) {
        int start = page.indexOf("data-release=\"" + id + "\" data-group");
        assertThat(start).as("row of %s", id).isPositive();
        return page.substring(start, page.indexOf("</tr>", start));
    }

    static String cell(String page, String id, String env) {
        String row = row(page, id);
        int start = row.indexOf("data-env=\"" + env + "\" data-state");
        return row.substring(start, row.indexOf("</td>", start));
    }

    static String register(TestServer s, String group, String template, String digest, String version) {
        Http.Response r = s.http.post("/api/v1/releases", TestConfig.CI, Json.obj("group", group,
                "runtime_version", version, "git_sha", "19f3175", "images", Map.of(template, digest)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asText();
    }

    static String pinDigest(TestServer s, String env, String template) {
        Http.Response r = s.http.get("/api/v1/environments/" + env + "/pins/" + template, TestConfig.READER);
        return r.status() == 404 ? null : r.json().path("image_digest").asText();
    }

    static DashboardClient.Page promote(DashboardClient c, String id, String env) {
        return c.postForm("/ui/releases/" + id + "/promote", Map.of("csrf", c.csrf, "environment", env));
    }

    static DashboardClient.Page approve(DashboardClient c, String id, String env) {
        return c.postForm("/ui/approvals/" + env, Map.of("csrf", c.csrf, "release", id));
    }

    /** The API's own answer for the same question, as the promote's caller. */
    static JsonNode promotability(TestServer s, String token, String env, String id) {
        Http.Response r = s.http.get("/api/v1/environments/" + env + "/promotability?release=" + id, token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReleaseMovesThroughEveryStateWithTheButtonsAndRefusalsTheApiWouldGive(StoreKind kind) {
        var db = kind.create(dir);
        try (TestServer s = new TestServer(db, TestConfig.config(db, "events:\n  drift_interval: 0s\n",
                ReleasesPageTest::policies))) {
            s.clock.freezeAt(WEDNESDAY);
            String group = Unique.name("grp");
            String t = Unique.name("tpl");
            Http.Response tr = s.http.post("/api/v1/templates", TestConfig.ADMIN, Json.obj("name", t,
                    "repository", "registry.example.com/test/" + t, "kinds", List.of(), "group", group));
            assertThat(tr.status()).as(tr.body()).isEqualTo(201);
            String d1 = Unique.digest();
            String r1 = register(s, group, t, d1, "1.0.0");

            DashboardClient ci = new DashboardClient(s).signedIn(TestConfig.CI);
            String page = ci.get("/releases?group=" + group).body();
            assertThat(row(page, r1)).contains("<code class=\"digest\" title=\"" + d1 + "\">" + d1.substring(7, 19)
                    + "</code>").contains("data-complete=\"true\">COMPLETE");
            assertThat(state(page, r1, "staging")).isEqualTo("promotable");
            assertThat(state(page, r1, "prod")).isEqualTo("not_yet");
            assertThat(cell(page, r1, "prod")).contains("data-code=\"NOT_IN_UPSTREAM\"")
                    .contains("<button type=\"submit\" class=\"promote\" data-env=\"prod\" data-release=\"" + r1
                            + "\">Promote " + r1 + " to prod</button>")
                    .doesNotContain("class=\"approve\""); // ci lacks the approve scope

            // a read token sees where the release is, but no button, and its forged POST is refused
            DashboardClient reader = new DashboardClient(s).signedIn(TestConfig.READER);
            String read = reader.get("/releases").body();
            assertThat(state(read, r1, "staging")).isEqualTo("promotable");
            assertThat(read).doesNotContain("class=\"promote\"").doesNotContain("class=\"approve\"");
            DashboardClient.Page forged = promote(reader, r1, "staging");
            assertThat(forged.status()).isEqualTo(403);
            assertThat(forged.body()).contains("data-code=\"FORBIDDEN\"");
            assertThat(approve(reader, r1, "prod").status()).isEqualTo(403);
            // an environment-limited token: no other environment's column, and no acting there
            DashboardClient stagingCi = new DashboardClient(s).signedIn(TestConfig.STAGING_CI);
            String limited = stagingCi.get("/releases").body();
            assertThat(limited).contains("data-env=\"staging\"").doesNotContain("data-env=\"prod\"");
            assertThat(promote(stagingCi, r1, "prod").status()).isEqualTo(403);
            // without the session's CSRF value nothing happens either
            assertThat(ci.postForm("/ui/releases/" + r1 + "/promote", Map.of("environment", "staging")).status())
                    .isEqualTo(403);
            assertThat(pinDigest(s, "staging", t)).isNull();

            DashboardClient.Page promoted = promote(ci, r1, "staging");
            assertThat(promoted.status()).as(promoted.body()).isEqualTo(303);
            assertThat(promoted.location()).isEqualTo("/releases?promoted=" + r1.replace("@", "%40") + "&to=staging");
            page = ci.get(promoted.location()).body();
            assertThat(page).contains("id=\"done\"").contains("Release " + r1 + " is now current in staging.");
            assertThat(pinDigest(s, "staging", t)).isEqualTo(d1);
            assertThat(state(page, r1, "staging")).isEqualTo("current");
            assertThat(state(page, r1, "prod")).isEqualTo("soaking");
            assertThat(cell(page, r1, "prod")).contains("Soaking in staging until 2026-12-02T13:00:00Z.");

            s.clock.advance(Duration.ofHours(2));
            page = ci.get("/releases").body();
            assertThat(state(page, r1, "prod")).isEqualTo("awaiting_approval");
            assertThat(cell(page, r1, "prod")).contains("Awaiting 1 approval (0 of 1).");
            String sentence = promotability(s, TestConfig.CI, "prod", r1).path("refusals").get(0).path("message").asText();
            DashboardClient.Page refused = promote(ci, r1, "prod");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body()).contains("id=\"refusal\" class=\"refusal\" role=\"alert\" data-code=\"APPROVAL_REQUIRED\"")
                    .contains(sentence).contains("not ci");
            assertThat(pinDigest(s, "prod", t)).isNull();

            // the approver sees Approve (and no Promote); its approval lets ci's promote through
            DashboardClient alice = new DashboardClient(s).signedIn(ALICE);
            String alicePage = alice.get("/releases").body();
            assertThat(cell(alicePage, r1, "prod")).contains("<button type=\"submit\" class=\"approve\" data-env=\"prod\""
                    + " data-release=\"" + r1 + "\">Approve " + r1 + " for prod</button>").doesNotContain("class=\"promote\"");
            DashboardClient.Page approved = approve(alice, r1, "prod");
            assertThat(approved.status()).as(approved.body()).isEqualTo(303);
            assertThat(state(ci.get("/releases").body(), r1, "prod")).isEqualTo("promotable");
            DashboardClient.Page inProd = promote(ci, r1, "prod");
            assertThat(inProd.status()).as(inProd.body()).isEqualTo(303);
            assertThat(pinDigest(s, "prod", t)).isEqualTo(d1);
            assertThat(state(ci.get("/releases").body(), r1, "prod")).isEqualTo("current");

            // four-eyes as the API has it: admin's own approval does not count for admin's promote
            String d2 = Unique.digest();
            String r2 = register(s, group, t, d2, "1.1.0");
            DashboardClient admin = new DashboardClient(s).signedIn(TestConfig.ADMIN);
            admin.get("/releases");
            assertThat(promote(admin, r2, "staging").status()).isEqualTo(303);
            s.clock.advance(Duration.ofHours(2));
            assertThat(approve(admin, r2, "prod").status()).isEqualTo(303);
            DashboardClient.Page own = promote(admin, r2, "prod");
            assertThat(own.status()).isEqualTo(403);
            assertThat(own.body()).contains("data-code=\"APPROVAL_REQUIRED\"").contains("not admin");
            assertThat(pinDigest(s, "prod", t)).isEqualTo(d1);
            assertThat(promote(ci, r2, "prod").status()).as("admin's approval counts for another promoter").isEqualTo(303);
            assertThat(pinDigest(s, "prod", t)).isEqualTo(d2);

            // frozen: the window's name and end, and a refused promote lists every reason the API gives
            String d3 = Unique.digest();
            String r3 = register(s, group, t, d3, "1.2.0");
            assertThat(promote(ci, r3, "staging").status()).isEqualTo(303);
            s.clock.freezeAt(CHRISTMAS);
            ci = new DashboardClient(s).signedIn(TestConfig.CI); // weeks later: the session has ended
            page = ci.get("/releases").body();
            assertThat(state(page, r3, "prod")).isEqualTo("frozen");
            assertThat(cell(page, r3, "prod")).contains("Frozen by window holidays until 2027-01-02T00:00+01:00.")
                    .contains("data-code=\"FROZEN\"").contains("data-code=\"APPROVAL_REQUIRED\"");
            JsonNode api = promotability(s, TestConfig.CI, "prod", r3);
            DashboardClient.Page frozen = promote(ci, r3, "prod");
            assertThat(frozen.status()).isEqualTo(api.path("status").asInt());
            assertThat(frozen.body()).contains("role=\"alert\" data-code=\"" + api.path("code").asText() + "\"");
            for (JsonNode reason : api.path("refusals")) {
                assertThat(frozen.body()).contains("<li class=\"reason\" data-code=\"" + reason.path("code").asText()
                        + "\"><strong>");
            }
            assertThat(api.path("refusals").size()).isEqualTo(2);
            assertThat(pinDigest(s, "prod", t)).isEqualTo(d2);
        }
    }
}
