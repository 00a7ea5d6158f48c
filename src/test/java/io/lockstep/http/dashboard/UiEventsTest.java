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
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /ui/events}, the stream {@code live.js} listens to: the session authenticates it, the session's token's
 * environments limit it, and it carries what {@code /api/v1/events} would. Read on a plain socket (HTTP/1.0) so the
 * test sees the bytes as they come.
 */
class UiEventsTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers("events:\n  drift_interval: 0s\n");

    /** The lines of a stream until {@code until} appears or the read times out; the status line first. */
    private static List<String> read(TestServer s, String cookie, String until, Runnable meanwhile) throws IOException {
        URI u = URI.create(s.url());
        try (Socket socket = new Socket(u.getHost(), u.getPort())) {
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ui/events HTTP/1.0\r\nHost: " + u.getAuthority() + "\r\nAccept: text/event-stream\r\n"
                    + (cookie == null ? "" : "Cookie: " + DashboardAccess.COOKIE + "=" + cookie + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            boolean ran = false;
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (line.startsWith(": lockstep event stream") && !ran) {
                        ran = true;
                        meanwhile.run(); // the stream is open: what happens now must arrive
                    }
                    if (until != null && line.contains(until)) {
                        break;
                    }
                }
            } catch (SocketTimeoutException quiet) {
                // nothing more within the timeout
            }
            return lines;
        }
    }

    private static void promote(TestServer s, String env, String notes) {
        Http.Response r = s.http.post("/api/v1/environments/" + env + "/pins/solo/promote", TestConfig.ADMIN,
                Json.obj("image_digest", Unique.digest(), "notes", notes));
        assertThat(r.status()).as(r.body()).isBetween(200, 201);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aSignedInPageHearsAPromoteAsItHappens(StoreKind kind) throws IOException {
        TestServer s = servers.of(kind);
        DashboardClient browser = new DashboardClient(s).signedIn(TestConfig.READER);
        String marker = Unique.name("ui-events");
        List<String> lines = read(s, browser.cookie, marker, () -> promote(s, "prod", marker));
        assertThat(lines.get(0)).contains(" 200");
        assertThat(lines).anyMatch(l -> l.equals("event: pin.promoted"));
        assertThat(lines).anyMatch(l -> l.startsWith("data: ") && l.contains(marker));
        assertThat(String.join("\n", lines)).doesNotContain(TestConfig.READER).doesNotContain(browser.cookie);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEnvironmentLimitedSessionHearsOnlyItsEnvironments(StoreKind kind) throws IOException {
        TestServer s = servers.of(kind);
        DashboardClient staging = new DashboardClient(s).signedIn(TestConfig.STAGING_READER);
        String prodMarker = Unique.name("ui-prod");
        String stagingMarker = Unique.name("ui-staging");
        List<String> lines = read(s, staging.cookie, stagingMarker, () -> {
            promote(s, "prod", prodMarker);
            promote(s, "staging", stagingMarker);
        });
        String all = String.join("\n", lines);
        assertThat(all).contains(stagingMarker).doesNotContain(prodMarker).doesNotContain("\"prod\"");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withoutASessionTheStreamIs401AndABearerTokenIsNoSession(StoreKind kind) throws IOException {
        TestServer s = servers.of(kind);
        List<String> none = read(s, null, null, () -> { });
        assertThat(none.get(0)).contains(" 401");
        List<String> forged = read(s, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null, () -> { });
        assertThat(forged.get(0)).contains(" 401");
        assertThat(String.join("\n", forged)).contains("data-code=\"UNAUTHENTICATED\"");
    }
}
