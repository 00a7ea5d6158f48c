package io.lockstep.service.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.domain.Pin;
import io.lockstep.domain.Release;
import io.lockstep.domain.RemoteUpstream;
import io.lockstep.domain.UpstreamState;
import io.lockstep.service.UpstreamPins;
import io.lockstep.wire.PinJson;
import io.lockstep.wire.ReleaseJson;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads remote upstreams with {@code GET /api/v1/environments/{env}/pins} and
 * {@code GET /api/v1/releases} of the other server, with the token in the Authorization header only.
 * One reading is reused for the upstream's {@code cache_ttl}, failures included, so a drift request
 * or a metrics scrape costs the remote at most two requests per ttl and a dead remote at most one
 * timeout per ttl. Failure reasons name the URL (which holds no credentials) and the HTTP status or
 * the transport failure; the token is never in them.
 */
public final class HttpUpstreamPins implements UpstreamPins {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Remote> byEnvironment = new LinkedHashMap<>();
    private final Clock clock;
    private final HttpClient http;

    /**
     * @param upstreams downstream environment → its remote upstream
     * @param tokens    token by variable name ({@link RemoteUpstream#tokenEnv()}), resolved at start
     */
    public HttpUpstreamPins(Map<String, RemoteUpstream> upstreams, Function<String, String> tokens, Clock clock) {
        this.clock = clock;
        java.time.Duration connect = upstreams.values().stream().map(RemoteUpstream::timeout)
                .min(java.time.Duration::compareTo).orElse(RemoteUpstream.DEFAULT_TIMEOUT);
        this.http = HttpClient.newBuilder().connectTimeout(connect).followRedirects(HttpClient.Redirect.NEVER).build();
        upstreams.forEach((env, up) -> byEnvironment.put(env, new Remote(up, tokens.apply(up.tokenEnv()))));
    }

    @Override
    public UpstreamState of(String environment) {
        Remote remote = byEnvironment.get(environment);
        return remote == null ? null : remote.state();
    }

    private final class Remote {
        private final RemoteUpstream upstream;
        private final String token;
        private UpstreamState cached;

        Remote(RemoteUpstream upstream, String token) {
            this.upstream = upstream;
            this.token = token;
        }

        /** Synchronized so concurrent drift requests share one reading instead of each starting one. */
        synchronized UpstreamState state() {
            Instant now = clock.instant();
            if (cached != null && now.isBefore(cached.readAt().plus(upstream.cacheTtl()))) {
                return cached;
            }
            cached = read(now);
            return cached;
        }

        private UpstreamState read(Instant now) {
            String env = URLEncoder.encode(upstream.environment(), StandardCharsets.UTF_8);
            try {
                JsonNode pinsDoc = get("api/v1/environments/" + env + "/pins");
                JsonNode releasesDoc = get("api/v1/releases");
                List<Pin> pins = new ArrayList<>();
                for (JsonNode p : pinsDoc.path("pins")) {
                    pins.add(PinJson.read(p));
                }
                List<Release> releases = new ArrayList<>();
                for (JsonNode r : releasesDoc.path("releases")) {
                    releases.add(ReleaseJson.read(r));
                }
                return UpstreamState.read(upstream, pins, releases, now);
            } catch (Unreachable e) {
                return UpstreamState.unreachable(upstream, e.getMessage(), now);
            } catch (RuntimeException e) {
                // a body we cannot read as pins or releases: say so, without echoing it
                return UpstreamState.unreachable(upstream, "answered with a body that is not Lockstep's pins/releases JSON ("
                        + e.getClass().getSimpleName() + ")", now);
            }
        }

        private JsonNode get(String path) throws Unreachable {
            URI uri = base().resolve(path);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(upstream.timeout()).GET()
                    .header("Accept", "application/json")
                    .header("Authorization", "Bearer " + token).build();
            HttpResponse<byte[]> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpConnectTimeoutException e) {
                throw new Unreachable("GET " + uri + " could not connect within " + upstream.timeout().toMillis() + " ms");
            } catch (HttpTimeoutException e) {
                throw new Unreachable("GET " + uri + " timed out after " + upstream.timeout().toMillis() + " ms");
            } catch (ConnectException e) {
                throw new Unreachable("GET " + uri + " could not connect (connection refused)");
            } catch (IOException e) {
                throw new Unreachable("GET " + uri + " failed: " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unreachable("GET " + uri + " was interrupted");
            }
            int status = response.statusCode();
            if (status != 200) {
                String hint = status == 401 || status == 403
                        ? " (check the read token in " + upstream.tokenEnv() + ")" : "";
                throw new Unreachable("GET " + uri + " answered HTTP " + status + hint);
            }
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new Unreachable("GET " + uri + " answered a body that is not JSON");
            }
        }

        private URI base() {
            String u = upstream.url().toString();
            return URI.create(u.endsWith("/") ? u : u + "/");
        }
    }

    private static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message, null, false, false);
        }
    }
}
