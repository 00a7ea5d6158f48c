package io.lockstep.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.domain.Event;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.lockstep.http.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 item 3 on both stores: {@code GET /api/v1/events} as JSON pages and as Server-Sent Events, with
 * events made by real promotes, rollbacks and release promotes through the API. The stream is read on a plain
 * socket ({@link SseConnection}) so a disconnect is a real one.
 */
class EventStreamApiTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    // Observed events off: these tests count exactly the events their own writes cause.
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers(
            "events:\n  drift_interval: 0s\n  stream: {max_clients: 3, heartbeat: 300ms, poll: 1s}\n");

    private record Group(String name, List<String> members) {
    }

    private static Group newGroup(TestServer s) {
        String g = Unique.name("grp");
        return new Group(g, List.of(Api.newTemplate(s, g), Api.newTemplate(s, g), Api.newTemplate(s, g)));
    }

    private static void promote(TestServer s, String env, String template, String digest) {
        Http.Response p = s.http.post("/api/v1/environments/" + env + "/pins/" + template + "/promote", TestConfig.ADMIN,
                Json.obj("image_digest", digest));
        assertThat(p.status()).as(p.body()).isIn(200, 201);
    }

    private static JsonNode page(TestServer s, String token, String query) {
        Http.Response r = s.http.get("/api/v1/events" + query, token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<String> types(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("events").forEach(e -> out.add(e.path("type").asText()));
        return out;
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> out = new ArrayList<>();
        page.path("events").forEach(e -> out.add(e.path("id").asLong()));
        return out;
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void pagesListARunsEventsOldestFirstAndFiltersNarrowThem(StoreKind kind) {
        TestServer s = servers.of(kind);
        Group g = newGroup(s);
        String t = g.members().get(0);
        String d1 = Unique.digest();
        promote(s, "staging", t, d1);
        promote(s, "prod", t, d1);
        promote(s, "prod", t, Unique.digest());
        Http.Response rb = s.http.post("/api/v1/environments/prod/pins/" + t + "/rollback", TestConfig.CI, "{}");
        assertThat(rb.status()).as(rb.body()).isEqualTo(200);
        Map<String, String> images = new LinkedHashMap<>();
        g.members().forEach(m -> images.put(m, Unique.digest()));
        Http.Response reg = s.http.post("/api/v1/releases", TestConfig.CI, Json.obj("group", g.name(),
                "runtime_version", "1.0.0", "git_sha", "19f3175", "images", images));
        assertThat(reg.status()).as(reg.body()).isEqualTo(201);
        Http.Response rp = s.http.post("/api/v1/environments/staging/releases/" + g.name() + "@1.0.0/promote",
                TestConfig.CI, "{}");
        assertThat(rp.status()).as(rp.body()).isEqualTo(200);

        JsonNode all = page(s, TestConfig.READER, "?group=" + g.name());
        List<String> types = types(all);
        assertThat(types.subList(0, 4)).containsExactly(Event.PIN_PROMOTED, Event.PIN_PROMOTED, Event.PIN_PROMOTED,
                Event.PIN_ROLLED_BACK);
        assertThat(types.subList(4, types.size())).containsExactly(Event.RELEASE_REGISTERED,
                Event.PIN_PROMOTED, Event.PIN_PROMOTED, Event.PIN_PROMOTED, Event.RELEASE_PROMOTED);
        assertThat(ids(all)).isSorted().doesNotHaveDuplicates();
        // exactly what the outbox holds for the group: nothing skipped, nothing added
        List<Long> stored = s.server.store().eventsAfter(0, 100_000).stream()
                .filter(e -> g.name().equals(e.group())).map(Event::id).toList();
        assertThat(ids(all)).isEqualTo(stored);
        assertThat(all.path("more").asBoolean()).isFalse();
        JsonNode first = all.path("events").get(0);
        assertThat(first.path("version").asInt()).isEqualTo(Event.VERSION);
        assertThat(first.path("environment").asText()).isEqualTo("staging");
        assertThat(first.path("template").asText()).isEqualTo(t);
        assertThat(first.path("actor").asText()).isEqualTo("admin");

        JsonNode rolledBack = page(s, TestConfig.READER, "?group=" + g.name() + "&type=pin.rolled_back");
        assertThat(types(rolledBack)).containsExactly(Event.PIN_ROLLED_BACK);
        assertThat(rolledBack.path("events").get(0).path("environment").asText()).isEqualTo("prod");
        assertThat(types(page(s, TestConfig.READER, "?group=" + g.name() + "&type=release.promoted,pin.rolled_back")))
                .containsExactly(Event.PIN_ROLLED_BACK, Event.RELEASE_PROMOTED);
        JsonNode staging = page(s, TestConfig.READER, "?group=" + g.name() + "&environment=staging");
        assertThat(staging.path("events").size()).isEqualTo(5);
        staging.path("events").forEach(e -> assertThat(e.path("environment").asText()).isEqualTo("staging"));

        // paging with limit: the cursor walks the same list, no gap, no duplicate
        List<Long> walked = new ArrayList<>();
        long after = 0;
        boolean more = true;
        int pages = 0;
        while (more) {
            JsonNode p = page(s, TestConfig.READER, "?group=" + g.name() + "&limit=3&after=" + after);
            walked.addAll(ids(p));
            after = p.path("next_after").asLong();
            more = p.path("more").asBoolean();
            pages++;
        }
        assertThat(walked).isEqualTo(ids(all));
        assertThat(pages).isGreaterThanOrEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void badInputIsAPrecise400AndNeedsAReader(StoreKind kind) throws Exception {
        TestServer s = servers.of(kind);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("?type=pin.moved", "INVALID_PARAMETER");
        bad.put("?type=pin.promoted,", "INVALID_PARAMETER");
        bad.put("?after=-1", "INVALID_PARAMETER");
        bad.put("?after=abc", "INVALID_PARAMETER");
        bad.put("?limit=0", "INVALID_PARAMETER");
        bad.put("?limit=1001", "INVALID_PARAMETER");
        bad.put("?limit=ten", "INVALID_PARAMETER");
        bad.put("?group=Bad%20Group", "INVALID_NAME");
        bad.put("?environment=", "INVALID_NAME");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            Http.Response r = s.http.get("/api/v1/events" + b.getKey(), TestConfig.READER);
            assertError(r, 400, b.getValue());
        }
        assertThat(s.http.get("/api/v1/events?type=pin.moved", TestConfig.READER).json().path("error").asText())
                .contains("\"pin.moved\" is not an event type");
        assertError(s.http.get("/api/v1/events?environment=qa", TestConfig.READER), 404, "UNKNOWN_ENVIRONMENT");
        assertError(s.http.get("/api/v1/events", null), 401, "UNAUTHENTICATED");
        assertError(s.http.get("/api/v1/events", TestConfig.REPORTER), 403, "FORBIDDEN");
        try (SseConnection c = new SseConnection(s.url(), "/api/v1/events", TestConfig.READER, "seven")) {
            assertThat(c.status).isEqualTo(400);
            assertThat(c.errorBody).contains("INVALID_PARAMETER").contains("Last-Event-ID");
        }
        try (SseConnection c = new SseConnection(s.url(), "/api/v1/events?type=nope", TestConfig.READER, null)) {
            assertThat(c.status).isEqualTo(400);
        }
        try (SseConnection c = new SseConnection(s.url(), "/api/v1/events", null, null)) {
            assertThat(c.status).isEqualTo(401);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCursorOlderThanRetentionIsRefusedNotSilentlySkipped(StoreKind kind) throws Exception {
        TestServer s = servers.of(kind);
        Group g = newGroup(s);
        long before = s.server.store().lastEventId();
        for (String t : g.members()) {
            promote(s, "staging", t, Unique.digest());
        }
        long last = s.server.store().lastEventId();
        s.server.store().deleteEvents(s.clock.instant().plus(Duration.ofDays(1)), last - 1);
        Http.Response gone = s.http.get("/api/v1/events?after=" + before, TestConfig.READER);
        assertError(gone, 410, "EVENTS_EXPIRED");
        assertThat(gone.json().path("oldest_id").asLong()).isEqualTo(last);
        try (SseConnection c = new SseConnection(s.url(), "/api/v1/events", TestConfig.READER, Long.toString(before))) {
            assertThat(c.status).isEqualTo(410);
            assertThat(c.errorBody).contains("EVENTS_EXPIRED");
        }
        // from the oldest kept on, and without a cursor, it reads on
        assertThat(ids(page(s, TestConfig.READER, "?after=" + (last - 1)))).containsExactly(last);
        assertThat(ids(page(s, TestConfig.READER, ""))).containsExactly(last);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aClientThatReconnectsWithLastEventIdGetsExactlyWhatItMissed(StoreKind kind) throws Exception {
        TestServer s = servers.of(kind);
        Group g = newGroup(s);
        String t = g.members().get(0);
        String path = "/api/v1/events?group=" + g.name();
        List<SseConnection.Message> seen = new ArrayList<>();
        try (SseConnection c = new SseConnection(s.url(), path, TestConfig.READER, null)) {
            assertThat(c.status).isEqualTo(200);
            assertThat(c.head).containsIgnoringCase("content-type: text/event-stream");
            eventually("the stream is open", () -> s.server.eventRoutes().openStreams() == 1);
            promote(s, "staging", t, Unique.digest());
            promote(s, "prod", t, Unique.digest());
            seen.addAll(c.take(2, WAIT));
        }
        // the server notices the gone client (at its next heartbeat) and frees its place
        eventually("the closed stream is cleaned up", () -> s.server.eventRoutes().openStreams() == 0);
        for (String m : g.members()) {
            promote(s, "staging", m, Unique.digest());
        }
        long resumeFrom = seen.get(seen.size() - 1).id();
        try (SseConnection c = new SseConnection(s.url(), path, TestConfig.READER, Long.toString(resumeFrom))) {
            seen.addAll(c.take(3, WAIT));
            assertThat(c.poll(Duration.ofMillis(500))).as("nothing beyond the missed events").isNull();
            promote(s, "prod", t, Unique.digest());
            seen.addAll(c.take(1, WAIT));
        }
        // exactly the group's events in the outbox, in order: no gap, no duplicate
        List<Long> stored = s.server.store().eventsAfter(0, 100_000).stream()
                .filter(e -> g.name().equals(e.group())).map(Event::id).toList();
        assertThat(seen.stream().map(SseConnection.Message::id).toList()).isEqualTo(stored);
        for (SseConnection.Message m : seen) {
            assertThat(m.type()).isEqualTo(Event.PIN_PROMOTED);
            assertThat(m.data().path("id").asLong()).isEqualTo(m.id());
            assertThat(m.data().path("type").asText()).isEqualTo(m.type());
        }
        assertThat(seen.get(0).data().path("environment").asText()).isEqualTo("staging");
        assertThat(seen.get(1).data().path("environment").asText()).isEqualTo("prod");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEnvironmentLimitedTokenNeverSeesAnotherEnvironmentsEvents(StoreKind kind) throws Exception {
        TestServer s = servers.of(kind);
        Group g = newGroup(s);
        String t = g.members().get(0);
        long before = s.server.store().lastEventId();
        String path = "/api/v1/events?group=" + g.name() + "&after=" + before;
        try (SseConnection limited = new SseConnection(s.url(), path, TestConfig.STAGING_READER, null);
             SseConnection full = new SseConnection(s.url(), path, TestConfig.READER, null)) {
            promote(s, "prod", t, Unique.digest());
            promote(s, "staging", t, Unique.digest());
            promote(s, "prod", g.members().get(1), Unique.digest());
            promote(s, "staging", g.members().get(1), Unique.digest());
            List<SseConnection.Message> all = full.take(4, WAIT);
            assertThat(all).extracting(m -> m.data().path("environment").asText())
                    .containsExactly("prod", "staging", "prod", "staging");
            List<SseConnection.Message> mine = limited.take(2, WAIT);
            assertThat(mine).extracting(m -> m.data().path("environment").asText()).containsOnly("staging");
            assertThat(mine).extracting(SseConnection.Message::id).containsExactly(all.get(1).id(), all.get(3).id());
            assertThat(limited.poll(Duration.ofMillis(500))).as("no prod event follows").isNull();
        }
        JsonNode page = page(s, TestConfig.STAGING_READER, "?group=" + g.name());
        assertThat(page.path("events").size()).isEqualTo(2);
        page.path("events").forEach(e -> assertThat(e.path("environment").asText()).isEqualTo("staging"));
        assertThat(page(s, TestConfig.READER, "?group=" + g.name()).path("events").size()).isEqualTo(4);
        Http.Response prod = s.http.get("/api/v1/events?environment=prod", TestConfig.STAGING_READER);
        assertError(prod, 403, "FORBIDDEN");
        assertError(s.http.get("/api/v1/events?environment=qa", TestConfig.STAGING_READER), 403, "FORBIDDEN");
        try (SseConnection c = new SseConnection(s.url(), "/api/v1/events?environment=prod", TestConfig.STAGING_READER, null)) {
            assertThat(c.status).isEqualTo(403);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void streamsAreLimitedAndAnIdleStreamSendsHeartbeats(StoreKind kind) throws Exception {
        TestServer s = servers.of(kind);
        eventually("no stream left from earlier tests", () -> s.server.eventRoutes().openStreams() == 0);
        List<SseConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                SseConnection c = new SseConnection(s.url(), "/api/v1/events", TestConfig.READER, null);
                open.add(c);
                assertThat(c.status).isEqualTo(200);
            }
            try (SseConnection fourth = new SseConnection(s.url(), "/api/v1/events", TestConfig.READER, null)) {
                assertThat(fourth.status).isEqualTo(503);
                assertThat(fourth.head).containsIgnoringCase("Retry-After:");
                assertThat(fourth.errorBody).contains("SERVER_BUSY").contains("max_clients");
            }
            // pages are not streams: they still answer
            assertThat(s.http.get("/api/v1/events?limit=1", TestConfig.READER).status()).isEqualTo(200);
            assertThat(open.get(0).comment(WAIT)).startsWith(": lockstep event stream");
            assertThat(open.get(0).comment(WAIT)).isEqualTo(": heartbeat");
            open.remove(0).close();
            eventually("a closed stream frees its place", () -> s.server.eventRoutes().openStreams() == 2);
            try (SseConnection again = new SseConnection(s.url(), "/api/v1/events", TestConfig.READER, null)) {
                assertThat(again.status).isEqualTo(200);
            }
        } finally {
            for (SseConnection c : open) {
                c.close();
            }
        }
    }
}
