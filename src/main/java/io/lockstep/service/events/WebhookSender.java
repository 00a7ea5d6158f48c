package io.lockstep.service.events;

import io.lockstep.domain.Event;
import io.lockstep.domain.webhook.AddressPolicy;
import io.lockstep.domain.webhook.Delivery;
import io.lockstep.domain.webhook.Subscription;
import io.lockstep.domain.webhook.WebhookSettings;
import io.lockstep.domain.webhook.WebhookSignature;
import io.lockstep.wire.WebhookJson;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP attempt to deliver one event to one subscription: the body in the subscription's format, signed,
 * with connect and response timeouts and no redirects (a redirect could lead past the address rules). The
 * call blocks on the worker's own thread (no hand-offs between threads for one small POST) and reuses a kept-
 * alive connection to the receiver from one pool per sender. Addresses are checked against the
 * {@link AddressPolicy} by the pool's resolver, so the addresses checked are exactly the ones connected to (a
 * name may resolve elsewhere than when the subscription was made, or between a check and a connect). An attempt
 * ends by connect + response timeout whatever the receiver does (the lease math of {@link DeliveryWorker} relies
 * on it): a deadline aborts it, since a socket timeout alone never trips on a body dripping in. Only a capped
 * excerpt of a failure is kept; a connection whose answer was not read to its end is closed, not reused.
 */
