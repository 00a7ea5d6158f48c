package io.lockstep.cli;

import com.sun.net.httpserver.HttpServer;
import io.lockstep.testing.TestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lockstep events --follow} on a stream the server ended because the token expired: exit 1 with one line
 * on stderr, no reconnect. The server is a real process-local HTTP receiver on loopback (JDK HttpServer) answering
 * exactly what Lockstep sends then (see docs/events.md): an event, the end comment, the end of the body.
 */
class EventsFollowExpiryTest {
    @Test
    @Timeout(30) // without the rule, --follow would reconnect forever
    void aStreamEndedForAnExpiredTokenExitsOneWithOneLineAndDoesNotReconnect() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/api/v1/events", ex -> {
            connections.incrementAndGet();
            byte[] body = ("retry: 2000\nid: 41\n: lockstep event stream after 41\n\nid: 42\nevent: pin.promoted\n"
                    + "data: {\"id\":42,\"version\":1,\"type\":\"pin.promoted\",\"time\":\"2026-11-30T08:00:00Z\","
                    + "\"environment\":\"prod\",\"template\":\"solo\",\"region\":\"global\",\"group\":null,\"actor\":\"ci\","
                    + "\"data\":{}}\n\n: stream ended: token_expired\n\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();
        try {
            InProcessCli.Run run = InProcessCli.run(Map.of("LOCKSTEP_TOKEN", TestConfig.READER), "events", "--follow",
                    "--target", "prod=http://127.0.0.1:" + http.getAddress().getPort());
            assertThat(run.exit()).as(run.stderr()).isEqualTo(ExitCodes.FAILED);
            assertThat(run.stdout()).startsWith("42 ");
            assertThat(run.stderr().strip().lines().toList()).containsExactly("lockstep: prod: events: the token expired,"
                    + " so the server ended the stream after event 42; run again with a fresh token and --after 42.");
            assertThat(connections.get()).as("no reconnect").isEqualTo(1);
        } finally {
            http.stop(0);
        }
    }
}
