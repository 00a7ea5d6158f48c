package io.lockstep.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bearer-token half of the distribution auth spec: given a {@code Bearer} challenge, ask the
 * challenge's realm for a token (with basic credentials if we have them) and cache it per scope until
 * {@code expires_in} (60 s when absent, as the spec says) minus a safety margin, so every manifest
 * lookup does not cost a token round trip.
 */
final class BearerTokens {

    static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    static final Duration MAX_MARGIN = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Cached(String token, Instant expiresAt) {
    }

    private final HttpClient http;
    private final Clock clock;
    private final Duration requestTimeout;
    private final String registryHost;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    BearerTokens(HttpClient http, Clock clock, Duration requestTimeout, String registryHost) {
        this.http = http;
        this.clock = clock;
        this.requestTimeout = requestTimeout;
        this.registryHost = registryHost;
    }

    /** A still-valid cached token for this scope key, if any. */
    Optional<String> cached(String scopeKey) {
        Cached c = cache.get(scopeKey);
        if (c == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(c.expiresAt)) {
            cache.remove(scopeKey, c);
            return Optional.empty();
        }
        return Optional.of(c.token);
    }

    void forget(String scopeKey) {
        cache.remove(scopeKey);
    }

    /**
     * {@code type:name:actions} with the actions sorted. The distribution registry lists a push's
     * actions in either order from one challenge to the next ({@code pull,push} / {@code push,pull});
     * the set is what counts, and one spelling keeps token requests the same every time.
     */
    static String canonical(String scope) {
        int colon = scope.lastIndexOf(':');
        if (colon < 0) {
            return scope;
        }
        String[] actions = scope.substring(colon + 1).split(",");
        java.util.Arrays.sort(actions);
        return scope.substring(0, colon + 1) + String.join(",", actions);
    }

    /**
     * Fetches a token for {@code challenge} and caches it under {@code scopeKey}. The challenge's
     * own scope wins (it is what the registry will check); {@code fallbackScope} is used when the
     * challenge names none.
     */
    String fetch(AuthChallenge challenge, String scopeKey, String fallbackScope, Optional<RegistryCredentials> credentials) {
        String realm = challenge.param("realm").orElseThrow(() ->
                new RegistryAuthException("registry " + registryHost + " sent a Bearer challenge without a realm"));
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new RegistryAuthException("registry " + registryHost + " sent an invalid token realm");
        }
        if (!"https".equalsIgnoreCase(realmUri.getScheme()) && !"http".equalsIgnoreCase(realmUri.getScheme())) {
            throw new RegistryAuthException("registry " + registryHost + " sent a token realm that is not http(s): " + realmUri.getScheme());
        }
        StringBuilder query = new StringBuilder();
        challenge.param("service").ifPresent(s -> append(query, "service", s));
        String scope = challenge.param("scope").orElse(fallbackScope);
        if (scope != null) {
            for (String s : scope.split(" ")) {
                if (!s.isBlank()) {
                    append(query, "scope", canonical(s));
                }
            }
        }
        credentials.ifPresent(c -> append(query, "account", c.username()));
        String sep = realmUri.getRawQuery() == null ? "?" : "&";
        URI uri = URI.create(realm + (query.length() == 0 ? "" : sep + query));
        String who = credentials.map(c -> "user " + c.username()).orElse("anonymous");
        String where = "token server " + realmUri.getRawAuthority() + " (registry " + registryHost + ", scope " + scope + ", " + who + ")";

        HttpRequest.Builder req = HttpRequest.newBuilder(uri).GET().timeout(requestTimeout).header("Accept", "application/json");
        credentials.ifPresent(c -> req.header("Authorization", c.basicAuthorization()));
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RegistryUnavailableException(where + ": " + RegistryTransport.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(where + ": interrupted");
        }
        int status = resp.statusCode();
        if (status == 401 || status == 403) {
            throw new RegistryAuthException(where + ": token request refused with HTTP " + status);
        }
        if (status >= 500 || status == 429) {
            throw new RegistryUnavailableException(where + ": HTTP " + status);
        }
        if (status != 200) {
            throw new RegistryAuthException(where + ": unexpected HTTP " + status);
        }
        JsonNode body;
        try {
            body = JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new RegistryAuthException(where + ": response is not JSON");
        }
        String token = body.path("token").asText(null);
        if (token == null || token.isEmpty()) {
            token = body.path("access_token").asText(null);
        }
        if (token == null || token.isEmpty()) {
            throw new RegistryAuthException(where + ": response has no token");
        }
        long expiresIn = body.path("expires_in").asLong(0);
        Duration ttl = expiresIn > 0 ? Duration.ofSeconds(expiresIn) : DEFAULT_TTL;
        // Renew a little early: a tenth of the lifetime, at most MAX_MARGIN.
        Duration margin = ttl.dividedBy(10).compareTo(MAX_MARGIN) > 0 ? MAX_MARGIN : ttl.dividedBy(10);
        cache.put(scopeKey, new Cached(token, clock.instant().plus(ttl).minus(margin)));
        return token;
    }

    private static void append(StringBuilder q, String k, String v) {
        if (q.length() > 0) {
            q.append('&');
        }
        q.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    }
}
