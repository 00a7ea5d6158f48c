package io.lockstep.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The HTTP client for one {@link Target}, on the JDK HttpClient. Every call returns an
 * {@link ApiResponse} (never throws for HTTP or connection failures) so that commands can report
 * per target and carry on with the others. Paths are relative to the target's URL.
 */
public final class LockstepClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Target target;
    private final HttpTrace trace;

    public LockstepClient(Target target, HttpTrace trace) {
        this.target = target;
        this.trace = trace;
    }

    public Target target() {
        return target;
    }

    /** {@code /api/v1/environments/<env>} + {@code suffix}: the target's environment on its server. */
    public String environmentPath(String suffix) {
        return "/api/v1/environments/" + encode(target.environment()) + suffix;
    }

    public static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An authenticated GET. */
    public ApiResponse get(String path) {
        return send("GET", path, null, true);
    }

    /** A GET without the token, for the public endpoints ({@code /cp/runtimes}, {@code /healthz}). */
    public ApiResponse getPublic(String path) {
        return send("GET", path, null, false);
    }

    /** An authenticated POST of {@code body} as JSON; no retry. */
    public ApiResponse post(String path, Object body) {
        return send("POST", path, body, true);
    }

    /**
     * A POST retried under {@code policy}: while the answer is a retryable 409 and the budget allows
     * another attempt, {@code onRetry} receives a line with the 409 body, then the CLI waits one interval.
     */
    public ApiResponse postWithRetry(String path, Object body, RetryPolicy policy, Consumer<String> onRetry) {
        Instant deadline = Instant.now().plus(policy.budget());
        int attempt = 1;
        while (true) {
            ApiResponse r = post(path, body);
            if (!policy.retryable(r) || Instant.now().plus(policy.interval()).isAfter(deadline)) {
                return r;
            }
            onRetry.accept(target.name() + ": attempt " + attempt + " got " + r.describe() + "; retrying in "
                    + human(policy.interval()) + " (budget " + human(policy.budget()) + ")");
            attempt++;
            try {
                Thread.sleep(policy.interval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
        }
    }

    private ApiResponse send(String method, String path, Object body, boolean authenticated) {
        String json = null;
        HttpRequest.Builder b = HttpRequest.newBuilder(resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("User-Agent", "lockstep-cli");
        if (body != null) {
            try {
                json = JSON.writeValueAsString(body);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("request body not serialisable", e);
            }
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (authenticated && target.token() != null) {
            b.header("Authorization", "Bearer " + target.token().reveal());
        }
        HttpRequest request = b.build();
        trace.request(target.name(), request, json);
        long start = System.nanoTime();
        ApiResponse r;
        try {
            HttpResponse<String> raw = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            r = new ApiResponse(raw.statusCode(), raw.body(), parse(raw.body()), null);
        } catch (IOException e) {
            r = ApiResponse.unreachable(request.uri().getHost() + ":" + request.uri().getPort() + " "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r = ApiResponse.unreachable("interrupted");
        }
        trace.response(target.name(), r, (System.nanoTime() - start) / 1_000_000);
        return r;
    }

    private URI resolve(String path) {
        String base = target.url().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? MissingNode.getInstance() : n;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
