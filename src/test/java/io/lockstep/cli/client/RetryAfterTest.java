package io.lockstep.cli.client;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11 item 10: the CLI waits what the server's {@code Retry-After} asks (delta-seconds or
 * HTTP-date, bounded), falls back to its interval without one, and stops at once when a fence ends
 * after the retry budget. A real HTTP server on loopback answers; the waits are recorded by a clock
 * that never sleeps.
 */
class RetryAfterTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private static final String FENCED = "{\"error\":\"Environment prod is fenced\",\"code\":\"FENCED\",\"retryable\":true,"
            + "\"fence_id\":\"f-9\",\"fenced_by\":\"oncall\",\"reason\":\"db migration\",\"expires_at\":\"2026-11-30T12:10:00Z\"}";

    /** One scripted answer: status, Retry-After (null: none) and body. */
    record Answer(int status, String retryAfter, String body) {
    }

    /** Time that moves only when the client waits; every wait is recorded. */
    static final class RecordingClock implements RetryClock {
        Instant now = T0;
        final List<Duration> waits = new ArrayList<>();

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public void sleep(Duration d) {
            waits.add(d);
            now = now.plus(d);
        }
    }

    private HttpServer server;
    private final Deque<Answer> script = new ConcurrentLinkedDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final RecordingClock clock = new RecordingClock();
    private final List<String> notices = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            Answer a = script.size() > 1 ? script.poll() : script.peek();
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (a.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", a.retryAfter());
            }
            exchange.sendResponseHeaders(a.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ApiResponse promote(Duration interval, Duration budget) {
        Target target = new Target("prod-cp", URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "prod",
                null, null);
        return new LockstepClient(target, HttpTrace.off()).postWithRetry("/promote", Map.of("image_digest", "x"),
                new CallRetry(interval, budget), notices::add, clock);
    }

    private void answer(int status, String retryAfter, String body) {
        script.add(new Answer(status, retryAfter, body));
    }

    @Test
    void deltaSecondsAreWaitedInsteadOfTheInterval() {
        answer(409, "7", FENCED);
        answer(409, "3", FENCED);
        answer(201, null, "{}");

        ApiResponse r = promote(Duration.ofSeconds(5), Duration.ofSeconds(180));

        assertThat(r.status()).isEqualTo(201);
        assertThat(clock.waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(3));
        assertThat(requests.get()).isEqualTo(3);
        assertThat(notices.get(0)).contains("prod-cp: attempt 1 got HTTP 409").contains("retrying in 7s (Retry-After: 7)");
    }

    @Test
    void anHttpDateIsWaitedUntil() {
        answer(409, DateTimeFormatter.RFC_1123_DATE_TIME.format(T0.plusSeconds(12).atOffset(ZoneOffset.UTC)), FENCED);
        answer(201, null, "{}");

        assertThat(promote(Duration.ofSeconds(5), Duration.ofSeconds(180)).status()).isEqualTo(201);
        assertThat(clock.waits).containsExactly(Duration.ofSeconds(12));
    }

    @Test
    void withoutTheHeaderTheIntervalIsTheWaitAndAnUnreadableOneIsIgnored() {
        String noHint = "{\"error\":\"busy\",\"code\":\"FENCED\",\"retryable\":true}";
        answer(409, null, noHint);
        answer(409, "soon", noHint);
        answer(201, null, "{}");

        assertThat(promote(Duration.ofSeconds(5), Duration.ofSeconds(180)).status()).isEqualTo(201);
        assertThat(clock.waits).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void aProxyThatDroppedTheHeaderLeavesTheBodysRetryAfterSeconds() {
        answer(409, null, FENCED.replace("}", ",\"retry_after_seconds\":9}"));
        answer(201, null, "{}");

        assertThat(promote(Duration.ofSeconds(5), Duration.ofSeconds(180)).status()).isEqualTo(201);
        assertThat(clock.waits).containsExactly(Duration.ofSeconds(9));
    }

    @Test
    void theWaitIsBoundedBelowAndAbove() {
        answer(409, "0", FENCED);
        answer(409, "1200", FENCED);
        answer(201, null, "{}");

        assertThat(promote(Duration.ofSeconds(5), Duration.ofHours(1)).status()).isEqualTo(201);
        // "now" is not hammered; 20 minutes is asked again after 5 (the server answers with a fresh Retry-After)
        assertThat(clock.waits).containsExactly(CallRetry.SHORTEST_WAIT, CallRetry.LONGEST_WAIT);
    }

    @Test
    void aFenceEndingAfterTheBudgetFailsAtOnceNamingEnvironmentFenceEndAndBudget() {
        answer(409, "600", FENCED);

        ApiResponse r = promote(Duration.ofSeconds(5), Duration.ofSeconds(180));

        assertThat(r.status()).isEqualTo(409);
        assertThat(requests.get()).as("one attempt, no retry").isEqualTo(1);
        assertThat(clock.waits).isEmpty();
        assertThat(notices).containsExactly("prod-cp: attempt 1: environment prod is fenced (fence f-9 by oncall: db migration)"
                + " until 2026-11-30T12:10:00Z, beyond the retry budget (180s, 180s left); not retrying");
    }

    @Test
    void aFenceThatOutlastsWhatIsLeftOfTheBudgetStopsWhenItNoLongerFits() {
        answer(409, "100", FENCED);
        answer(409, "100", FENCED);

        ApiResponse r = promote(Duration.ofSeconds(5), Duration.ofSeconds(180));

        assertThat(r.status()).isEqualTo(409);
        assertThat(clock.waits).containsExactly(Duration.ofSeconds(100));
        assertThat(requests.get()).isEqualTo(2);
        assertThat(notices.get(1)).contains("beyond the retry budget (180s, 80s left); not retrying");
    }

    @Test
    void anyOtherRetryable409AskingTooLongSaysSoToo() {
        answer(409, "400", "{\"error\":\"later\",\"code\":\"APPROVAL_PENDING\",\"retryable\":true}");

        promote(Duration.ofSeconds(5), Duration.ofSeconds(60));

        assertThat(notices).containsExactly("prod-cp: attempt 1: environment prod: the server asks to retry APPROVAL_PENDING"
                + " after 400s, beyond the retry budget (60s, 60s left); not retrying");
    }

    @Test
    void retryAfterParsesBothFormsAndRejectsTheRest() {
        assertThat(RetryAfter.parse("120", T0)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 5 ", T0)).contains(Duration.ofSeconds(5));
        assertThat(RetryAfter.parse("Mon, 30 Nov 2026 12:01:30 GMT", T0)).contains(Duration.ofSeconds(90));
        assertThat(RetryAfter.parse("Mon, 30 Nov 2026 11:00:00 GMT", T0)).as("a past date is now").contains(Duration.ZERO);
        assertThat(RetryAfter.parse("999999999999", T0)).contains(RetryAfter.LONGEST);
        for (String bad : new String[]{"-5", "1.5", "soon", "", "2026-11-30T12:00:00Z"}) {
            assertThat(RetryAfter.parse(bad, T0)).as(bad).isEqualTo(Optional.empty());
        }
        assertThat(RetryAfter.parse(null, T0)).isEmpty();
    }
}
