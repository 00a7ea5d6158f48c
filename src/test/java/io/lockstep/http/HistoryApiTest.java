package io.lockstep.http;

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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** A pin's history (order, paging, recorded fields) and rollback, on both stores. */
class HistoryApiTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers();

    private static String historyPath(String t) {
        return "/api/v1/environments/prod/pins/" + t + "/history";
    }

    private static Http.Response rollback(TestServer s, String t, Object... body) {
        return s.http.post("/api/v1/environments/prod/pins/" + t + "/rollback", TestConfig.CI, Json.obj(body));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void newestFirstAndPagedWithLimitAndBefore(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            digests.add(Unique.digest());
            Api.promoteOk(s, t, digests.get(i));
        }

        List<String> seen = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        String path = historyPath(t) + "?limit=2";
        int pages = 0;
        while (path != null) {
            Http.Response page = s.http.get(path, TestConfig.READER);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(page.json().path("entries").size()).isLessThanOrEqualTo(2);
            for (JsonNode e : page.json().path("entries")) {
                seen.add(e.path("to_digest").asText());
                seqs.add(e.path("seq").asLong());
            }
            pages++;
            JsonNode next = page.json().path("next_before");
            path = next.isNull() ? null : historyPath(t) + "?limit=2&before=" + next.asLong();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(digests.get(4), digests.get(3), digests.get(2), digests.get(1), digests.get(0));
        assertThat(seqs).isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anUnknownTemplateNamedByTheUrlIs404LikeTheOtherReadsButA422ForAChange(StoreKind store) {
        TestServer s = servers.of(store);
        String nope = Unique.name("nope");
        assertError(s.http.get(historyPath(nope), TestConfig.READER), 404, "UNKNOWN_TEMPLATE");
        assertError(s.http.get("/api/v1/environments/prod/pins/" + nope, TestConfig.READER), 404, "UNKNOWN_TEMPLATE");
        assertError(rollback(s, nope), 422, "UNKNOWN_TEMPLATE");
        assertError(s.http.post("/api/v1/environments/prod/pins/" + nope + "/promote", TestConfig.CI,
                Json.obj("image_digest", Unique.digest())), 422, "UNKNOWN_TEMPLATE");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyPromoteRecordsWhoWhenWhatAndWhence(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        String d1 = Unique.digest();
        String d2 = Unique.digest();
        Instant first = Instant.parse("2030-01-02T03:04:05.678Z");
        Instant second = Instant.parse("2030-01-02T04:00:00.001Z");
        try {
            s.clock.freezeAt(first);
            Api.promoteOk(s, t, d1, "git_sha", "19f3175", "runtime_version", "2.4.1", "notes", "first",
                    "provenance", Map.of("ci_run", "https://ci.example.com/run/42", "commit", "19f3175", "workflow", "publish"));
            s.clock.freezeAt(second);
            Http.Response r = s.http.post("/api/v1/environments/prod/pins/" + t + "/promote", TestConfig.PROD_ONLY,
                    Json.obj("image_digest", d2, "git_sha", "aaaaaaa", "runtime_version", "2.5.0", "notes", "second"));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        } finally {
            s.clock.freezeAt(null);
        }

        JsonNode entries = Api.history(s, "prod", t, null);
        assertThat(entries).hasSize(2);
        JsonNode newest = entries.get(0);
        JsonNode oldest = entries.get(1);
        assertThat(oldest.path("action").asText()).isEqualTo("promote");
        assertThat(oldest.path("environment").asText()).isEqualTo("prod");
        assertThat(oldest.path("template_name").asText()).isEqualTo(t);
        assertThat(oldest.path("region").asText()).isEqualTo("global");
        assertThat(oldest.path("from_digest").isNull()).isTrue();
        assertThat(oldest.path("to_digest").asText()).isEqualTo(d1);
        assertThat(oldest.path("git_sha").asText()).isEqualTo("19f3175");
        assertThat(oldest.path("runtime_version").asText()).isEqualTo("2.4.1");
        assertThat(oldest.path("notes").asText()).isEqualTo("first");
        assertThat(oldest.path("promoted_by").asText()).isEqualTo("ci");
        assertThat(oldest.path("provenance").path("ci_run").asText()).isEqualTo("https://ci.example.com/run/42");
        assertThat(oldest.path("provenance").path("workflow").asText()).isEqualTo("publish");
        assertThat(oldest.path("at").asText()).isEqualTo("2030-01-02T03:04:05.678Z");
        assertThat(oldest.path("hash").asText()).matches("[a-f0-9]{64}");

        assertThat(newest.path("from_digest").asText()).isEqualTo(d1);
        assertThat(newest.path("to_digest").asText()).isEqualTo(d2);
        assertThat(newest.path("promoted_by").asText()).isEqualTo("prod-only");
        assertThat(newest.path("at").asText()).isEqualTo("2030-01-02T04:00:00.001Z");
        assertThat(newest.path("provenance").size()).isZero();

        JsonNode pin = Api.pin(s, "prod", t, null);
        assertThat(pin.path("promoted_at").asText()).isEqualTo("2030-01-02T04:00:00.001Z");
        assertThat(pin.path("promoted_by").asText()).isEqualTo("prod-only");
        assertThat(pin.path("runtime_version").asText()).isEqualTo("2.5.0");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rollbackToThePreviousDigest(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        String d1 = Unique.digest();
        String d2 = Unique.digest();
        Api.promoteOk(s, t, d1, "git_sha", "1111111", "runtime_version", "1.0.0");
        Api.promoteOk(s, t, d2, "git_sha", "2222222", "runtime_version", "2.0.0");

        Http.Response r = rollback(s, t, "notes", "2.0.0 crashes on start");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("previous_digest").asText()).isEqualTo(d2);
        JsonNode pin = Api.pin(s, "prod", t, null);
        assertThat(pin.path("image_digest").asText()).isEqualTo(d1);
        // The rollback restores the metadata the digest was built with, not the current one.
        assertThat(pin.path("git_sha").asText()).isEqualTo("1111111");
        assertThat(pin.path("runtime_version").asText()).isEqualTo("1.0.0");

        JsonNode latest = Api.history(s, "prod", t, null).get(0);
        assertThat(latest.path("action").asText()).isEqualTo("rollback");
        assertThat(latest.path("from_digest").asText()).isEqualTo(d2);
        assertThat(latest.path("to_digest").asText()).isEqualTo(d1);
        assertThat(latest.path("promoted_by").asText()).isEqualTo("ci");
        assertThat(latest.path("notes").asText()).isEqualTo("2.0.0 crashes on start");
        assertThat(Api.history(s, "prod", t, null)).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rollbackToAnExplicitDigestFromHistory(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        String d1 = Unique.digest();
        Api.promoteOk(s, t, d1);
        Api.promoteOk(s, t, Unique.digest());
        String d3 = Unique.digest();
        Api.promoteOk(s, t, d3);

        Http.Response r = rollback(s, t, "to_digest", d1);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(Api.pin(s, "prod", t, null).path("image_digest").asText()).isEqualTo(d1);
        JsonNode latest = Api.history(s, "prod", t, null).get(0);
        assertThat(latest.path("action").asText()).isEqualTo("rollback");
        assertThat(latest.path("from_digest").asText()).isEqualTo(d3);
        assertThat(latest.path("to_digest").asText()).isEqualTo(d1);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rollbackToANeverPinnedDigestIs422(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        String d1 = Unique.digest();
        Api.promoteOk(s, t, Unique.digest());
        Api.promoteOk(s, t, d1);
        String stranger = Unique.digest();
        Http.Response r = rollback(s, t, "to_digest", stranger);
        assertError(r, 422, "DIGEST_NOT_IN_HISTORY");
        assertThat(r.json().path("error").asText()).contains(stranger);
        assertThat(Api.pin(s, "prod", t, null).path("image_digest").asText()).isEqualTo(d1);
        assertThat(Api.history(s, "prod", t, null)).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rollbackWithNoEarlierDigestIs409(StoreKind store) {
        TestServer s = servers.of(store);
        String t = Api.newTemplate(s);
        String only = Unique.digest();
        Api.promoteOk(s, t, only);
        assertError(rollback(s, t), 409, "NOTHING_TO_ROLL_BACK");
        assertThat(Api.history(s, "prod", t, null)).hasSize(1);

        // A pin that does not exist at all cannot be rolled back either.
        assertError(rollback(s, Api.newTemplate(s)), 422, "RUNTIME_PIN_MISSING");
        // Nor can a read-only token roll anything back.
        Http.Response reader = s.http.post("/api/v1/environments/prod/pins/" + t + "/rollback", TestConfig.READER, "{}");
        assertError(reader, 403, "FORBIDDEN");
    }
}
