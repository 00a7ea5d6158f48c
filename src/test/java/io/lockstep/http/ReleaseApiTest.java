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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Releases of a lock-step group: registration, completeness (every pinnable member named with a
 * digest or a reason, so no member silently keeps a stale pin), exclusion with a reason,
 * and promoting a whole release in one transaction. Each test owns a fresh group of three templates.
 */
class ReleaseApiTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers();

    private record Group(String name, List<String> members) {
    }

    private static Group newGroup(TestServer s) {
        String g = Unique.name("grp");
        return new Group(g, List.of(Api.newTemplate(s, g), Api.newTemplate(s, g), Api.newTemplate(s, g)));
    }

    private static Map<String, String> images(List<String> templates) {
        Map<String, String> m = new LinkedHashMap<>();
        templates.forEach(t -> m.put(t, Unique.digest()));
        return m;
    }

    private static Http.Response register(TestServer s, String group, String version, Map<String, String> images,
                                          Map<String, String> exclude) {
        return s.http.post("/api/v1/releases", TestConfig.CI, Json.obj("group", group, "runtime_version", version,
                "git_sha", "19f3175", "images", images, "exclude", exclude));
    }

    private static Http.Response promoteRelease(TestServer s, String env, String id) {
        return s.http.post("/api/v1/environments/" + env + "/releases/" + id + "/promote", TestConfig.CI,
                Json.obj("notes", "release " + id));
    }

    /** Every pin of the environment as template/region → digest, read through the API. */
    private static Map<String, String> pins(TestServer s, String env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode p : s.http.get("/api/v1/environments/" + env + "/pins", TestConfig.READER).json().path("pins")) {
            out.put(p.path("template_name").asText() + "/" + p.path("region").asText(), p.path("image_digest").asText());
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void registerIsIdempotentAndAVersionNamesOneBuild(StoreKind store) {
        TestServer s = servers.of(store);
        Group g = newGroup(s);
        Map<String, String> images = images(g.members());

        Http.Response created = register(s, g.name(), "3.1.0", images, Map.of());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("result").asText()).isEqualTo("created");
        assertThat(created.json().path("id").asText()).isEqualTo(g.name() + "@3.1.0");
        assertThat(created.json().path("created_by").asText()).isEqualTo("ci");

        Http.Response again = register(s, g.name(), "3.1.0", images, Map.of());
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().path("result").asText()).isEqualTo("unchanged");

        // Never promoted: registering other images replaces it (a failed publish does not burn the version).
        Map<String, String> other = new LinkedHashMap<>(images);
        other.put(g.members().get(0), Unique.digest());
        Http.Response replaced = register(s, g.name(), "3.1.0", other, Map.of());
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().path("result").asText()).isEqualTo("replaced");
        // Registering moves no pin.
        assertThat(pins(s, "prod")).doesNotContainKey(g.members().get(0) + "/global");

        // Once promoted anywhere, a version names that one build for good.
        assertThat(promoteRelease(s, "staging", g.name() + "@3.1.0").status()).isEqualTo(200);
        Map<String, String> third = new LinkedHashMap<>(other);
        third.put(g.members().get(1), Unique.digest());
        Http.Response conflict = register(s, g.name(), "3.1.0", third, Map.of());
        assertError(conflict, 409, "RELEASE_CONFLICT");
        assertThat(conflict.json().path("release_id").asText()).isEqualTo(g.name() + "@3.1.0");
        assertThat(conflict.json().path("promoted_to")).extracting(JsonNode::asText).containsExactly("staging");
        assertError(s.http.post("/api/v1/releases/" + g.name() + "@3.1.0/withdraw", TestConfig.CI, "{}"),
                409, "RELEASE_CONFLICT");

        Http.Response read = s.http.get("/api/v1/releases/" + g.name() + "@3.1.0", TestConfig.READER);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("images").path(g.members().get(0)).asText()).isEqualTo(other.get(g.members().get(0)));
        assertThat(read.json().path("images").path(g.members().get(1)).asText()).isEqualTo(other.get(g.members().get(1)));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aNeverPromotedReleaseCanBeWithdrawnAndItsVersionRegisteredAgainAndBothAreRecorded(StoreKind store) {
        TestServer s = servers.of(store);
        Group g = newGroup(s);
        String id = g.name() + "@2.0.0";
        Map<String, String> bad = images(g.members());
        assertThat(register(s, g.name(), "2.0.0", bad, Map.of()).status()).isEqualTo(201);
        Map<String, String> replacedBy = images(g.members());
        assertThat(register(s, g.name(), "2.0.0", replacedBy, Map.of()).json().path("result").asText()).isEqualTo("replaced");

        // A token limited to staging may not take back what an unrestricted token vouched for everywhere.
        assertError(s.http.post("/api/v1/releases/" + id + "/withdraw", TestConfig.STAGING_CI, "{}"), 403, "FORBIDDEN");
        assertError(s.http.post("/api/v1/releases/" + id + "/withdraw", TestConfig.READER, "{}"), 403, "FORBIDDEN");
        assertError(s.http.post("/api/v1/releases/" + g.name() + "@9.9.9/withdraw", TestConfig.CI, "{}"), 404, "UNKNOWN_RELEASE");
        assertError(s.http.post("/api/v1/releases/" + id + "/withdraw", TestConfig.CI, "{\"reasons\":\"x\"}"), 400, "UNKNOWN_FIELD");
        assertThat(s.http.get("/api/v1/releases/" + id, TestConfig.READER).status()).isEqualTo(200);

        Http.Response withdrawn = s.http.post("/api/v1/releases/" + id + "/withdraw", TestConfig.CI,
                "{\"reason\":\"digest missing from the registry\"}");
        assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(200);
        assertThat(withdrawn.json().path("action").asText()).isEqualTo("withdrawn");
        assertError(s.http.get("/api/v1/releases/" + id, TestConfig.READER), 404, "UNKNOWN_RELEASE");
        assertThat(s.http.get("/api/v1/releases?group=" + g.name(), TestConfig.READER).json().path("releases")).isEmpty();

        Map<String, String> fixed = images(g.members());
        Http.Response again = register(s, g.name(), "2.0.0", fixed, Map.of());
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        assertThat(again.json().path("result").asText()).isEqualTo("created");

        JsonNode events = s.http.get("/api/v1/release-events?group=" + g.name(), TestConfig.READER).json().path("events");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).path("action").asText()).isEqualTo("replaced");
        assertThat(events.get(0).path("images_before").path(g.members().get(0)).asText()).isEqualTo(bad.get(g.members().get(0)));
        assertThat(events.get(0).path("images_after").path(g.members().get(0)).asText()).isEqualTo(replacedBy.get(g.members().get(0)));
        assertThat(events.get(1).path("action").asText()).isEqualTo("withdrawn");
        assertThat(events.get(1).path("actor").asText()).isEqualTo("ci");
        assertThat(events.get(1).path("reason").asText()).isEqualTo("digest missing from the registry");
        assertThat(events.get(1).path("images_before").path(g.members().get(2)).asText()).isEqualTo(replacedBy.get(g.members().get(2)));
        assertThat(events.get(1).has("images_after")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anIncompleteReleaseNamesEveryMissingMemberAndChangesNothing(StoreKind store) {
        TestServer s = servers.of(store);
        Group g = newGroup(s);
        Map<String, String> before = pins(s, "prod");
        long rows = Api.historyRows(s);

        Http.Response r = register(s, g.name(), "1.0.0", images(g.members().subList(0, 1)), Map.of());
        assertError(r, 422, "INCOMPLETE_RELEASE");
        assertThat(r.json().path("error").asText()).contains(g.members().get(1)).contains(g.members().get(2));
        assertThat(r.json().path("missing")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(g.members().get(1), g.members().get(2));

        assertError(s.http.get("/api/v1/releases/" + g.name() + "@1.0.0", TestConfig.READER), 404, "UNKNOWN_RELEASE");
        assertThat(pins(s, "prod")).isEqualTo(before);
        assertThat(Api.historyRows(s)).isEqualTo(rows);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void promotingAReleaseMovesEveryPinAndRecordsExclusions(StoreKind store) {
        TestServer s = servers.of(store);
        Group g = newGroup(s);
        String excluded = g.members().get(2);
        Map<String, String> images = images(g.members().subList(0, 2));
        Http.Response reg = register(s, g.name(), "2.0.0", images, Map.of(excluded, "does not build on 2.x yet"));
        assertThat(reg.status()).as(reg.body()).isEqualTo(201);
        String id = g.name() + "@2.0.0";

        Http.Response r = promoteRelease(s, "staging", id);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("results")).hasSize(3);
        for (String t : images.keySet()) {
            JsonNode pin = Api.pin(s, "staging", t, null);
            assertThat(pin.path("image_digest").asText()).isEqualTo(images.get(t));
            assertThat(pin.path("runtime_version").asText()).isEqualTo("2.0.0");
            JsonNode entry = Api.history(s, "staging", t, null).get(0);
            assertThat(entry.path("release_id").asText()).isEqualTo(id);
            assertThat(entry.path("promoted_by").asText()).isEqualTo("ci");
        }
        JsonNode exclusion = Api.history(s, "staging", excluded, null);
        assertThat(exclusion).hasSize(1);
        assertThat(exclusion.get(0).path("action").asText()).isEqualTo("exclude");
        assertThat(exclusion.get(0).path("notes").asText()).contains("does not build on 2.x yet");
        assertThat(exclusion.get(0).path("release_id").asText()).isEqualTo(id);
        assertThat(pins(s, "staging")).doesNotContainKey(excluded + "/global");
        // One transaction, one server clock reading: every entry of the release carries the same time.
        assertThat(Api.history(s, "staging", g.members().get(0), null).get(0).path("at").asText())
                .isEqualTo(Api.history(s, "staging", g.members().get(1), null).get(0).path("at").asText())
                .isEqualTo(exclusion.get(0).path("at").asText());
        assertThat(pins(s, "prod")).doesNotContainKey(g.members().get(0) + "/global");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFencedEnvironmentMovesNoPinOfARelease(StoreKind store) {
        TestServer s = servers.of(store);
        Group g = newGroup(s);
        Map<String, String> old = images(g.members());
        assertThat(register(s, g.name(), "1.0.0", old, Map.of()).status()).isEqualTo(201);
        assertThat(promoteRelease(s, "staging", g.name() + "@1.0.0").status()).isEqualTo(200);
        assertThat(register(s, g.name(), "1.1.0", images(g.members()), Map.of()).status()).isEqualTo(201);
        Map<String, String> before = pins(s, "staging");
        long rows = Api.historyRows(s);

        Http.Response fence = s.http.post("/api/v1/environments/staging/fences", TestConfig.ADMIN,
                Json.obj("reason", "incident 4711", "ttl_seconds", 600));
        assertThat(fence.status()).as(fence.body()).isEqualTo(201);
        try {
            Http.Response r = promoteRelease(s, "staging", g.name() + "@1.1.0");
            assertError(r, 409, "FENCED");
            assertThat(r.raw().headers().firstValue("Retry-After")).isPresent();
        } finally {
            assertThat(s.http.delete("/api/v1/environments/staging/fences/" + fence.json().path("id").asText(),
                    TestConfig.ADMIN).status()).isEqualTo(204);
        }
        assertThat(pins(s, "staging")).isEqualTo(before);
        assertThat(Api.historyRows(s)).isEqualTo(rows);
        for (String t : g.members()) {
            assertThat(Api.pin(s, "staging", t, null).path("image_digest").asText()).isEqualTo(old.get(t));
        }

        Http.Response lifted = promoteRelease(s, "staging", g.name() + "@1.1.0");
        assertThat(lifted.status()).as(lifted.body()).isEqualTo(200);
        assertThat(lifted.json().path("results")).allSatisfy(o -> assertThat(o.path("result").asText()).isEqualTo("updated"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReleaseRegisteredBeforeAMemberJoinedIsNotPromoted(StoreKind store) {
        TestServer s = servers.of(store);
        Group g = newGroup(s);
        assertThat(register(s, g.name(), "1.0.0", images(g.members()), Map.of()).status()).isEqualTo(201);
        String joined = Api.newTemplate(s, g.name()); // a fourth member, after the release was registered
        Map<String, String> before = pins(s, "staging");
        long rows = Api.historyRows(s);

        Http.Response r = promoteRelease(s, "staging", g.name() + "@1.0.0");
        assertError(r, 422, "INCOMPLETE_RELEASE");
        assertThat(r.json().path("error").asText()).contains(joined).contains("after it was registered");
        assertThat(r.json().path("missing")).extracting(JsonNode::asText).containsExactly(joined);
        assertThat(pins(s, "staging")).isEqualTo(before);
        assertThat(Api.historyRows(s)).isEqualTo(rows);

        Map<String, String> all = images(g.members());
        all.put(joined, Unique.digest());
        assertThat(register(s, g.name(), "1.0.1", all, Map.of()).status()).isEqualTo(201);
        Http.Response fixed = promoteRelease(s, "staging", g.name() + "@1.0.1");
        assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
        assertThat(Api.pin(s, "staging", joined, null).path("image_digest").asText()).isEqualTo(all.get(joined));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void promotingAnUnknownReleaseIs404(StoreKind store) {
        TestServer s = servers.of(store);
        assertError(promoteRelease(s, "staging", "runtime@9.9.9"), 404, "UNKNOWN_RELEASE");
        assertError(s.http.post("/api/v1/environments/staging/releases/runtime@9.9.9/promote", TestConfig.READER, "{}"),
                403, "FORBIDDEN");
    }
}
