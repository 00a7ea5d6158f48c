package io.lockstep.http;

import io.lockstep.testing.Http;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** /metrics, /healthz, /readyz and /openapi.yaml: what operators and scrapers rely on. */
class OperationsEndpointsTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers();

    private static double sample(String scrape, String metric, String... labels) {
        for (String line : scrape.lines().toList()) {
            if (!line.startsWith(metric + "{")) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    private static int pinCount(TestServer s) {
        int n = 0;
        for (String env : new String[]{"staging", "prod"}) {
            n += s.http.get("/cp/admin/runtime-image?environment=" + env, TestConfig.READER).json().path("pins").size();
        }
        return n;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void metricsCountRequestsPromotionsAndPins(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        String d = Unique.digest();
        Api.promoteOk(s, t, d);
        Api.promoteOk(s, t, d);
        Api.promoteOk(s, t, Unique.digest(), "environment", "staging");
        s.http.get("/api/v1/environments/prod/pins/" + t, TestConfig.READER);
        s.http.get("/api/v1/" + t + "-no-such-route", TestConfig.READER);

        Http.Response r = s.http.get("/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String m = r.body();
        String tpl = "template=\"" + t + "\"";
        assertThat(sample(m, "lockstep_promotions_total", "environment=\"prod\"", tpl, "result=\"created\"")).isEqualTo(1.0);
        assertThat(sample(m, "lockstep_promotions_total", "environment=\"prod\"", tpl, "result=\"unchanged\"")).isEqualTo(1.0);
        assertThat(sample(m, "lockstep_promotions_total", "environment=\"staging\"", tpl, "result=\"created\"")).isEqualTo(1.0);
        assertThat(sample(m, "lockstep_http_requests_seconds_count", "method=\"POST\"",
                "route=\"/cp/admin/runtime-image/promote\"", "status=\"201\"")).isGreaterThanOrEqualTo(2.0);
        assertThat(sample(m, "lockstep_http_requests_seconds_sum", "route=\"/cp/admin/runtime-image/promote\"",
                "status=\"201\"")).isGreaterThan(0.0);
        assertThat(sample(m, "lockstep_http_requests_seconds_max", "route=\"/cp/admin/runtime-image/promote\"")).isNotNaN();
        // Route labels are templates, never raw paths: no label per template name or unknown URL.
        assertThat(m.lines().filter(l -> l.startsWith("lockstep_http_requests")).filter(l -> l.contains(t))).isEmpty();
        assertThat(sample(m, "lockstep_http_requests_seconds_count", "route=\"/api/v1/environments/{env}/pins/{template}\"",
                "status=\"200\"")).isGreaterThanOrEqualTo(1.0);

        Matcher pins = Pattern.compile("(?m)^lockstep_pins(?:\\{[^}]*\\})? (\\S+)$").matcher(m);
        assertThat(pins.find()).as(m).isTrue();
        assertThat(Double.parseDouble(pins.group(1))).isEqualTo(pinCount(s));
        assertThat(m).doesNotContain(TestConfig.CI);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void healthAndReadinessNeedNoToken(StoreKind store) {
        TestServer s = servers.of(store);
        Http.Response health = s.http.get("/healthz", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("ok");
        Http.Response ready = s.http.get("/readyz", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("status").asText()).isEqualTo("ready");
        assertThat(ready.json().path("store").asText()).isEqualTo(store == StoreKind.SQLITE ? "sqlite" : "postgresql");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void openApiIsServed(StoreKind store) throws java.io.IOException {
        TestServer s = servers.of(store);
        Http.Response r = s.http.get("/openapi.yaml", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).contains("yaml");
        // The served bytes are the document in the source tree (the server would answer an empty body
        // if the resource were missing from the build).
        assertThat(r.body()).isEqualTo(java.nio.file.Files.readString(java.nio.file.Path.of("src/main/resources/openapi.yaml")))
                .contains("openapi:").contains("/cp/admin/runtime-image/promote").contains("/api/v1/resolve");
    }
}
