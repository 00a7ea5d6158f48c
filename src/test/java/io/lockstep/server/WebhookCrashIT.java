package io.lockstep.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.Unique;
import io.lockstep.testing.WebhookReceiver;
import io.lockstep.testing.WebhookReceiver.Answer;
import io.lockstep.testing.WebhookReceiver.Received;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL while webhooks are being delivered (both stores, the real jar in its own process, a real receiver:
 * the JDK HttpServer on loopback, answering slowly so deliveries lag behind the promotes): after a restart on
 * the same data every acknowledged promote's event reaches the receiver at least once, first arrivals in
 * commit order. The second test kills while promotes are in flight too, and then holds the outbox (read through
 * {@code GET /api/v1/events} pages) against the pins' history: an event exists exactly for each promote that
 * committed, whatever its caller was told.
 */
class WebhookCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyAcknowledgedPromoteIsDeliveredAfterAKillMidDelivery(StoreKind store) throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer("/crash", n -> new Answer(200, null, Duration.ofMillis(40)));
            String yaml = TestConfig.yaml("""
                    events:
                      webhooks: {allow_loopback: true, backoff_initial: 50ms, backoff_max: 500ms, poll: 200ms,
                                 connect_timeout: 1s, response_timeout: 2s, lease: 6s}
                      subscriptions:
                        - {name: crash, url: "%s", types: [pin.promoted], secret_env: T_HOOK}
                    """.formatted(receiver.url("/crash")));
            ServerProcess.Spec spec = ServerProcess.spec(dir).database(store.create(dir)).config(yaml);
            List<String> acknowledged = new ArrayList<>();
            try (ServerProcess first = spec.start()) {
                Http http = first.http();
                for (int i = 0; i < 60; i++) {
                    String digest = Unique.digest();
                    Http.Response r = http.post("/api/v1/environments/prod/pins/hermes/promote", TestConfig.CI,
                            Json.obj("image_digest", digest));
                    if (r.status() == 200 || r.status() == 201) {
                        acknowledged.add(digest);
                    }
                }
                assertThat(WebhookReceiver.await(Duration.ofSeconds(20), () -> receiver.at("/crash").size() >= 5))
                        .isTrue();
                first.kill(); // SIGKILL mid-delivery: 60 promotes at 40 ms per delivery are not all out yet
            }
            int beforeRestart = receiver.at("/crash").size();
            assertThat(beforeRestart).as("the kill came before every delivery").isLessThan(60);
            try (ServerProcess second = spec.start()) {
                assertThat(WebhookReceiver.await(Duration.ofSeconds(60), () -> digests(receiver).containsAll(
                        acknowledged))).as("received %s of %s", digests(receiver).size(), acknowledged.size()).isTrue();
            }
            assertThat(acknowledged).hasSize(60);
            assertThat(new ArrayList<>(digests(receiver))).containsExactlyElementsOf(acknowledged);
        }
    }

    /** One promote request and what its caller learnt: an HTTP status, or {@link #NO_ANSWER} (the kill reset it). */
    private record Attempt(String template, String digest, int status) {
        boolean acknowledged() {
            return status >= 200 && status < 300;
        }
    }

    private static final int NO_ANSWER = -1;
    private static final List<String> TEMPLATES = List.of("hermes", "codex", "openclaw", "claude-code");

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aKillDuringPromotesAndDeliveriesLeavesAnEventExactlyForEachCommittedPromote(StoreKind store)
            throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer("/crash", n -> new Answer(200, null, Duration.ofMillis(40)));
            String yaml = TestConfig.yaml("""
                    events:
                      webhooks: {allow_loopback: true, backoff_initial: 50ms, backoff_max: 500ms, poll: 200ms,
                                 connect_timeout: 1s, response_timeout: 2s, lease: 6s}
                      subscriptions:
                        - {name: crash, url: "%s", types: [pin.promoted], secret_env: T_HOOK}
                    """.formatted(receiver.url("/crash")));
            ServerProcess.Spec spec = ServerProcess.spec(dir).database(store.create(dir)).config(yaml);
            List<Attempt> attempts = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            try (ServerProcess first = spec.start()) {
                Http http = first.http();
                List<Thread> promoters = new ArrayList<>();
                for (String template : TEMPLATES) { // one pin each: every promote is a real move, none refused
                    Thread t = new Thread(() -> {
                        while (!stop.get()) {
                            String digest = Unique.digest();
                            int status;
                            try {
                                status = http.post("/api/v1/environments/prod/pins/" + template + "/promote",
                                        TestConfig.CI, Json.obj("image_digest", digest)).status();
                            } catch (RuntimeException e) { // connection reset or refused: the caller cannot know
                                status = NO_ANSWER;
                            }
                            attempts.add(new Attempt(template, digest, status));
                        }
                    }, "promoter-" + template);
                    t.start();
                    promoters.add(t);
                }
                assertThat(WebhookReceiver.await(Duration.ofSeconds(30), () -> receiver.at("/crash").size() >= 10))
                        .isTrue();
                first.kill(); // the promoters are mid-request and the deliveries lag behind
                stop.set(true);
                for (Thread t : promoters) {
                    t.join(30_000);
                }
            }
            List<Attempt> all = List.copyOf(attempts);
            long acknowledged = all.stream().filter(Attempt::acknowledged).count();
            long unanswered = all.stream().filter(a -> a.status() == NO_ANSWER).count();
            assertThat(acknowledged).as("promotes acknowledged before the kill").isGreaterThan(10);
            assertThat(all).as("every answered promote was acknowledged (one pin per promoter, new digests)")
                    .allMatch(a -> a.acknowledged() || a.status() == NO_ANSWER);
            int beforeRestart = receiver.at("/crash").size();
            assertThat(beforeRestart).as("the kill came before every delivery").isLessThan((int) acknowledged);

            try (ServerProcess second = spec.start()) {
                Http http = second.http();
                List<JsonNode> events = promotedEvents(http);
                Map<String, Map<Long, String>> history = new java.util.HashMap<>(); // template -> seq -> to_digest
                for (String template : TEMPLATES) {
                    history.put(template, promoteHistory(http, template));
                }
                // 1. every event names a promote that committed: in the history, at its history_seq, same digest
                Set<String> eventKeys = new java.util.HashSet<>();
                Set<String> eventDigests = new LinkedHashSet<>();
                for (JsonNode e : events) {
                    String template = e.path("template").asText();
                    long seq = e.path("data").path("history_seq").asLong();
                    String digest = e.path("data").path("to").path("digest").asText();
                    assertThat(history.get(template)).as("event %s", e).containsEntry(seq, digest);
                    assertThat(eventKeys.add(template + "#" + seq)).as("one event per history entry: %s", e).isTrue();
                    eventDigests.add(digest);
                }
                // 2. every committed promote has its event (the history and the outbox agree in both directions)
                int committed = history.values().stream().mapToInt(Map::size).sum();
                assertThat(events).as("events vs committed promotes").hasSize(committed);
                Set<String> historyDigests = new java.util.HashSet<>();
                history.values().forEach(h -> historyDigests.addAll(h.values()));
                // 3. per request: acknowledged => committed with its event; unanswered => both or neither
                for (Attempt a : all) {
                    boolean inHistory = historyDigests.contains(a.digest());
                    boolean hasEvent = eventDigests.contains(a.digest());
                    if (a.acknowledged()) {
                        assertThat(inHistory && hasEvent).as("acknowledged %s: history %s, event %s", a, inHistory,
                                hasEvent).isTrue();
                    } else {
                        assertThat(hasEvent).as("unanswered %s: event iff committed", a).isEqualTo(inHistory);
                    }
                }
                assertThat(historyDigests).as("nothing committed that no request asked for")
                        .isSubsetOf(all.stream().map(Attempt::digest).toList());
                // 4. every event (so every acknowledged promote) reaches the receiver, first arrivals in id order
                assertThat(WebhookReceiver.await(Duration.ofSeconds(90), () -> digests(receiver).containsAll(
                        eventDigests))).as("received %s of %s events (%s promotes acknowledged, %s unanswered)",
                        digests(receiver).size(), eventDigests.size(), acknowledged, unanswered).isTrue();
                assertThat(new ArrayList<>(digests(receiver))).containsExactlyElementsOf(eventDigests);
            }
        }
    }

    /** Every pin.promoted event of the outbox, in id order, through the JSON pages of GET /api/v1/events. */
    private static List<JsonNode> promotedEvents(Http http) {
        List<JsonNode> out = new ArrayList<>();
        long after = 0;
        while (true) {
            Http.Response r = http.get("/api/v1/events?type=pin.promoted&limit=1000&after=" + after, TestConfig.READER);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            r.json().path("events").forEach(out::add);
            after = r.json().path("next_after").asLong();
            if (!r.json().path("more").asBoolean()) {
                return out;
            }
        }
    }

    /** A prod pin's promote entries through GET …/history pages: seq to the digest it moved to. */
    private static Map<Long, String> promoteHistory(Http http, String template) {
        Map<Long, String> out = new java.util.HashMap<>();
        String before = "";
        while (true) {
            Http.Response r = http.get("/api/v1/environments/prod/pins/" + template + "/history?limit=500" + before,
                    TestConfig.READER);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            for (JsonNode e : r.json().path("entries")) {
                if (e.path("action").asText().equals("promote")) {
                    out.put(e.path("seq").asLong(), e.path("to_digest").asText());
                }
            }
            if (r.json().path("next_before").isNull() || r.json().path("next_before").isMissingNode()) {
                return out;
            }
            before = "&before=" + r.json().path("next_before").asLong();
        }
    }

    /** The promoted digests in order of first arrival, after checking each signature. */
    private static Set<String> digests(WebhookReceiver receiver) {
        Set<String> out = new LinkedHashSet<>();
        for (Received r : receiver.at("/crash")) {
            long ts = Long.parseLong(r.header("X-Lockstep-Timestamp"));
            assertThat(io.lockstep.domain.webhook.WebhookSignature.verify(TestConfig.HOOK, ts, r.body(),
                    r.header("X-Lockstep-Signature"))).isTrue();
            try {
                out.add(JSON.readTree(r.body()).path("data").path("to").path("digest").asText());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }
}
