package io.lockstep.server;

import io.lockstep.domain.webhook.WebhookSignature;
import io.lockstep.store.DatabaseSettings;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.Unique;
import io.lockstep.testing.WebhookReceiver;
import io.lockstep.testing.WebhookReceiver.Answer;
import io.lockstep.testing.WebhookReceiver.Received;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica dies mid-delivery with the subscription's lease in hand (PostgreSQL, two real server processes of
 * the jar on one database, {@code events.webhooks.lease: 6s}; the receiver is a real HTTP server on loopback,
 * the JDK HttpServer, answering slowly so a delivery is always in flight). While both replicas live, the
 * holder keeps the lease (renewed before every attempt) and the receiver counts each event once; after the
 * SIGKILL the other replica takes the subscription once the lease has run out and delivers every event, the one
 * that was in flight again (at least once), first arrivals in id order.
 */
class WebhookReplicaCrashIT {
    private static final String SECRET = TestConfig.HOOK;

    @TempDir
    Path dir;

    @Test
    void theOtherReplicaTakesOverAfterTheLeaseOfAKilledOneRunsOut() throws Exception {
        DatabaseSettings db = TestDatabases.freshPostgres();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            AtomicBoolean slow = new AtomicBoolean(true);
            receiver.answer("/replica", n -> new Answer(200, null, Duration.ofMillis(slow.get() ? 700 : 0)));
            String yaml = TestConfig.yaml("""
                    events:
                      webhooks: {allow_loopback: true, backoff_initial: 50ms, backoff_max: 500ms, poll: 200ms,
                                 connect_timeout: 1s, response_timeout: 2s, lease: 6s}
                      subscriptions:
                        - {name: replica, url: "%s", types: [pin.promoted], secret_env: T_HOOK}
                    """.formatted(receiver.url("/replica")));
            ServerProcess.Spec spec = ServerProcess.spec(dir).database(db).config(yaml);
            try (ServerProcess a = spec.start()) {
                for (int i = 0; i < 60; i++) {
                    promote(a.http());
                }
                // a alone: it holds the lease and is delivering, 700 ms per event
                assertThat(WebhookReceiver.await(Duration.ofSeconds(20), () -> receiver.at("/replica").size() >= 1))
                        .isTrue();
                try (ServerProcess b = spec.start()) {
                    int atStart = receiver.at("/replica").size();
                    // b is running its worker too; a keeps the lease through deliveries lasting longer than one lease
                    assertThat(WebhookReceiver.await(Duration.ofSeconds(30),
                            () -> receiver.at("/replica").size() >= atStart + 10)).isTrue();
                    int sent = receiver.at("/replica").size();
                    assertThat(WebhookReceiver.await(Duration.ofSeconds(5),
                            () -> receiver.at("/replica").size() > sent)).isTrue();
                    a.kill(); // right after a request arrived: its 700 ms answer is still pending
                    long killedAt = System.nanoTime();
                    List<Long> beforeKill = ids(receiver);
                    assertThat(beforeKill).as("each event once while both replicas live").doesNotHaveDuplicates();
                    long inFlight = beforeKill.get(beforeKill.size() - 1);
                    slow.set(false);

                    List<Long> expected = promotedIds(b.http());
                    assertThat(expected).hasSize(60);
                    assertThat(beforeKill.size()).as("the kill came before every delivery").isLessThan(60);
                    assertThat(WebhookReceiver.await(Duration.ofSeconds(60), () -> new LinkedHashSet<>(ids(receiver))
                            .containsAll(expected))).as("received %s", ids(receiver).size()).isTrue();
                    List<Received> all = receiver.at("/replica");
                    long firstAfterKill = all.get(beforeKill.size()).nanos();
                    assertThat(Duration.ofNanos(firstAfterKill - killedAt)).as("b waited for a's lease to run out")
                            .isGreaterThan(Duration.ofSeconds(1));
                    List<Long> got = ids(receiver);
                    assertThat(new ArrayList<>(new LinkedHashSet<>(got))).containsExactlyElementsOf(expected);
                    assertThat(got.subList(beforeKill.size(), got.size())).as("the event in flight, again")
                            .startsWith(inFlight);

                    // b carries on with what follows
                    for (int i = 0; i < 5; i++) {
                        promote(b.http());
                    }
                    List<Long> more = promotedIds(b.http());
                    assertThat(WebhookReceiver.await(Duration.ofSeconds(30), () -> new LinkedHashSet<>(ids(receiver))
                            .containsAll(more))).isTrue();
                    assertThat(new ArrayList<>(new LinkedHashSet<>(ids(receiver)))).containsExactlyElementsOf(more);
                }
            }
        }
    }

    private static void promote(Http http) {
        Http.Response r = http.post("/api/v1/environments/prod/pins/hermes/promote", TestConfig.CI,
                Json.obj("image_digest", Unique.digest()));
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }

    /** The event ids in order of arrival (duplicates included), after checking each signature. */
    private static List<Long> ids(WebhookReceiver receiver) {
        List<Long> ids = new ArrayList<>();
        for (Received r : receiver.at("/replica")) {
            long ts = Long.parseLong(r.header(WebhookSignature.TIMESTAMP_HEADER));
            assertThat(WebhookSignature.verify(SECRET, ts, r.body(), r.header(WebhookSignature.SIGNATURE_HEADER)))
                    .isTrue();
            ids.add(Long.parseLong(r.header(WebhookSignature.EVENT_ID_HEADER)));
        }
        return ids;
    }

    private static List<Long> promotedIds(Http http) {
        Http.Response r = http.get("/api/v1/events?type=pin.promoted&limit=1000", TestConfig.READER);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        r.json().path("events").forEach(e -> ids.add(e.path("id").asLong()));
        return ids;
    }
}
