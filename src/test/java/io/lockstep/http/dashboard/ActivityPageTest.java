package io.lockstep.http.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Activity page (issue 14 item 3) over real HTTP on both stores: order, paging, filters, limits, escaping. */
class ActivityPageTest {
    private static final String CONFIG = "events:\n  drift_interval: 0s\n";
    private static final Pattern ROW = Pattern.compile(
            "<tr class=\"event\" data-id=\"(\\d+)\" data-type=\"([a-z_.]+)\"(?: data-env=\"([a-z0-9._-]+)\")?");

    @TempDir
    Path dir;

    record Row(long id, String type, String env) {
    }

    private static List<Row> rows(String page) {
        List<Row> out = new ArrayList<>();
        Matcher m = ROW.matcher(page);
        while (m.find()) {
            out.add(new Row(Long.parseLong(m.group(1)), m.group(2), m.group(3)));
        }
        return out;
    }

    private static String older(String page) {
        Matcher m = Pattern.compile("<a id=\"activity-older\" href=\"([^\"]+)\"").matcher(page);
        return m.find() ? m.group(1).replace("&amp;", "&") : null;
    }

    private static void promote(TestServer s, String env, String template, String notes) {
        Http.Response p = s.http.post("/api/v1/environments/" + env + "/pins/" + template + "/promote", TestConfig.ADMIN,
                Json.obj("image_digest", Unique.digest(), "notes", notes));
        assertThat(p.status()).as(p.body()).isBetween(200, 201);
    }

    /** Every event id the API gives {@code token}, oldest first. */
    private static List<Long> apiIds(TestServer s, String token, String query) {
        JsonNode page = s.http.get("/api/v1/events?limit=1000" + query, token).json();
        List<Long> ids = new ArrayList<>();
        page.path("events").forEach(e -> ids.add(e.path("id").asLong()));
        return ids;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void newestFirstInPagesOfFiftyWithAnOlderLinkAndFilters(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir), CONFIG)) {
            for (int i = 0; i < 55; i++) {
                promote(s, "staging", "solo", "step " + i);
            }
            promote(s, "prod", "codex", "the prod one");
            DashboardClient reader = new DashboardClient(s).signedIn(TestConfig.READER);
            String first = reader.get("/activity").body();
            List<Row> page1 = rows(first);
            assertThat(page1).hasSize(50);
            assertThat(page1.get(0).env()).isEqualTo("prod"); // the newest event on top
            assertThat(first).contains("<td class=\"summary\">Promoted to ").contains("notes: the prod one")
                    .contains("<td class=\"actor\">admin</td>");
            String olderPath = older(first);
            assertThat(olderPath).isEqualTo("/activity?before=" + page1.get(49).id());
            String second = reader.get(olderPath).body();
            List<Row> page2 = rows(second);
            assertThat(older(second)).isNull();
            assertThat(second).contains("id=\"activity-newest\" href=\"/activity\"");

            List<Long> shown = new ArrayList<>();
            page1.forEach(r -> shown.add(r.id()));
            page2.forEach(r -> shown.add(r.id()));
            List<Long> all = new ArrayList<>(apiIds(s, TestConfig.READER, ""));
            java.util.Collections.reverse(all);
            assertThat(shown).as("both pages, newest first, are every event once").isEqualTo(all);

            // filters: environment, type, group (solo has no group: it is its own)
            assertThat(rows(reader.get("/activity?environment=prod").body())).extracting(Row::env).containsOnly("prod")
                    .isNotEmpty();
            assertThat(rows(reader.get("/activity?type=pin.promoted&group=runtime").body()))
                    .extracting(Row::type, Row::env).containsExactly(org.assertj.core.groups.Tuple.tuple("pin.promoted", "prod"));
            assertThat(rows(reader.get("/activity?type=release.registered").body())).isEmpty();
            String filteredOlder = older(reader.get("/activity?environment=staging").body());
            assertThat(filteredOlder).startsWith("/activity?environment=staging&before=");
            assertThat(rows(reader.get(filteredOlder).body())).extracting(Row::env).containsOnly("staging");

            assertThat(reader.get("/activity?type=pin.nonsense").status()).isEqualTo(400);
            assertThat(reader.get("/activity?before=abc").status()).isEqualTo(400);
            assertThat(reader.get("/activity?before=0").status()).isEqualTo(400);

            // live: the fragment live.js asks for is <main>'s content only
            DashboardClient.Page fragment = reader.get("/activity", "X-Dashboard-Fragment", "main");
            assertThat(fragment.body()).startsWith("<h1>Activity</h1>").doesNotContain("<html");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEnvironmentLimitedTokenSeesOnlyItsEventsAndNotesRenderAsText(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir), CONFIG)) {
            String hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";
            promote(s, "staging", "hermes", hostile);
            promote(s, "prod", "hermes", "prod secret plans");
            DashboardClient limited = new DashboardClient(s).signedIn(TestConfig.STAGING_READER);
            String page = limited.get("/activity").body();
            assertThat(rows(page)).extracting(Row::env).containsOnly("staging").hasSize(1);
            assertThat(page).doesNotContain("prod secret plans").doesNotContain("data-env=\"prod\"")
                    .doesNotContain("<option value=\"prod\"");
            assertThat(rows(page)).extracting(Row::id).containsExactlyElementsOf(apiIds(s, TestConfig.STAGING_READER, ""));
            assertThat(page).contains("notes: &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;")
                    .doesNotContain("<script>alert").doesNotContain("<img src=x");
            DashboardClient.Page refused = limited.get("/activity?environment=prod");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body()).contains("data-code=\"FORBIDDEN\"").doesNotContain("prod secret plans");

            DashboardClient.Page out = new DashboardClient(s).get("/activity");
            assertThat(out.status()).isEqualTo(303);
            assertThat(out.location()).isEqualTo("/sign-in");
        }
    }
}
