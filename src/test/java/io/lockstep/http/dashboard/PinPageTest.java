package io.lockstep.http.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pin page (issue 14 item 3) over real HTTP on both stores: the history (escaped), the chain's state, and
 * rollback through the form, which writes what the API's rollback writes and refuses what it refuses.
 */
class PinPageTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers("events:\n  drift_interval: 0s\n");

    /** A new template (no group) promoted in staging to each of {@code digests} in turn, by ci, with versions v1, v2, …. */
    static String pinned(TestServer s, String notes, String... digests) {
        String name = Unique.name("tpl");
        Http.Response r = s.http.post("/api/v1/templates", TestConfig.ADMIN, Json.obj("name", name,
                "repository", "registry.example.com/test/" + name, "kinds", List.of()));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        for (int i = 0; i < digests.length; i++) {
            Http.Response p = s.http.post("/api/v1/environments/staging/pins/" + name + "/promote", TestConfig.CI,
                    Json.obj("image_digest", digests[i], "runtime_version", "v" + (i + 1), "notes", notes));
            assertThat(p.status()).as(p.body()).isIn(200, 201);
        }
        return name;
    }

    static JsonNode history(TestServer s, String template) {
        Http.Response r = s.http.get("/api/v1/environments/staging/pins/" + template + "/history", TestConfig.READER);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("entries");
    }

    static String pinDigest(TestServer s, String template) {
        return s.http.get("/api/v1/environments/staging/pins/" + template, TestConfig.READER).json()
                .path("image_digest").asText();
    }

    static Map<String, String> rollbackForm(DashboardClient c, String toDigest, String notes) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("csrf", c.csrf);
        f.put("to_digest", toDigest);
        f.put("notes", notes);
        return f;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void historyIsShownNewestFirstWithNotesAsTextAndTheChainVerified(StoreKind kind) {
        TestServer s = servers.of(kind);
        String hostile = "<script>alert(1)</script><b onmouseover=x>\"'&";
        String d1 = Unique.digest();
        String d2 = Unique.digest();
        String t = pinned(s, hostile, d1, d2);
        DashboardClient.Page page = new DashboardClient(s).signedIn(TestConfig.READER).get("/pins/staging/" + t);
        assertThat(page.status()).isEqualTo(200);
        String body = page.body();
        assertThat(body).contains("<h1>" + t + " in staging</h1>")
                .contains("<code id=\"pin-digest\">" + d2 + "</code>").contains("<dd id=\"pin-version\">v2</dd>")
                .contains("data-status=\"") // drift's status, as a word in the badge too
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;b onmouseover=x&gt;\"'&amp;")
                .doesNotContain("<script>alert").doesNotContain("<b onmouseover");
        int newest = body.indexOf("data-to=\"" + d2 + "\"");
        int oldest = body.indexOf("data-to=\"" + d1 + "\"");
        assertThat(newest).isPositive().isLessThan(oldest);
        assertThat(body).contains("<td class=\"who\">ci</td>").contains("data-action=\"promote\"");
        assertThat(body).contains("data-state=\"verified\"").contains("Verified: all ");
        // a read token sees no way to roll back
        assertThat(body).doesNotContain("name=\"to_digest\"").doesNotContain("class=\"rollback\"");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theConfirmationNamesTheDigestAndTheRollbackWritesWhatTheApiWrites(StoreKind kind) {
        TestServer s = servers.of(kind);
        String d1 = Unique.digest();
        String d2 = Unique.digest();
        String viaUi = pinned(s, "first", d1, d2);
        String viaApi = pinned(s, "first", d1, d2);
        DashboardClient ci = new DashboardClient(s).signedIn(TestConfig.CI);
        String page = ci.get("/pins/staging/" + viaUi).body();
        String label = "Roll back " + viaUi + " in staging to " + d1.substring(7, 19) + " (v1)";
        assertThat(page).contains("<input type=\"hidden\" name=\"to_digest\" value=\"" + d1 + "\">")
                .contains("to <code class=\"target-digest\">" + d1 + "</code> (<span class=\"target-version\">v1</span>)?")
                .contains(">" + label + "</button>")
                .contains("<textarea id=\"reason-").contains("name=\"notes\" required")
                .doesNotContain("data-digest=\"" + d2 + "\""); // never a rollback to what runs now

        DashboardClient.Page done = ci.postForm("/ui/pins/staging/" + viaUi + "/rollback",
                rollbackForm(ci, d1, "bad <b>build</b>"));
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        assertThat(done.location()).startsWith("/pins/staging/" + viaUi + "?rolled_back=");
        assertThat(pinDigest(s, viaUi)).isEqualTo(d1);
        String after = ci.get(done.location()).body();
        assertThat(after).contains("id=\"rolled-back\"").contains("now runs <code>" + d1 + "</code> (v1)")
                .contains("bad &lt;b&gt;build&lt;/b&gt;");

        Http.Response api = s.http.post("/api/v1/environments/staging/pins/" + viaApi + "/rollback", TestConfig.CI,
                Json.obj("to_digest", d1, "notes", "bad <b>build</b>"));
        assertThat(api.status()).as(api.body()).isEqualTo(200);
        JsonNode ui = history(s, viaUi).get(0);
        JsonNode apis = history(s, viaApi).get(0);
        for (String field : List.of("action", "from_digest", "to_digest", "git_sha", "runtime_version", "notes",
                "promoted_by", "provenance", "provenance_kind", "release_id", "region", "environment")) {
            assertThat(ui.path(field)).as(field).isEqualTo(apis.path(field));
        }
        assertThat(ui.path("action").asText()).isEqualTo("rollback");
        assertThat(ui.path("promoted_by").asText()).isEqualTo("ci");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRollbackWithoutCsrfOrReasonOrByAReadTokenChangesNothing(StoreKind kind) {
        TestServer s = servers.of(kind);
        String d1 = Unique.digest();
        String d2 = Unique.digest();
        String t = pinned(s, "n", d1, d2);
        int rows = history(s, t).size();
        DashboardClient ci = new DashboardClient(s).signedIn(TestConfig.CI);
        ci.get("/pins/staging/" + t);

        Map<String, String> noCsrf = rollbackForm(ci, d1, "why");
        noCsrf.remove("csrf");
        DashboardClient.Page p = ci.postForm("/ui/pins/staging/" + t + "/rollback", noCsrf);
        assertThat(p.status()).isEqualTo(403);
        assertThat(p.body()).contains("data-code=\"CSRF_REJECTED\"");
        Map<String, String> wrong = rollbackForm(ci, d1, "why");
        wrong.put("csrf", "x" + ci.csrf);
        assertThat(ci.postForm("/ui/pins/staging/" + t + "/rollback", wrong).status()).isEqualTo(403);

        DashboardClient.Page noReason = ci.postForm("/ui/pins/staging/" + t + "/rollback", rollbackForm(ci, d1, "  "));
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.body()).contains("data-code=\"MISSING_FIELD\"").doesNotContain("Exception");

        DashboardClient reader = new DashboardClient(s).signedIn(TestConfig.READER);
        reader.get("/pins/staging/" + t);
        DashboardClient.Page forged = reader.postForm("/ui/pins/staging/" + t + "/rollback", rollbackForm(reader, d1, "why"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("data-code=\"FORBIDDEN\"").contains("lacks the promote scope");

        assertThat(pinDigest(s, t)).isEqualTo(d2);
        assertThat(history(s, t).size()).isEqualTo(rows);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRefusedRollbackShowsTheApisCodeAndSentenceAndChangesNothing(StoreKind kind) {
        TestServer s = servers.of(kind);
        String d1 = Unique.digest();
        String d2 = Unique.digest();
        String t = pinned(s, "n", d1, d2);
        DashboardClient ci = new DashboardClient(s).signedIn(TestConfig.CI);
        ci.get("/pins/staging/" + t);
        String never = Unique.digest();
        Http.Response api = s.http.post("/api/v1/environments/staging/pins/" + t + "/rollback", TestConfig.CI,
                Json.obj("to_digest", never, "notes", "why"));
        DashboardClient.Page p = ci.postForm("/ui/pins/staging/" + t + "/rollback", rollbackForm(ci, never, "why"));
        assertThat(p.status()).isEqualTo(api.status());
        assertThat(p.body()).contains("id=\"refusal\" class=\"refusal\" role=\"alert\" data-code=\""
                + api.json().path("code").asText() + "\"")
                .contains(api.json().path("error").asText());
        assertThat(api.json().path("code").asText()).isEqualTo("DIGEST_NOT_IN_HISTORY");

        // a fence refuses a rollback too (a freeze would not): the same code and sentence as the API's
        Http.Response fence = s.http.post("/api/v1/environments/staging/fences", TestConfig.ADMIN,
                Json.obj("reason", "incident <i>42</i>", "ttl_seconds", 600));
        assertThat(fence.status()).as(fence.body()).isIn(200, 201);
        try {
            Http.Response apiFenced = s.http.post("/api/v1/environments/staging/pins/" + t + "/rollback",
                    TestConfig.CI, Json.obj("to_digest", d1, "notes", "why"));
            assertThat(apiFenced.json().path("code").asText()).as(apiFenced.body()).isEqualTo("FENCED");
            DashboardClient.Page fenced = ci.postForm("/ui/pins/staging/" + t + "/rollback", rollbackForm(ci, d1, "why"));
            assertThat(fenced.status()).isEqualTo(409);
            assertThat(fenced.body()).contains("role=\"alert\" data-code=\"FENCED\"").contains("incident &lt;i&gt;42&lt;/i&gt;")
                    .contains("nothing was changed");
        } finally {
            s.http.delete("/api/v1/environments/staging/fences/" + fence.json().path("id").asText(), TestConfig.ADMIN);
        }
        assertThat(pinDigest(s, t)).isEqualTo(d2);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEnvironmentLimitedTokenCannotSeeOrActOnAnotherEnvironment(StoreKind kind) {
        TestServer s = servers.of(kind);
        String d1 = Unique.digest();
        String t = pinned(s, "n", d1, Unique.digest());
        DashboardClient stagingCi = new DashboardClient(s).signedIn(TestConfig.STAGING_CI);
        String own = stagingCi.get("/pins/staging/" + t).body();
        assertThat(own).contains("name=\"to_digest\" value=\"" + d1 + "\"") // may act on its own environment
                .contains("data-state=\"not_shown\""); // but not read the chain that links every environment
        DashboardClient.Page other = stagingCi.get("/pins/prod/" + t);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body()).contains("data-code=\"FORBIDDEN\"");
        assertThat(stagingCi.get("/pins/nowhere/" + t).status()).as("403 for any other name, hosted or not")
                .isEqualTo(403);
        DashboardClient.Page act = stagingCi.postForm("/ui/pins/prod/" + t + "/rollback", rollbackForm(stagingCi, d1, "why"));
        assertThat(act.status()).isEqualTo(403);
        DashboardClient reader = new DashboardClient(s).signedIn(TestConfig.READER);
        assertThat(reader.get("/pins/nowhere/" + t).status()).isEqualTo(404);
        assertThat(reader.get("/pins/staging/no-such-template").status()).isEqualTo(404);
        assertThat(reader.get("/pins/staging/BAD%20NAME").status()).isEqualTo(400);
    }
}
