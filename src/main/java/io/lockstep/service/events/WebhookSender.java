package io.lockstep.service.events;

import io.lockstep.domain.Event;
import io.lockstep.domain.webhook.AddressPolicy;
import io.lockstep.domain.webhook.Delivery;
import io.lockstep.domain.webhook.Subscription;
import io.lockstep.domain.webhook.WebhookSettings;
import io.lockstep.domain.webhook.WebhookSignature;
import io.lockstep.wire.WebhookJson;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * One HTTP attempt to deliver one event to one subscription: the body in the subscription's format, signed,
 * with connect and response timeouts and no redirects (a redirect could lead past the address rules). The
 * host's addresses are checked against the {@link AddressPolicy} before each attempt, since a name may resolve
 * somewhere else than when the subscription was made. Only a capped excerpt of a failure is kept.
 */
final class WebhookSender {
    static final String USER_AGENT = "Lockstep-Webhook/1";
    private static final int EXCERPT_BYTES = 256;
    private final HttpClient client;
    private final WebhookSettings settings;
    private final Clock clock;

    WebhookSender(WebhookSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
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
        Optional<String> refused = refusal(uri);
        if (refused.isPresent()) {
            return new Attempt(0, 0, null, Delivery.excerpt(refused.get()));
        }
        long ts = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.responseTimeout())
                .header("Content-Type", s.format().contentType())
                .header("User-Agent", USER_AGENT)
                .header(WebhookSignature.EVENT_ID_HEADER, Long.toString(e.id()))
                .header("X-Lockstep-Event-Type", e.type())
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts))
                .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(s.secret(), ts, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String excerpt;
            try (InputStream in = r.body()) {
                excerpt = new String(in.readNBytes(EXCERPT_BYTES), StandardCharsets.UTF_8);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (r.statusCode() >= 200 && r.statusCode() < 300) {
                return new Attempt(r.statusCode(), ms, null, null);
            }
            return new Attempt(r.statusCode(), ms, retryAfter(r.headers().firstValue("Retry-After").orElse(null)),
                    Delivery.excerpt("HTTP " + r.statusCode() + (excerpt.isBlank() ? "" : ": " + excerpt)));
        } catch (HttpTimeoutException ex) {
            return failed(start, "timed out: " + ex.getMessage());
        } catch (IOException ex) {
            return failed(start, ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return failed(start, "interrupted (server stopping)");
        } catch (RuntimeException ex) {
            return failed(start, ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
    }

    private static Attempt failed(long start, String error) {
        return new Attempt(0, (System.nanoTime() - start) / 1_000_000, null, Delivery.excerpt(error));
    }

    private Optional<String> refusal(URI uri) {
        String host = AddressPolicy.hostOf(uri);
        Optional<String> byName = settings.addresses().refuseName(host);
        if (byName.isPresent()) {
            return byName.map(why -> "refused: " + why);
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                Optional<String> why = settings.addresses().refuse(host, a);
                if (why.isPresent()) {
                    return why.map(w -> "refused: " + w);
                }
            }
            return Optional.empty();
        } catch (UnknownHostException ex) {
            return Optional.of("unknown host " + host);
        }
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
}
