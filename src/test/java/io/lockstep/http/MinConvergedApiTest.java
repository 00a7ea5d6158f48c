package io.lockstep.http;

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
import java.util.List;
import java.util.Map;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code requires: {upstream: staging, min_converged: 0.6}} over HTTP on both stores: a digest enters prod
 * only once at least 60% of staging's live instances of the template report running it; until then the
 * promote answers 409 UPSTREAM_NOT_CONVERGED (retryable) and changes nothing.
 */
class MinConvergedApiTest {
    private static final String PROD = "  - name: prod\n    upstream: staging\n";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void prodWaitsForStagingsFleet(StoreKind kind) {
        var db = kind.create(dir);
        try (TestServer s = new TestServer(db, TestConfig.config(db, null,
                y -> y.replace(PROD, PROD + "    requires: {upstream: staging, min_converged: 0.6}\n")))) {
            String t = Api.newTemplate(s, Unique.name("grp"));
            String old = Unique.digest();
            String d = Unique.digest();
            promote(s, "staging", t, old);
            Http.Response silent = s.http.post("/api/v1/environments/prod/pins/" + t + "/promote", TestConfig.CI,
                    Json.obj("image_digest", old));
            assertError(silent, 409, "UPSTREAM_NOT_CONVERGED");
            assertThat(silent.json().path("error").asText()).contains("no live instance in staging/global reports yet");
            report(s, t, "i-1", old);
            report(s, t, "i-2", old);
            report(s, t, "i-3", old);
            promote(s, "prod", t, old);
            promote(s, "staging", t, d);
            report(s, t, "i-3", d);

            long rows = Api.historyRows(s);
            Http.Response refused = s.http.post("/api/v1/environments/prod/pins/" + t + "/promote", TestConfig.CI,
                    Json.obj("image_digest", d));
            assertError(refused, 409, "UPSTREAM_NOT_CONVERGED");
            assertThat(refused.json().path("retryable").booleanValue()).isTrue();
            assertThat(refused.json().path("error").asText()).contains("at least 60.0% of staging's live instances")
                    .contains("33.3%");
            assertThat(Api.pin(s, "prod", t, null).path("image_digest").asText()).isEqualTo(old);
            assertThat(Api.historyRows(s)).isEqualTo(rows);

            report(s, t, "i-2", d); // two of three now run it
            promote(s, "prod", t, d);
            assertThat(Api.pin(s, "prod", t, null).path("image_digest").asText()).isEqualTo(d);
        }
    }

    private static void promote(TestServer s, String env, String t, String digest) {
        Http.Response r = s.http.post("/api/v1/environments/" + env + "/pins/" + t + "/promote", TestConfig.CI,
                Json.obj("image_digest", digest));
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }

    private static void report(TestServer s, String t, String instance, String digest) {
        Http.Response r = s.http.post("/api/v1/fleet/reports", TestConfig.REPORTER, Json.obj("reports", List.of(Map.of(
                "instance_id", instance, "environment", "staging", "template", t, "digest", digest,
                "observed_at", s.clock.instant().toString()))));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
}
