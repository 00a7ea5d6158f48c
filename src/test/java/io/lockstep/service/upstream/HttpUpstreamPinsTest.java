package io.lockstep.service.upstream;

import com.sun.net.httpserver.HttpServer;
import io.lockstep.domain.RemoteUpstream;
import io.lockstep.domain.UpstreamState;
import io.lockstep.server.AdjustableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP reader of a remote upstream against a real loopback server standing in for staging's. */
class HttpUpstreamPinsTest {
    private static final String TOKEN = "remote-read-token-3a9d";
    private static final String PINS = """
            {"environment":"staging","pins":[{"environment":"staging","template_name":"hermes","region":"global",
             "image_digest":"sha256:%s","image_ref":"r@sha256:%s","promoted_at":"2026-06-21T10:00:00Z",
             "promoted_by":"ci","provenance":{},"version":3}]}""".formatted("a".repeat(64), "a".repeat(64));
    private static final String RELEASES = """
            {"releases":[{"id":"h2","group":"hermes","runtime_version":"1.1.0","images":{"hermes":"sha256:%s"},
             "created_at":"2026-06-21T09:00:00Z","created_by":"ci"}]}""".formatted("a".repeat(64));

    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(200);
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seen.add(ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (ex.getRequestURI().getPath().endsWith("/pins") ? PINS : RELEASES).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status.get(), body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpUpstreamPins reader(Clock clock) {
        RemoteUpstream up = new RemoteUpstream(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/base"),
                "staging", "UP_TOKEN", Duration.ofSeconds(10), Duration.ofSeconds(2));
        return new HttpUpstreamPins(Map.of("prod", up), Map.of("UP_TOKEN", TOKEN)::get, clock);
    }

    @Test
    void readsPinsAndReleasesWithTheTokenInTheHeaderOnlyAndCachesForTheTtl() {
        AdjustableClock clock = new AdjustableClock();
        clock.freezeAt(Instant.parse("2026-06-22T00:00:00Z"));
        HttpUpstreamPins pins = reader(clock);

        UpstreamState s = pins.of("prod");
        assertThat(s.reachable()).as(s.unreachableReason()).isTrue();
        assertThat(s.pins()).singleElement().satisfies(p -> assertThat(p.key().environment()).isEqualTo("staging"));
        assertThat(s.releases()).extracting(r -> r.runtimeVersion()).containsExactly("1.1.0");
        assertThat(seen).containsExactly("/base/api/v1/environments/staging/pins Bearer " + TOKEN,
                "/base/api/v1/releases Bearer " + TOKEN);
        assertThat(pins.of("staging")).as("only prod has a remote upstream").isNull();

        pins.of("prod");
        assertThat(seen).as("within the ttl").hasSize(2);
        clock.advance(Duration.ofSeconds(10));
        pins.of("prod");
        assertThat(seen).as("after the ttl").hasSize(4);
    }

    @Test
    void aRefusedTokenIsAnUnreachableStateNamingTheStatusAndTheVariableNotTheToken() {
        status.set(401);
        UpstreamState s = reader(Clock.systemUTC()).of("prod");

        assertThat(s.reachable()).isFalse();
        assertThat(s.unreachableReason()).contains("/base/api/v1/environments/staging/pins answered HTTP 401")
                .contains("UP_TOKEN").doesNotContain(TOKEN);
        assertThat(s.toString()).doesNotContain(TOKEN);
    }
}
