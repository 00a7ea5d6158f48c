package io.lockstep.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Target target;
    private final HttpTrace trace;
    private final Duration requestTimeout;
    private final Instant deadline;

    public LockstepClient(Target target, HttpTrace trace) {
        this(target, trace, DEFAULT_REQUEST_TIMEOUT, null);
    }

    /**
     * {@code requestTimeout} bounds each request from start to the last byte of the answer;
     * {@code deadline} (null: none) bounds them all, so a command with its own time limit never
     * outlives it while a request hangs.
     */
    public LockstepClient(Target target, HttpTrace trace, Duration requestTimeout, Instant deadline) {
        this.target = target;
        this.trace = trace;
        this.requestTimeout = requestTimeout;
        this.deadline = deadline;
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

    /** An authenticated DELETE, with a JSON body or none ({@code body} null). */
    public ApiResponse delete(String path, Object body) {
        return send("DELETE", path, body, true);
    }

    /** An authenticated GET. */
    public ApiResponse get(String path) {
        return send("GET", path, null, true);
    }

    /** A GET without the token, for the public endpoints ({@code /cp/runtimes}, {@code /healthz}). */
    public ApiResponse getPublic(String path) {
        return send("GET", path, null, false);
    }

    /** An authenticated DELETE; no retry. */
    public ApiResponse delete(String path) {
        return send("DELETE", path, null, true);
    }

    /** An authenticated POST of {@code body} as JSON; no retry. */
    public ApiResponse post(String path, Object body) {
        return send("POST", path, body, true);
    }

    /**
     * A POST retried under {@code policy}: while the answer is a retryable 409 and the budget allows
     * another attempt, {@code onRetry} receives a line with the 409 body, then the CLI waits what the
     * server asked ({@code Retry-After}) or one interval. When the server asks for longer than the budget
     * has left, {@code onRetry} receives one line saying why the CLI stops, and the 409 is returned at once.
     */
    public ApiResponse postWithRetry(String path, Object body, CallRetry policy, Consumer<String> onRetry) {
        return postWithRetry(path, body, policy, onRetry, RetryClock.SYSTEM);
    }

    /** {@link #postWithRetry(String, Object, CallRetry, Consumer)} on {@code time} (tests record the waits). */
    public ApiResponse postWithRetry(String path, Object body, CallRetry policy, Consumer<String> onRetry, RetryClock time) {
        Instant giveUp = time.now().plus(policy.budget());
        int attempt = 1;
        while (true) {
            ApiResponse r = post(path, body);
            if (!policy.retryable(r)) {
                return r;
            }
            Instant now = time.now();
            Duration left = now.isBefore(giveUp) ? Duration.between(now, giveUp) : Duration.ZERO;
            CallRetry.Next next = policy.next(r, target.environment(), left, now);
            if (next.stop()) {
                if (next.reason() != null) {
                    onRetry.accept(target.name() + ": attempt " + attempt + ": " + next.reason());
                }
                return r;
            }
            onRetry.accept(target.name() + ": attempt " + attempt + " got " + r.describe() + "; retrying in "
                    + human(next.delay()) + (r.retryAfter() == null || r.retryAfter().length() > 64 ? "" : " (Retry-After: "
                    + Printable.text(r.retryAfter().trim()) + ")") + " (budget " + human(policy.budget()) + ")");
            attempt++;
            try {
                time.sleep(next.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
        }
    }

    /**
     * One connection to a Server-Sent Events endpoint ({@code GET path}, resuming after {@code lastEventId} when
     * not null): every message goes to {@code onMessage} as it arrives; returns when the stream ends. A connection
     * silent for longer than {@code silence} (heartbeats stopped: a half-open connection) counts as dropped.
     */
    public EventStreamReader.End stream(String path, String lastEventId, Duration silence,
                                        Consumer<EventStreamReader.Message> onMessage) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(resolve(path)).timeout(requestTimeout); // until the answer's headers
        } catch (IllegalArgumentException e) {
            return EventStreamReader.End.refused(ApiResponse.unreachable("invalid request URL: " + e.getMessage()));
        }
        b.header("Accept", "text/event-stream").header("User-Agent", "lockstep-cli").GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        if (target.token() != null) {
            b.header("Authorization", "Bearer " + target.token().reveal());
        }
        HttpRequest request = b.build();
        trace.request(target.name(), request, null);
        return EventStreamReader.read(HTTP, request, silence, onMessage, LockstepClient::parse);
    }

    private ApiResponse send(String method, String path, Object body, boolean authenticated) {
        Duration timeout = requestTimeout;
        if (deadline != null) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.compareTo(Duration.ofMillis(1)) < 0) {
                return ApiResponse.unreachable("not sent: the command's time limit has passed");
            }
            timeout = left.compareTo(timeout) < 0 ? left : timeout;
        }
        String json = null;
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(resolve(path)).timeout(timeout);
        } catch (IllegalArgumentException e) {
            // Preflight refuses such URLs; this keeps a request that slips through a one-line failure.
            return ApiResponse.unreachable("invalid request URL: " + e.getMessage());
        }
        b.header("Accept", "application/json").header("User-Agent", "lockstep-cli");
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
        ApiResponse r = exchange(request, timeout);
        trace.response(target.name(), r, (System.nanoTime() - start) / 1_000_000);
        return r;
    }

    /**
     * One exchange, bounded by {@code timeout} in wall-clock time (connecting included: the
     * request's own timeout does not cover the connect phase). A failure before the connection
     * was made cannot have reached the server; any later one may have.
     */
    private static ApiResponse exchange(HttpRequest request, Duration timeout) {
        String where = request.uri().getHost() + ":" + request.uri().getPort() + " ";
        CompletableFuture<HttpResponse<String>> pending = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            HttpResponse<String> raw = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ApiResponse(raw.statusCode(), raw.body(), parse(raw.body()), null, false,
                    raw.headers().firstValue("Retry-After").orElse(null));
        } catch (TimeoutException e) {
            pending.cancel(true);
            return ApiResponse.noAnswer(where + "no answer within " + human(timeout));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = where + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
            if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException
                    || cause instanceof java.nio.channels.UnresolvedAddressException
                    || cause instanceof IllegalArgumentException) {
                return ApiResponse.unreachable(message);
            }
            if (cause instanceof HttpTimeoutException) {
                return ApiResponse.noAnswer(where + "no answer within " + human(timeout));
            }
            return cause instanceof IOException ? ApiResponse.noAnswer(message) : ApiResponse.unreachable(message);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return ApiResponse.noAnswer(where + "interrupted");
        }
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
