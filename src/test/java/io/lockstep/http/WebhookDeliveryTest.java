package io.lockstep.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.domain.Event;
import io.lockstep.domain.webhook.WebhookSignature;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import io.lockstep.testing.WebhookReceiver;
import io.lockstep.testing.WebhookReceiver.Answer;
import io.lockstep.testing.WebhookReceiver.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhook delivery end to end on both stores: real promotes through the API, a real HTTP receiver
 * ({@link WebhookReceiver}: the JDK's HttpServer on a loopback port, started by the test), signatures checked
 * the way a receiver checks them.
 */
class WebhookDeliveryTest {
    static final String SECRET = "whsec-test-0123456789abcdef";
    static final String WEBHOOKS = """
            events:
              webhooks: {allow_loopback: true, backoff_initial: 50ms, backoff_max: 800ms, connect_timeout: 1s,
                         response_timeout: 2s, lease: 6s, poll: 200ms, failing_after: 3}
            """;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final WebhookReceiver RECEIVER = new WebhookReceiver();

    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers(WEBHOOKS);

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    static Http.Response subscribe(TestServer s, String name, String path, String format, String group) {
        return s.http.post("/api/v1/subscriptions", TestConfig.ADMIN, Json.obj("name", name, "url", RECEIVER.url(path),
                "types", List.of(Event.PIN_PROMOTED), "groups", List.of(group), "format", format, "secret", SECRET));
    }

    static void subscribeOkAt(TestServer s, WebhookReceiver receiver, String name, String path, String group) {
        Http.Response r = s.http.post("/api/v1/subscriptions", TestConfig.ADMIN, Json.obj("name", name, "url",
                receiver.url(path), "types", List.of(Event.PIN_PROMOTED), "groups", List.of(group), "secret", SECRET));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    static void subscribeOk(TestServer s, String name, String path, String format, String group) {
        Http.Response r = subscribe(s, name, path, format, group);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** The Lockstep event ids a path received, in arrival order, after checking each signature. */
    static List<Long> verifiedIds(String path) {
        return verifiedIdsWith(RECEIVER, path, SECRET);
    }

    static List<Long> verifiedIdsWith(WebhookReceiver receiver, String path, String secret) {
        List<Long> ids = new ArrayList<>();
        for (Received r : receiver.at(path)) {
            long ts = Long.parseLong(r.header(WebhookSignature.TIMESTAMP_HEADER));
            assertThat(WebhookSignature.verify(secret, ts, r.body(), r.header(WebhookSignature.SIGNATURE_HEADER)))
                    .as("signature of " + r.text()).isTrue();
            ids.add(Long.parseLong(r.header(WebhookSignature.EVENT_ID_HEADER)));
        }
        return ids;
    }

    static JsonNode parse(Received r) {
        try {
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Ids of the store's pin.promoted events of {@code group}, in commit order. */
    static List<Long> promotedIds(TestServer s, String group) {
        return s.server.store().eventsAfter(0, 100_000).stream()
                .filter(e -> e.type().equals(Event.PIN_PROMOTED) && group.equals(e.group())).map(Event::id).toList();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aThousandPromotesArriveOncePerSubscriptionInOrderAndSigned(StoreKind kind) {
        TestServer s = servers.of(kind);
        String group = Unique.name("grp");
        String template = Api.newTemplate(s, group);
        String a = "/" + Unique.name("plain");
        String c = "/" + Unique.name("ce");
        subscribeOk(s, Unique.name("sub"), a, "lockstep", group);
        subscribeOk(s, Unique.name("sub"), c, "cloudevents", group);

        for (int i = 0; i < 1000; i++) {
            Api.promoteOk(s, template, Unique.digest());
        }
        List<Long> expected = promotedIds(s, group);
        assertThat(expected).hasSize(1000);
        assertThat(WebhookReceiver.await(Duration.ofSeconds(90), () -> RECEIVER.at(a).size() >= 1000
                && RECEIVER.at(c).size() >= 1000)).as("all delivered: %s and %s", RECEIVER.at(a).size(),
                RECEIVER.at(c).size()).isTrue();
        assertThat(verifiedIds(a)).containsExactlyElementsOf(expected);
        assertThat(verifiedIds(c)).containsExactlyElementsOf(expected);

        Received first = RECEIVER.at(a).get(0);
        assertThat(first.header("Content-Type")).isEqualTo("application/json");
        assertThat(parse(first).path("id").asLong()).isEqualTo(expected.get(0));
        assertThat(parse(first).path("template").asText()).isEqualTo(template);
        assertThat(first.text()).isEqualTo(io.lockstep.wire.EventJson.text(
                s.server.store().eventsAfter(expected.get(0) - 1, 1).get(0)));

        Received ce = RECEIVER.at(c).get(999);
        JsonNode env = parse(ce);
        assertThat(ce.header("Content-Type")).isEqualTo("application/cloudevents+json");
        assertThat(env.path("specversion").asText()).isEqualTo("1.0");
        assertThat(env.path("id").asText()).isEqualTo(Long.toString(expected.get(999)));
        assertThat(env.path("type").asText()).isEqualTo("io.lockstep.pin.promoted");
        assertThat(env.path("source").asText()).isEqualTo("/lockstep");
        assertThat(env.path("subject").asText()).isEqualTo("prod/" + template + "/global");
        assertThat(env.path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(env.path("data").path("id").asLong()).isEqualTo(expected.get(999));
    }

    /**
     * One outbox reader serves every subscription of the replica (each commit's events read once, each body built
     * once per format): subscriptions with different filters and formats each get exactly their events, in order,
     * each body being its own event's.
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void subscriptionsWithDifferentFiltersEachGetTheirOwnEventsInOrderFromTheSharedReader(StoreKind kind) {
        TestServer s = servers.of(kind);
        String groupA = Unique.name("grp");
        String groupB = Unique.name("grp");
        String inA = Api.newTemplate(s, groupA);
        String inB = Api.newTemplate(s, groupB);
        String a = "/" + Unique.name("a");
        String b = "/" + Unique.name("b");
        String aCe = "/" + Unique.name("ace");
        subscribeOk(s, Unique.name("sub"), a, "lockstep", groupA);
        subscribeOk(s, Unique.name("sub"), b, "lockstep", groupB);
        subscribeOk(s, Unique.name("sub"), aCe, "cloudevents", groupA);

        for (int i = 0; i < 150; i++) {
            Api.promoteOk(s, i % 3 == 0 ? inB : inA, Unique.digest());
        }
        List<Long> expectedA = promotedIds(s, groupA);
        List<Long> expectedB = promotedIds(s, groupB);
        assertThat(expectedA).hasSize(100);
        assertThat(expectedB).hasSize(50);
        assertThat(WebhookReceiver.await(Duration.ofSeconds(60), () -> RECEIVER.at(a).size() >= 100
                && RECEIVER.at(b).size() >= 50 && RECEIVER.at(aCe).size() >= 100)).isTrue();
        assertThat(verifiedIds(a)).containsExactlyElementsOf(expectedA);
        assertThat(verifiedIds(b)).containsExactlyElementsOf(expectedB);
        assertThat(verifiedIds(aCe)).containsExactlyElementsOf(expectedA);
        for (String path : List.of(a, b)) {
            for (Received r : RECEIVER.at(path)) {
                assertThat(parse(r).path("id").asLong()).isEqualTo(Long.parseLong(r.header(WebhookSignature.EVENT_ID_HEADER)));
                assertThat(parse(r).path("template").asText()).isEqualTo(path.equals(a) ? inA : inB);
            }
        }
        for (Received r : RECEIVER.at(aCe)) {
            assertThat(parse(r).path("specversion").asText()).isEqualTo("1.0");
            assertThat(parse(r).path("id").asText()).isEqualTo(r.header(WebhookSignature.EVENT_ID_HEADER));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFailingReceiverLosesNothingKeepsOrderAndIsRetriedWithGrowingBackoff(StoreKind kind) {
        TestServer s = servers.of(kind);
        String group = Unique.name("grp");
        String template = Api.newTemplate(s, group);
        String path = "/" + Unique.name("flaky");
        RECEIVER.answer(path, n -> n <= 5 ? Answer.status(500) : Answer.OK);
        String name = Unique.name("sub");
        subscribeOk(s, name, path, "lockstep", group);

        for (int i = 0; i < 4; i++) {
            Api.promoteOk(s, template, Unique.digest());
        }
        List<Long> expected = promotedIds(s, group);
        assertThat(WebhookReceiver.await(Duration.ofSeconds(10), () -> RECEIVER.at(path).size() >= 3))
                .isTrue();
        // failing_after: 3 → after three 500s in a row the subscription shows as failing
        assertThat(WebhookReceiver.await(Duration.ofSeconds(10), () -> s.http.get("/api/v1/subscriptions/" + name,
                TestConfig.ADMIN).json().path("status").asText().equals("failing"))).isTrue();

        assertThat(WebhookReceiver.await(Duration.ofSeconds(20), () -> RECEIVER.at(path).size() >= 5 + 4)).isTrue();
        List<Received> got = RECEIVER.at(path);
        List<Long> ids = verifiedIds(path);
        // the first five attempts were all the first event (order: nothing after it while it fails)
        assertThat(ids.subList(0, 6)).containsOnly(expected.get(0));
        assertThat(ids.subList(5, ids.size())).containsExactlyElementsOf(expected);
        // backoff grows: the wait before the 5th attempt is longer than the wait before the 2nd
        long firstGap = got.get(1).nanos() - got.get(0).nanos();
        long laterGap = got.get(4).nanos() - got.get(3).nanos();
        assertThat(laterGap).as("gaps %d ms then %d ms", firstGap / 1_000_000, laterGap / 1_000_000)
                .isGreaterThan(firstGap);

        JsonNode sub = s.http.get("/api/v1/subscriptions/" + name, TestConfig.ADMIN).json();
        assertThat(WebhookReceiver.await(Duration.ofSeconds(5), () -> s.http.get("/api/v1/subscriptions/" + name,
                TestConfig.ADMIN).json().path("status").asText().equals("ok"))).as(sub.toString()).isTrue();
        JsonNode log = s.http.get("/api/v1/subscriptions/" + name + "/deliveries", TestConfig.ADMIN).json();
        JsonNode oldest = log.path("deliveries").get(log.path("deliveries").size() - 1);
        assertThat(oldest.path("event_id").asLong()).isEqualTo(expected.get(0));
        assertThat(oldest.path("status").asText()).isEqualTo("delivered");
        assertThat(oldest.path("attempts").asInt()).isEqualTo(6);
        assertThat(oldest.path("http_status").asInt()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void retryAfterIsHonoured(StoreKind kind) {
        TestServer s = servers.of(kind);
        String group = Unique.name("grp");
        String template = Api.newTemplate(s, group);
        String path = "/" + Unique.name("busy");
        RECEIVER.answer(path, n -> n == 1 ? new Answer(503, "2", Duration.ZERO) : Answer.OK);
        subscribeOk(s, Unique.name("sub"), path, "lockstep", group);
        Api.promoteOk(s, template, Unique.digest());
        assertThat(WebhookReceiver.await(Duration.ofSeconds(10), () -> RECEIVER.at(path).size() >= 2)).isTrue();
        List<Received> got = RECEIVER.at(path);
        // backoff alone would retry within 50 ms; the receiver asked for 2 s
        assertThat(Duration.ofNanos(got.get(1).nanos() - got.get(0).nanos())).isGreaterThanOrEqualTo(
                Duration.ofMillis(1900));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aHangingReceiverDelaysNeitherOtherSubscriptionsNorPromotes(StoreKind kind) {
        TestServer s = servers.of(kind);
        String group = Unique.name("grp");
        String template = Api.newTemplate(s, group);
        String hang = "/" + Unique.name("hang");
        String fine = "/" + Unique.name("fine");
        RECEIVER.answer(hang, n -> new Answer(200, null, Duration.ofSeconds(30)));
        subscribeOk(s, Unique.name("sub"), hang, "lockstep", group);
        subscribeOk(s, Unique.name("sub"), fine, "slack", group);

        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            Api.promoteOk(s, template, Unique.digest());
            // a promote that waited for the hanging receiver would take at least its response timeout (2 s)
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1900));
            int want = i + 1;
            assertThat(WebhookReceiver.await(Duration.ofMillis(1500), () -> RECEIVER.at(fine).size() >= want))
                    .as("the other subscription's delivery %d while the first receiver hangs", want).isTrue();
        }
        assertThat(verifiedIds(fine)).containsExactlyElementsOf(promotedIds(s, group));
        JsonNode slack = parse(RECEIVER.at(fine).get(0));
        assertThat(slack.path("text").asText()).contains(template).contains("prod").contains("promoted").contains("ci");
        assertThat(slack.path("attachments").get(0).path("fields").toString()).contains("Environment");
    }
}
