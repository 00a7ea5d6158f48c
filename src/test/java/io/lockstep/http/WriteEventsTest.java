package io.lockstep.http;

import io.lockstep.domain.Event;
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
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: each write produces exactly its events, in its own transaction, on both stores. Driven through
 * the HTTP API; the outbox is read straight from the store ({@code eventsAfter}) because the events API is
 * built elsewhere. Each test reads only the events after its own starting mark, and tests of one class run
 * one at a time, so what it sees is what its requests caused. Staging has no policy (pin events), prod asks
 * for one approval (approval events), as in {@link ApprovalApiTest}.
 */
class WriteEventsTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    @TempDir
    static Path dir;
    private static final Map<StoreKind, TestServer> SERVERS = new EnumMap<>(StoreKind.class);

    private static synchronized TestServer server(StoreKind kind) {
        return SERVERS.computeIfAbsent(kind, k -> {
            var db = k.create(dir.resolve(k.name().toLowerCase()));
            // Observed events off: these tests count exactly the events their own writes cause.
            TestServer s = new TestServer(db, TestConfig.config(db, "events:\n  drift_interval: 0s\n",
                    ApprovalApiTest::withApprovals));
            s.clock.freezeAt(NOW);
            return s;
        });
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(TestServer::close);
        SERVERS.clear();
    }

    private static long mark(TestServer s) {
        return s.server.store().lastEventId();
    }

    private static List<Event> since(TestServer s, long mark) {
        return s.server.store().eventsAfter(mark, 1000);
    }

    private static Event only(TestServer s, long mark, String type) {
        List<Event> events = since(s, mark);
        assertThat(events).as(events.toString()).extracting(Event::type).containsExactly(type);
        return events.get(0);
    }

    private static Http.Response promote(TestServer s, String env, String token, String template, String digest,
                                         Object... extra) {
        Object[] kv = new Object[extra.length + 2];
        kv[0] = "image_digest";
        kv[1] = digest;
        System.arraycopy(extra, 0, kv, 2, extra.length);
        return s.http.post("/api/v1/environments/" + env + "/pins/" + template + "/promote", token, Json.obj(kv));
    }

    private static void ok(Http.Response r) {
        assertThat(r.status()).as(r.body()).isIn(200, 201, 204);
    }

    private static String register(TestServer s, String group, String version, Map<String, String> images) {
        Http.Response r = s.http.post("/api/v1/releases", TestConfig.CI, Json.obj("group", group, "runtime_version",
                version, "git_sha", "19f3175", "images", images));
        ok(r);
        return r.json().path("id").asText();
    }

    private static void assertSubject(Event e, String env, String template, String region, String group, String actor) {
        assertThat(e.environment()).as("environment").isEqualTo(env);
        assertThat(e.template()).as("template").isEqualTo(template);
        assertThat(e.region()).as("region").isEqualTo(region);
        assertThat(e.group()).as("group").isEqualTo(group);
        assertThat(e.actor()).as("actor").isEqualTo(actor);
        assertThat(e.at()).as("time: the write's clock").isEqualTo(NOW);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPromoteThatMovesAPinWritesOnePinPromotedAndARepeatOrARefusalWritesNone(StoreKind kind) {
        TestServer s = server(kind);
        String group = Unique.name("grp");
        String t = Api.newTemplate(s, group);
        String d1 = Unique.digest();
        String d2 = Unique.digest();

        long m = mark(s);
        ok(promote(s, "staging", TestConfig.CI, t, d1, "git_sha", "19f3175", "runtime_version", "1.0.0", "notes", "first"));
        Event created = only(s, m, Event.PIN_PROMOTED);
        assertSubject(created, "staging", t, "global", group, "ci");
        assertThat(created.data().get("action")).isEqualTo("promote");
        assertThat(created.data().get("from")).as("created: no previous digest").isNull();
        assertThat(created.data().get("to")).isEqualTo(Map.of("digest", d1, "runtime_version", "1.0.0", "git_sha", "19f3175"));
        assertThat(created.data().get("notes")).isEqualTo("first");
        assertThat(created.data().get("release")).isNull();

        m = mark(s);
        ok(promote(s, "staging", TestConfig.CI, t, d2));
        Event moved = only(s, m, Event.PIN_PROMOTED);
        assertThat(((Map<?, ?>) moved.data().get("from")).get("digest")).isEqualTo(d1);
        assertThat(((Map<?, ?>) moved.data().get("to")).get("digest")).isEqualTo(d2);
        assertThat(((Number) moved.data().get("history_seq")).longValue())
                .isGreaterThan(((Number) created.data().get("history_seq")).longValue());
        assertThat(moved.id()).isGreaterThan(created.id());

        m = mark(s);
        ok(promote(s, "staging", TestConfig.CI, t, d2));
        assertThat(since(s, m)).as("a repeat of the same digest moves nothing and tells no one").isEmpty();

        Http.Response fence = s.http.post("/api/v1/environments/staging/fences", TestConfig.ADMIN,
                Json.obj("reason", "deploying", "ttl_seconds", 60));
        ok(fence);
        try {
            m = mark(s);
            assertError(promote(s, "staging", TestConfig.CI, t, Unique.digest()), 409, "FENCED");
            assertThat(since(s, m)).as("a refused promote writes no event").isEmpty();
        } finally {
            ok(s.http.delete("/api/v1/environments/staging/fences/" + fence.json().path("id").asText(), TestConfig.ADMIN));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRollbackWritesOnePinRolledBack(StoreKind kind) {
        TestServer s = server(kind);
        String group = Unique.name("grp");
        String t = Api.newTemplate(s, group);
        String d1 = Unique.digest();
        String d2 = Unique.digest();
        ok(promote(s, "staging", TestConfig.CI, t, d1));
        ok(promote(s, "staging", TestConfig.CI, t, d2));

        long m = mark(s);
        ok(s.http.post("/api/v1/environments/staging/pins/" + t + "/rollback", TestConfig.CI, Json.obj("notes", "bad build")));
        Event back = only(s, m, Event.PIN_ROLLED_BACK);
        assertSubject(back, "staging", t, "global", group, "ci");
        assertThat(back.data().get("action")).isEqualTo("rollback");
        assertThat(((Map<?, ?>) back.data().get("from")).get("digest")).isEqualTo(d2);
        assertThat(((Map<?, ?>) back.data().get("to")).get("digest")).isEqualTo(d1);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    @SuppressWarnings("unchecked")
    void aReleasePromoteWritesOnePinPromotedPerMovedMemberAndOneReleasePromoted(StoreKind kind) {
        TestServer s = server(kind);
        String group = Unique.name("grp");
        String a = Api.newTemplate(s, group);
        String b = Api.newTemplate(s, group);
        String c = Api.newTemplate(s, group);
        String da = Unique.digest();
        ok(promote(s, "staging", TestConfig.CI, a, da));
        String release = register(s, group, "3.1.0", Map.of(a, da, b, Unique.digest(), c, Unique.digest()));

        long m = mark(s);
        String path = "/api/v1/environments/staging/releases/" + release + "/promote";
        ok(s.http.post(path, TestConfig.CI, Json.obj()));
        List<Event> events = since(s, m);
        assertThat(events).extracting(Event::type).as(events.toString())
                .containsExactly(Event.PIN_PROMOTED, Event.PIN_PROMOTED, Event.RELEASE_PROMOTED);
        assertThat(events.subList(0, 2)).extracting(Event::template).containsExactlyInAnyOrder(b, c);
        assertThat(events.subList(0, 2)).allSatisfy(e -> {
            assertThat(e.data().get("release")).isEqualTo(release);
            assertThat(e.data().get("action")).isEqualTo("release");
        });
        Event promoted = events.get(2);
        assertSubject(promoted, "staging", null, "global", group, "ci");
        assertThat(promoted.data().get("release")).isEqualTo(release);
        assertThat(promoted.data().get("runtime_version")).isEqualTo("3.1.0");
        assertThat((List<Object>) promoted.data().get("moved")).as("a was already there").containsExactlyInAnyOrder(b, c);

        m = mark(s);
        ok(s.http.post(path, TestConfig.CI, Json.obj()));
        assertThat(since(s, m)).as("a repeat release promote moves nothing and tells no one").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anAdminOverrideThatLiftedAGateWritesOverrideUsed(StoreKind kind) {
        TestServer s = server(kind);
        String group = Unique.name("grp");
        String t = Api.newTemplate(s, group);
        ok(promote(s, "staging", TestConfig.CI, t, Unique.digest()));
        Http.Response stop = s.http.post("/api/v1/environments/staging/freezes", TestConfig.CI,
                Json.obj("reason", "incident 4711", "group", group));
        ok(stop);
        String d = Unique.digest();
        try {
            long m = mark(s);
            assertError(promote(s, "staging", TestConfig.ADMIN, t, d), 409, "LINE_STOPPED");
            assertThat(since(s, m)).as("refused: no event").isEmpty();

            ok(promote(s, "staging", TestConfig.ADMIN, t, d, "override", Map.of("reason", "hotfix for 4711")));
            List<Event> events = since(s, m);
            assertThat(events).extracting(Event::type).containsExactly(Event.PIN_PROMOTED, Event.OVERRIDE_USED);
            Event used = events.get(1);
            assertSubject(used, "staging", t, "global", group, "admin");
            assertThat(used.data().get("reason")).isEqualTo("hotfix for 4711");
            assertThat(used.data().get("overrode")).isEqualTo(List.of("LINE_STOPPED"));
            assertThat(used.data().get("digest")).isEqualTo(d);
            assertThat(events.get(0).data().get("override"))
                    .isEqualTo(Map.of("reason", "hotfix for 4711", "overrode", List.of("LINE_STOPPED")));
        } finally {
            ok(s.http.delete("/api/v1/environments/staging/freezes/" + stop.json().path("id").asText(), TestConfig.ADMIN));
        }
        long m = mark(s);
        ok(promote(s, "staging", TestConfig.ADMIN, t, Unique.digest(), "override", Map.of("reason", "nothing to lift")));
        assertThat(since(s, m)).extracting(Event::type).as("an override that lifted nothing was not used")
                .containsExactly(Event.PIN_PROMOTED);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void registeringANewReleaseWritesReleaseRegisteredOnceAndReplacingOrWithdrawingItSaysSo(StoreKind kind) {
        TestServer s = server(kind);
        String group = Unique.name("grp");
        String a = Api.newTemplate(s, group);
        String b = Api.newTemplate(s, group);
        String da = Unique.digest();
        String db = Unique.digest();

        long m = mark(s);
        assertError(s.http.post("/api/v1/releases", TestConfig.CI, Json.obj("group", "no-such-group",
                "runtime_version", "1.0.0", "images", Map.of(a, da))), 422, "UNKNOWN_GROUP");
        assertThat(since(s, m)).as("a refused registration writes no event").isEmpty();

        String id = register(s, group, "1.0.0", Map.of(a, da, b, db));
        Event registered = only(s, m, Event.RELEASE_REGISTERED);
        assertSubject(registered, null, null, null, group, "ci");
        assertThat(registered.data().get("release")).isEqualTo(id);
        assertThat(registered.data().get("runtime_version")).isEqualTo("1.0.0");
        assertThat(registered.data().get("git_sha")).isEqualTo("19f3175");
        assertThat(registered.data().get("images")).isEqualTo(Map.of(a, da, b, db));
        assertThat(((Map<?, ?>) registered.data().get("registrants")).get("tokens")).isEqualTo(List.of("ci"));
        assertThat(((Map<?, ?>) registered.data().get("registrants")).get("environments")).as("ci may write all").isNull();

        m = mark(s);
        register(s, group, "1.0.0", Map.of(a, da, b, db));
        assertThat(since(s, m)).as("registering the same content again is no new fact").isEmpty();

        String db2 = Unique.digest();
        register(s, group, "1.0.0", Map.of(a, da, b, db2));
        Event replaced = only(s, m, Event.RELEASE_REPLACED);
        assertSubject(replaced, null, null, null, group, "ci");
        assertThat(replaced.data().get("from")).isEqualTo(Map.of(a, da, b, db));
        assertThat(replaced.data().get("to")).isEqualTo(Map.of(a, da, b, db2));

        m = mark(s);
        ok(s.http.post("/api/v1/releases/" + id + "/withdraw", TestConfig.CI, Json.obj("reason", "wrong base image")));
        Event withdrawn = only(s, m, Event.RELEASE_WITHDRAWN);
        assertSubject(withdrawn, null, null, null, group, "ci");
        assertThat(withdrawn.data().get("reason")).isEqualTo("wrong base image");
        assertThat(withdrawn.data().get("images")).isEqualTo(Map.of(a, da, b, db2));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void approvalsWriteRequestedOnceGivenAndRevoked(StoreKind kind) {
        TestServer s = server(kind);
        String group = Unique.name("grp");
        String t = Api.newTemplate(s, group);
        String d = Unique.digest();

        long m = mark(s);
        assertError(promote(s, "prod", TestConfig.CI, t, d), 403, "APPROVAL_REQUIRED");
        Event requested = only(s, m, Event.APPROVAL_REQUESTED);
        assertSubject(requested, "prod", t, "global", group, "ci");
        assertThat(requested.data().get("digest")).isEqualTo(d);
        assertThat(requested.data().get("release")).isNull();
        assertThat(requested.data().get("id")).isNotNull();

        m = mark(s);
        assertError(promote(s, "prod", TestConfig.CI, t, d), 403, "APPROVAL_REQUIRED");
        assertThat(since(s, m)).as("a retry of a waiting request files nothing new").isEmpty();

        Http.Response given = ApprovalApiTest.approve(s, ApprovalApiTest.ALICE, "template", t, "digest", d, "notes", "diff ok");
        assertThat(given.status()).as(given.body()).isEqualTo(201);
        Event approved = only(s, m, Event.APPROVAL_GIVEN);
        assertSubject(approved, "prod", t, "global", group, "alice");
        assertThat(approved.data().get("id")).isEqualTo(given.json().path("id").asText());
        assertThat(approved.data().get("digest")).isEqualTo(d);
        assertThat(approved.data().get("notes")).isEqualTo("diff ok");
        assertThat(approved.data().get("approver")).isEqualTo("alice");

        m = mark(s);
        ok(s.http.delete("/api/v1/environments/prod/approvals/" + given.json().path("id").asText(), TestConfig.ADMIN));
        Event revoked = only(s, m, Event.APPROVAL_REVOKED);
        assertSubject(revoked, "prod", t, "global", group, "admin");
        assertThat(revoked.data().get("id")).isEqualTo(given.json().path("id").asText());
        assertThat(revoked.data().get("approver")).isEqualTo("alice");

        m = mark(s);
        assertError(s.http.delete("/api/v1/environments/prod/approvals/" + given.json().path("id").asText(),
                TestConfig.ADMIN), 409, "APPROVAL_NOT_REVOCABLE");
        assertThat(since(s, m)).as("a refused revoke writes no event").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReleaseApprovalNamesTheReleaseAndItsGroup(StoreKind kind) {
        TestServer s = server(kind);
        String group = Unique.name("grp");
        String a = Api.newTemplate(s, group);
        String release = register(s, group, "1.0.0", Map.of(a, Unique.digest()));

        long m = mark(s);
        assertError(s.http.post("/api/v1/environments/prod/releases/" + release + "/promote", TestConfig.CI, Json.obj()),
                403, "APPROVAL_REQUIRED");
        Event requested = only(s, m, Event.APPROVAL_REQUESTED);
        assertSubject(requested, "prod", null, null, group, "ci");
        assertThat(requested.data().get("release")).isEqualTo(release);

        m = mark(s);
        assertThat(ApprovalApiTest.approve(s, ApprovalApiTest.BOB, "release", release).status()).isEqualTo(201);
        Event approved = only(s, m, Event.APPROVAL_GIVEN);
        assertSubject(approved, "prod", null, null, group, "bob");
        assertThat(approved.data().get("release")).isEqualTo(release);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void stoppingAndLiftingTheLineWriteFreezeStartedAndFreezeLifted(StoreKind kind) {
        TestServer s = server(kind);
        String group = Unique.name("grp");
        Api.newTemplate(s, group);

        long m = mark(s);
        assertError(s.http.post("/api/v1/environments/staging/freezes", TestConfig.CI, Json.obj("group", group)),
                400, "INVALID_FREEZE");
        assertThat(since(s, m)).as("a refused stop writes no event").isEmpty();

        Http.Response stop = s.http.post("/api/v1/environments/staging/freezes", TestConfig.CI,
                Json.obj("reason", "incident 4711", "group", group, "for", "4h"));
        ok(stop);
        String id = stop.json().path("id").asText();
        Event started = only(s, m, Event.FREEZE_STARTED);
        assertSubject(started, "staging", null, null, group, "ci");
        assertThat(started.data().get("id")).isEqualTo(id);
        assertThat(started.data().get("reason")).isEqualTo("incident 4711");
        assertThat(started.data().get("until")).isEqualTo("2026-12-02T16:00:00Z");
        assertThat(started.data().get("stopped_by")).isEqualTo("ci");

        m = mark(s);
        assertError(s.http.delete("/api/v1/environments/staging/freezes/" + id, TestConfig.STAGING_CI), 403, "FORBIDDEN");
        assertThat(since(s, m)).as("a refused lift writes no event").isEmpty();
        ok(s.http.delete("/api/v1/environments/staging/freezes/" + id, TestConfig.ADMIN));
        Event lifted = only(s, m, Event.FREEZE_LIFTED);
        assertSubject(lifted, "staging", null, null, group, "admin");
        assertThat(lifted.data().get("id")).isEqualTo(id);
        assertThat(lifted.data().get("lifted_by")).isEqualTo("admin");
        assertThat(lifted.data().get("stopped_by")).isEqualTo("ci");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void changingAPolicyWritesPolicyChangedWithTheDocumentAndAResetWithNull(StoreKind kind) {
        TestServer s = server(kind);
        String policy = "/api/v1/environments/staging/policy";
        long m = mark(s);
        assertError(s.http.put(policy, TestConfig.CI, "{\"policy\": {}, \"reason\": \"x\"}"), 403, "FORBIDDEN");
        assertError(s.http.put(policy, TestConfig.ADMIN, "{\"policy\": {\"approval\": {}}, \"reason\": \"typo\"}"),
                400, "INVALID_POLICY");
        assertThat(since(s, m)).as("a refused change writes no event").isEmpty();

        ok(s.http.put(policy, TestConfig.ADMIN, "{\"policy\": {\"approvals\": {\"count\": 2}}, \"reason\": \"CHG-77\"}"));
        try {
            assertPolicySet(s, m);
        } finally {
            m = mark(s);
            ok(s.http.delete(policy + "?reason=back%20to%20the%20file", TestConfig.ADMIN)); // staging's other tests need no policy
        }
        Event reset = only(s, m, Event.POLICY_CHANGED);
        assertThat(reset.data().get("action")).isEqualTo("reset_to_config");
        assertThat(reset.data().get("policy")).isNull();
        assertThat(reset.data()).containsKey("policy");
        assertThat(reset.id()).isGreaterThan(m);
    }

    private static void assertPolicySet(TestServer s, long m) {
        Event set = only(s, m, Event.POLICY_CHANGED);
        assertSubject(set, "staging", null, null, null, "admin");
        assertThat(set.data().get("action")).isEqualTo("set");
        assertThat(set.data().get("reason")).isEqualTo("CHG-77");
        assertThat(set.data().get("changed_by")).isEqualTo("admin");
        assertThat(set.data().get("policy")).isEqualTo(Map.of("approvals", Map.of("count", 2)));
        assertThat(((Number) set.data().get("seq")).longValue()).isPositive();
    }
}