final class WebhookSender implements AutoCloseable {
    static final String USER_AGENT = "Lockstep-Webhook/1";
    private static final int EXCERPT_BYTES = 256;
    /** A 2xx body up to this is read to its end so the connection can be reused; a longer one closes it. */
    private static final int OK_DRAIN_BYTES = 16 * 1024;
    /**
     * Each worker holds at most one connection at a time, so the pool never needs more than there are
     * subscriptions; these bounds only guard against a leak. Lower ones made the workers of many subscriptions to one
     * receiver (a chat service's hooks) wait for a connection and fail attempts that had not started.
     */
    private static final int MAX_PER_ROUTE = 1024;
    private static final int MAX_TOTAL = 1024;
    private static final TimeValue IDLE_EVICT = TimeValue.ofSeconds(30);
    private static final String STOPPING = "interrupted (server stopping)";
    private final WebhookSettings settings;
    private final Clock clock;
    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient client;
    /** Aborts attempts at their deadline; one daemon thread, idle unless an attempt runs late. */
    private final ScheduledThreadPoolExecutor deadlines;
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    WebhookSender(WebhookSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        Timeout connect = Timeout.of(settings.connectTimeout());
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .useSystemProperties() // TLS as the JDK's default context (trust store properties included)
                .setDnsResolver(new CheckedResolver(settings.addresses()))
                .setMaxConnPerRoute(MAX_PER_ROUTE)
                .setMaxConnTotal(MAX_TOTAL)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        .setSocketTimeout(Timeout.of(settings.responseTimeout()))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(connect)
                        .setResponseTimeout(Timeout.of(settings.responseTimeout()))
                        .setRedirectsEnabled(false)
                        .setAuthenticationEnabled(false)
                        .setContentCompressionEnabled(false)
                        .setProtocolUpgradeEnabled(false)
                        .setHardCancellationEnabled(true)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .disableConnectionState()
                .disableDefaultUserAgent()
                .evictIdleConnections(IDLE_EVICT)
                .evictExpiredConnections()
                .build();
        this.deadlines = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "lockstep-webhook-deadlines");
            t.setDaemon(true);
            return t;
        });
        deadlines.setRemoveOnCancelPolicy(true); // an attempt that ends in time leaves nothing queued
    }

    /** What one attempt came to: {@code status} 0 when no response arrived. */
    record Attempt(int status, long latencyMs, Duration retryAfter, String error) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    Attempt send(Subscription s, Event e) {
        return send(s, e, WebhookJson.body(s.format(), e));
    }

    /** {@code body}: {@code e} in {@code s}'s format, possibly shared with other subscriptions (only read here). */
    Attempt send(Subscription s, Event e, byte[] body) {
        long start = System.nanoTime();
        URI uri = URI.create(s.url());
        String host = AddressPolicy.hostOf(uri);
        Optional<String> byName = settings.addresses().refuseName(host);
        if (byName.isPresent()) {
            return new Attempt(0, 0, null, Delivery.excerpt("refused: " + byName.get()));
        }
        long ts = clock.instant().getEpochSecond();
        HttpPost post = new HttpPost(uri);
        post.setHeader("Content-Type", s.format().contentType());
        post.setHeader("User-Agent", USER_AGENT);
        post.setHeader(WebhookSignature.EVENT_ID_HEADER, Long.toString(e.id()));
        post.setHeader("X-Lockstep-Event-Type", e.type());
        post.setHeader(WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts));
        post.setHeader(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(s.secret(), ts, body));
        post.setEntity(new ByteArrayEntity(body, null)); // Content-Type: the header above, exactly as written
        InFlight attempt = new InFlight(post);
        inFlight.add(attempt); // before the check: close() either sees it or it sees closed
        if (closed || Thread.currentThread().isInterrupted()) {
            inFlight.remove(attempt);
            return failed(start, STOPPING);
        }
        long budgetMs = settings.connectTimeout().plus(settings.responseTimeout()).toMillis();
        ScheduledFuture<?> deadline = deadlines.schedule(
                () -> attempt.abort("timed out: no complete answer within " + budgetMs + " ms"),
                budgetMs, TimeUnit.MILLISECONDS);
        boolean readToEnd = false;
        ClassicHttpResponse r = null;
        try {
            r = client.executeOpen(null, post, null);
            int status = r.getCode();
            HttpEntity entity = r.getEntity();
            if (status >= 200 && status < 300) {
                readToEnd = entity == null || drain(entity.getContent());
                return new Attempt(status, millisSince(start), null, null);
            }
            String excerpt = entity == null ? ""
                    : new String(entity.getContent().readNBytes(EXCERPT_BYTES), StandardCharsets.UTF_8);
            Header retry = r.getFirstHeader("Retry-After");
            return new Attempt(status, millisSince(start), retryAfter(retry == null ? null : retry.getValue()),
                    Delivery.excerpt("HTTP " + status + (excerpt.isBlank() ? "" : ": " + excerpt)));
        } catch (RefusedAddress ex) {
            return new Attempt(0, 0, null, Delivery.excerpt(ex.getMessage()));
        } catch (UnknownHostException ex) {
            return failed(start, "unknown host " + host);
        } catch (IOException | RuntimeException ex) {
            String aborted = attempt.reason;
            if (aborted != null) {
                return failed(start, aborted);
            }
            if (Thread.currentThread().isInterrupted()) {
                return failed(start, STOPPING);
            }
            if (ex instanceof InterruptedIOException) { // connect timeout, socket read timeout
                return failed(start, "timed out: " + ex.getMessage());
            }
            return failed(start, ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
        } finally {
            deadline.cancel(false);
            if (!readToEnd) {
                post.cancel(); // closes the connection instead of draining an answer of unknown length into it
            }
            closeQuietly(r); // after the cancel above: nothing left to read or to release then
            inFlight.remove(attempt);
        }
    }

    /** Reads a body to its end if it ends within {@link #OK_DRAIN_BYTES}; false when it goes on. */
    private static boolean drain(InputStream in) throws IOException {
        byte[] buf = new byte[1024];
        int left = OK_DRAIN_BYTES;
        while (left >= 0) {
            int n = in.read(buf, 0, Math.min(buf.length, left + 1));
            if (n < 0) {
                return true;
            }
            left -= n;
        }
        return false;
    }

    private static void closeQuietly(ClassicHttpResponse r) {
        if (r != null) {
            try {
                r.close();
            } catch (IOException ignored) {
                // the connection is gone or released already; nothing of the attempt depends on this
            }
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static Attempt failed(long start, String error) {
        return new Attempt(0, millisSince(start), null, Delivery.excerpt(error));
    }

    /** Aborts the attempts in flight (the server is stopping) and closes the pool's connections. */
    @Override
    public void close() {
        closed = true;
        inFlight.forEach(a -> a.abort(STOPPING));
        deadlines.shutdownNow();
        client.close(CloseMode.IMMEDIATE);
        pool.close(CloseMode.IMMEDIATE);
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    /** An attempt that the deadline or a stop may abort, with why (the abort itself surfaces as an I/O error). */
    private static final class InFlight {
        private final HttpPost request;
        private volatile String reason;

        InFlight(HttpPost request) {
            this.request = request;
        }

        void abort(String why) {
            if (reason == null) {
                reason = why;
            }
            request.cancel(); // hard cancellation: shuts the socket, which ends a blocked connect or read
        }
    }

    /** A resolved address the policy refuses; an {@link UnknownHostException} so the client passes it up as is. */
    private static final class RefusedAddress extends UnknownHostException {
        RefusedAddress(String why) {
            super("refused: " + why);
        }
    }

    /**
     * Resolves for the pool and refuses the whole name if any of its addresses is refused: the check runs on
     * the very addresses the pool then connects to, never on an earlier answer.
     */
    private static final class CheckedResolver implements DnsResolver {
        private final AddressPolicy policy;

        CheckedResolver(AddressPolicy policy) {
            this.policy = policy;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            InetAddress[] all = InetAddress.getAllByName(bare);
            for (InetAddress a : all) {
                Optional<String> why = policy.refuse(bare, a);
                if (why.isPresent()) {
                    throw new RefusedAddress(why.get());
                }
            }
            return all;
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
        }
    }
}
