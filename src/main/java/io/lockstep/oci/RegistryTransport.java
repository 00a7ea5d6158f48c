package io.lockstep.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLException;

/**
 * Sends {@link RegistryRequest}s to one registry and deals with everything that is not the OCI
 * protocol itself: the rate limit, authentication (basic, bearer challenge, ECR), retries with
 * backoff on 429/5xx/connection failures, and redirects (blob downloads are often redirected to
 * object storage, which must not receive our registry credentials).
 */
final class RegistryTransport {

    private static final int MAX_REDIRECTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryConfig config;
    private final RegistryTiming timing;
    private final HttpClient http;
    private final RateLimiter rateLimiter;
    private final BearerTokens tokens;
    /** Set when a registry configured for bearer answers with a Basic challenge: then we send basic. */
    private volatile boolean basicChallenged;

    RegistryTransport(RegistryConfig config, RegistryTiming timing) {
        this.config = config;
        this.timing = timing;
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (config.baseUrl().getScheme().equals("https")) {
            config.caFile().ifPresent(ca -> b.sslContext(TlsContexts.trusting(ca)));
            if (config.insecure()) {
                b.sslContext(TlsContexts.insecure());
            }
        } else {
            // Plain http: avoid the JDK's h2c upgrade attempt, which some registries mishandle.
            b.version(HttpClient.Version.HTTP_1_1);
        }
        this.http = b.build();
        this.rateLimiter = config.requestsPerSecond() > 0
                ? new RateLimiter(config.requestsPerSecond(), config.burst(), timing.nanoTime(), timing.sleeper())
                : null;
        this.tokens = new BearerTokens(http, timing.clock(), config.requestTimeout(), config.host());
    }

    String host() {
        return config.host();
    }

    HttpResponse<byte[]> send(RegistryRequest request) {
        RegistryRetry retry = config.retry();
        String what = request.what() + " on registry " + config.host();
        URI uri = request.uri();
        boolean authRetried = false;
        int redirects = 0;
        int attempt = 0;
        while (true) {
            attempt++;
            boolean toRegistry = sameOrigin(uri, config.baseUrl());
            HttpResponse<byte[]> resp;
            try {
                if (rateLimiter != null && toRegistry) {
                    rateLimiter.acquire();
                }
                resp = http.send(build(request, uri, toRegistry), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(what + ": interrupted");
            } catch (SSLException e) {
                // A TLS failure is a configuration problem (CA, host name); retrying will not fix it.
                throw new RegistryUnavailableException(what + ": TLS handshake failed (" + e.getMessage() + "); check ca_file", e);
            } catch (IOException e) {
                if (attempt < retry.maxAttempts()) {
                    pause(retry.backoff(attempt, timing.jitter().getAsDouble()), what);
                    continue;
                }
                throw new RegistryUnavailableException(what + ": " + describe(e) + " (after " + attempt + " attempts)", e);
            }
            int status = resp.statusCode();
            if (isRedirect(status)) {
                Optional<String> location = resp.headers().firstValue("Location");
                if (location.isPresent() && redirects < MAX_REDIRECTS) {
                    redirects++;
                    attempt--;
                    uri = uri.resolve(location.get());
                    continue;
                }
                throw new RegistryException(what + ": too many redirects or redirect without Location (HTTP " + status + ")");
            }
            if (status == 401 && toRegistry && !authRetried) {
                authRetried = true;
                if (answerChallenge(request, resp, what)) {
                    attempt--;
                    continue;
                }
            }
            if (status == 401 || status == 403) {
                throw new RegistryAuthException(what + ": HTTP " + status + " as " + identity() + errorCodes(resp));
            }
            if (status == 429 || (status >= 500 && status != 501 && status != 505)) {
                if (attempt < retry.maxAttempts()) {
                    Optional<Duration> requested = retryAfter(resp);
                    Duration wait = requested.isPresent()
                            ? retry.retryAfter(requested.get())
                            : retry.backoff(attempt, timing.jitter().getAsDouble());
                    pause(wait, what);
                    continue;
                }
                throw new RegistryUnavailableException(what + ": HTTP " + status + " (after " + attempt + " attempts)" + errorCodes(resp));
            }
            return resp;
        }
    }

    /** Error message tail listing the registry's error codes, e.g. {@code [MANIFEST_UNKNOWN]}; never echoes free text. */
    static String errorCodes(HttpResponse<byte[]> resp) {
        byte[] body = resp.body();
        if (body == null || body.length == 0 || body.length > 64 * 1024) {
            return "";
        }
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            Set<String> codes = new TreeSet<>();
            for (JsonNode e : errors) {
                String code = e.path("code").asText("");
                if (code.matches("[A-Z_]{1,64}")) {
                    codes.add(code);
                }
            }
            return codes.isEmpty() ? "" : " " + codes;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    static String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "request timed out";
        }
        if (e instanceof ConnectException) {
            return "connection refused or unreachable";
        }
        return "I/O error (" + e.getClass().getSimpleName() + ")";
    }

