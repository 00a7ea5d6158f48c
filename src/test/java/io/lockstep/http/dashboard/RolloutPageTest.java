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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Rollout page (issue 14 item 3) over real HTTP on both stores: the API's numbers, stale regions, limits. */
class RolloutPageTest {
    private static final String CONFIG = "events:\n  drift_interval: 0s\n";

    @TempDir
    Path dir;

    /** A rollout row's opening tag by its hooks: [state, converged, total, missing]. */
    private static String[] row(String page, String env, String template) {
        Matcher m = Pattern.compile("<tr class=\"rollout state-[a-z-]+\" data-env=\"" + env + "\" data-template=\""
                + template + "\" data-state=\"([a-z-]+)\" data-converged=\"(\\d+)\" data-total=\"(\\d+)\""
                + " data-missing=\"(\\d+)\">").matcher(page);
        assertThat(m.find()).as("rollout row %s/%s", env, template).isTrue();
        return new String[]{m.group(1), m.group(2), m.group(3), m.group(4)};
    }

    /** The part of the page from the row of env/template to the next row. */
    private static String rowHtml(String page, String env, String template) {
        int start = page.indexOf("data-env=\"" + env + "\" data-template=\"" + template + "\" data-state");
        int end = page.indexOf("<tr class=\"rollout", start);
        return page.substring(start, end < 0 ? page.length() : end);
    }

    private static Map<String, Integer> staleRegions(String rowHtml) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<td class=\"stale-region\" data-region=\"([a-z0-9._-]+)\" data-stale=\"(\\d+)\">")
                .matcher(rowHtml);
        while (m.find()) {
            out.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return out;
    }

    private static void promote(TestServer s, String env, String template, String digest) {
        Http.Response p = s.http.post("/api/v1/environments/" + env + "/pins/" + template + "/promote", TestConfig.ADMIN,
                Json.obj("image_digest", digest));
        assertThat(p.status()).as(p.body()).isBetween(200, 201);
    }

    /** region → digest → how many instances, reported now. */
    private static void report(TestServer s, String env, String template, Map<String, Map<String, Integer>> fleet) {
        List<Map<String, Object>> reports = new ArrayList<>();
        fleet.forEach((region, digests) -> digests.forEach((digest, n) -> {
            for (int i = 0; i < n; i++) {
                reports.add(Map.of("instance_id", Unique.name("i"), "environment", env, "template", template,
                        "region", region, "digest", digest, "observed_at", s.clock.instant().toString()));
            }
        }));
        Http.Response r = s.http.post("/api/v1/fleet/reports", TestConfig.REPORTER, Json.obj("reports", reports));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theNumbersAreTheApisConvergenceAndStaleInstancesAreCountedByRegion(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir), CONFIG)) {
            String a = Unique.digest();
            String b = Unique.digest();
            String c = Unique.digest();
            promote(s, "staging", "hermes", a);
            promote(s, "prod", "hermes", a);
            report(s, "staging", "hermes", Map.of("eu-west", Map.of(a, 3, b, 2), "us-east", Map.of(a, 1, c, 1)));
            report(s, "prod", "hermes", Map.of("eu-west", Map.of(a, 4)));
            String page = new DashboardClient(s).signedIn(TestConfig.READER).get("/rollout").body();

            // the API's numbers for the same (environment, template), summed over regions
            for (String env : List.of("staging", "prod")) {
                JsonNode api = s.http.get("/api/v1/fleet/convergence?environment=" + env + "&template=hermes",
                        TestConfig.READER).json();
                long converged = 0;
                long instances = 0;
                long missing = 0;
                for (JsonNode p : api.path("pins")) {
                    converged += p.path("converged").asLong();
                    instances += p.path("instances").asLong();
                    missing += p.path("missing_instances").asLong();
                }
                String[] r = row(page, env, "hermes");
                assertThat(new long[]{Long.parseLong(r[1]), Long.parseLong(r[2]), Long.parseLong(r[3])}).as(env)
                        .containsExactly(converged, instances, missing);
            }
            assertThat(row(page, "staging", "hermes")).containsExactly("rolling-out", "4", "7", "0");
            assertThat(row(page, "prod", "hermes")).containsExactly("converged", "4", "4", "0");

            String staging = rowHtml(page, "staging", "hermes");
            assertThat(staleRegions(staging)).containsExactly(Map.entry("eu-west", 2), Map.entry("us-east", 1));
            assertThat(staging).contains("2 on <code>" + b.substring(7, 19) + "</code>")
                    .contains("1 on <code>" + c.substring(7, 19) + "</code>")
                    .contains("<code class=\"digest\">" + a.substring(7, 19) + "</code>")
                    .contains("<span class=\"badge\">ROLLING OUT</span>")
                    .contains("<meter min=\"0\" max=\"7\" value=\"4\"").contains("4 / 7 instances · 57%");
            assertThat(staleRegions(rowHtml(page, "prod", "hermes"))).isEmpty();
            // the live hook: a periodic refresh, since fleet reports tell no event below a threshold crossing
            assertThat(page).contains("data-refresh-every=\"15\"");

            // the filters narrow to what was asked for
            String filtered = new DashboardClient(s).signedIn(TestConfig.READER)
                    .get("/rollout?environment=prod&template=hermes").body();
            assertThat(filtered).contains("data-env=\"prod\" data-template=\"hermes\"")
                    .doesNotContain("data-env=\"staging\" data-template=\"hermes\"");
            String otherGroup = new DashboardClient(s).signedIn(TestConfig.READER).get("/rollout?group=solo").body();
            assertThat(otherGroup).doesNotContain("data-template=\"hermes\" data-state").contains("id=\"rollout-empty\"");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEnvironmentLimitedTokenSeesOnlyItsEnvironmentsAndSignedOutIsSentToSignIn(StoreKind kind) {
        try (TestServer s = new TestServer(kind.create(dir), CONFIG)) {
            String a = Unique.digest();
            promote(s, "staging", "codex", a);
            promote(s, "prod", "codex", a);
            report(s, "staging", "codex", Map.of("global", Map.of(a, 1)));
            report(s, "prod", "codex", Map.of("global", Map.of(a, 2)));
            DashboardClient limited = new DashboardClient(s).signedIn(TestConfig.STAGING_READER);
            String page = limited.get("/rollout").body();
            assertThat(row(page, "staging", "codex")).containsExactly("converged", "1", "1", "0");
            assertThat(page).doesNotContain("data-env=\"prod\"").doesNotContain("<option value=\"prod\"");
            DashboardClient.Page refused = limited.get("/rollout?environment=prod");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body()).contains("data-code=\"FORBIDDEN\"").doesNotContain("data-template=\"codex\"");
            assertThat(limited.get("/rollout?environment=nowhere").status()).isEqualTo(403);
            assertThat(new DashboardClient(s).signedIn(TestConfig.READER).get("/rollout?environment=nowhere").status())
                    .isEqualTo(404);
            assertThat(new DashboardClient(s).signedIn(TestConfig.READER).get("/rollout?template=%3Cb%3E").status())
                    .isEqualTo(400);

            DashboardClient.Page out = new DashboardClient(s).get("/rollout");
            assertThat(out.status()).isEqualTo(303);
            assertThat(out.location()).isEqualTo("/sign-in");
        }
    }
}
