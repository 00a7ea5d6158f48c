package io.lockstep.http.dashboard;

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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /ui/events} ends with the session that opened it: after sign-out and at the session's expiry (an
 * AdjustableClock), sending nothing written after. Read on a plain socket (HTTP/1.0) so the end of the body is the
 * server's.
 */
class UiStreamSessionEndTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers("events:\n  drift_interval: 0s\n"
            + "  stream: {heartbeat: 300ms, poll: 1s}\ndashboard:\n  session_ttl: 2h\n");

    /** A stream read on its own thread: its lines, and whether the server ended it. */
    private static final class Stream implements AutoCloseable {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        private final Socket socket;

        Stream(TestServer s, String cookie) throws IOException, InterruptedException {
            URI u = URI.create(s.url());
            socket = new Socket(u.getHost(), u.getPort());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ui/events HTTP/1.0\r\nHost: " + u.getAuthority() + "\r\nAccept: text/event-stream\r\n"
                    + "Cookie: " + DashboardAccess.COOKIE + "=" + cookie + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            Thread t = new Thread(() -> {
                try {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                        if (line.startsWith(": lockstep event stream")) {
                            open.countDown();
                        }
                    }
                } catch (IOException closed) {
                    // closed by the test
                } finally {
                    ended.countDown();
                }
            }, "ui-stream-reader");
            t.setDaemon(true);
            t.start();
            assertThat(open.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("stream open: " + lines).isTrue();
        }

        boolean ended(Duration within) throws InterruptedException {
            return ended.await(within.toMillis(), TimeUnit.MILLISECONDS);
        }

        boolean saw(String text) {
            return lines.stream().anyMatch(l -> l.contains(text));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void promote(TestServer s, String notes) {
        Http.Response r = s.http.post("/api/v1/environments/prod/pins/solo/promote", TestConfig.ADMIN,
                Json.obj("image_digest", Unique.digest(), "notes", notes));
        assertThat(r.status()).as(r.body()).isBetween(200, 201);
    }

    private static boolean eventually(Stream st, String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!st.saw(text) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return st.saw(text);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void signingOutEndsThePagesStreamAndNothingAfterArrives(StoreKind kind) throws Exception {
        TestServer s = servers.of(kind);
        DashboardClient browser = new DashboardClient(s).signedIn(TestConfig.READER);
        try (Stream st = new Stream(s, browser.cookie)) {
            String before = Unique.name("before");
            promote(s, before);
            assertThat(eventually(st, before)).as("live before sign-out").isTrue();

            assertThat(browser.postWithCsrf("/sign-out").status()).isEqualTo(303);
            String after = Unique.name("after");
            promote(s, after);

            assertThat(st.ended(WAIT)).as("the server ends the stream").isTrue();
            assertThat(st.saw(after)).as("nothing written after sign-out").isFalse();
            assertThat(st.lines).contains(": stream ended: session_ended");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theSessionsExpiryEndsThePagesStreamOnATick(StoreKind kind) throws Exception {
        TestServer s = servers.of(kind);
        DashboardClient browser = new DashboardClient(s).signedIn(TestConfig.READER);
        try (Stream st = new Stream(s, browser.cookie)) {
            s.clock.advance(Duration.ofHours(2).minusMinutes(1));
            assertThat(st.ended(Duration.ofMillis(1500))).as("a minute before expiry it is still open").isFalse();

            s.clock.advance(Duration.ofMinutes(1));
            assertThat(st.ended(WAIT)).as("at expiry the stream ends without an event").isTrue();
            String after = Unique.name("after");
            promote(s, after);
            assertThat(st.saw(after)).isFalse();
            assertThat(st.lines).contains(": stream ended: session_ended");
        }
    }
}