    private String identity() {
        RegistryAuth auth = config.auth();
        if (auth instanceof RegistryAuth.Basic b) {
            return "user " + b.credentials().username();
        }
        if (auth instanceof RegistryAuth.Bearer b) {
            return b.tokenCredentials().map(c -> "user " + c.username()).orElse("anonymous");
        }
        if (auth instanceof RegistryAuth.Ecr) {
            return "ECR credentials";
        }
        return "anonymous";
    }

    /** Handles a 401: returns true if the request should be sent again with new credentials. */
    private boolean answerChallenge(RegistryRequest request, HttpResponse<byte[]> resp, String what) {
        List<AuthChallenge> challenges = new ArrayList<>();
        for (String h : resp.headers().allValues("WWW-Authenticate")) {
            challenges.addAll(AuthChallenge.parse(h));
        }
        String key = scopeKey(request);
        for (AuthChallenge c : challenges) {
            if (c.isBearer()) {
                tokens.forget(key);
                tokens.fetch(c, key, request.scope(), tokenCredentials());
                return true;
            }
        }
        if (config.auth() instanceof RegistryAuth.Ecr ecr) {
            ecr.provider().invalidate();
            return true;
        }
        boolean basicOffered = challenges.stream().anyMatch(AuthChallenge::isBasic);
        if (basicOffered && config.auth() instanceof RegistryAuth.Bearer b && b.tokenCredentials().isPresent() && !basicChallenged) {
            basicChallenged = true;
            return true;
        }
        return false;
    }

    private Optional<RegistryCredentials> tokenCredentials() {
        RegistryAuth auth = config.auth();
        if (auth instanceof RegistryAuth.Basic b) {
            return Optional.of(b.credentials());
        }
        if (auth instanceof RegistryAuth.Bearer b) {
            return b.tokenCredentials();
        }
        if (auth instanceof RegistryAuth.Ecr e) {
            return Optional.of(e.provider().credentials());
        }
        return Optional.empty();
    }

    private Optional<String> authorization(RegistryRequest request) {
        Optional<String> bearer = tokens.cached(scopeKey(request));
        if (bearer.isPresent()) {
            return Optional.of("Bearer " + bearer.get());
        }
        RegistryAuth auth = config.auth();
        if (auth instanceof RegistryAuth.Basic b) {
            return Optional.of(b.credentials().basicAuthorization());
        }
        if (auth instanceof RegistryAuth.Bearer b && basicChallenged) {
            return b.tokenCredentials().map(RegistryCredentials::basicAuthorization);
        }
        if (auth instanceof RegistryAuth.Ecr e) {
            return Optional.of(e.provider().credentials().basicAuthorization());
        }
        return Optional.empty();
    }

    private static String scopeKey(RegistryRequest request) {
        return request.scope() == null ? "" : request.scope();
    }

    private HttpRequest build(RegistryRequest request, URI uri, boolean toRegistry) {
        HttpRequest.BodyPublisher body = request.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(config.requestTimeout()).method(request.method(), body);
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            b.header(h.getKey(), h.getValue());
        }
        if (toRegistry) {
            authorization(request).ifPresent(a -> b.header("Authorization", a));
        }
        return b.build();
    }

    private void pause(Duration wait, String what) {
        try {
            timing.sleeper().sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(what + ": interrupted while backing off");
        }
    }

    private Optional<Duration> retryAfter(HttpResponse<?> resp) {
        Optional<String> value = resp.headers().firstValue("Retry-After").map(String::trim);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get();
        if (v.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(timing.clock().instant(), at.toInstant());
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI u) {
        return u.getPort() != -1 ? u.getPort() : (u.getScheme().equalsIgnoreCase("https") ? 443 : 80);
    }
}
