package io.lockstep.service.events;

import com.sun.net.httpserver.HttpServer;
import io.lockstep.domain.Event;
import io.lockstep.domain.webhook.AddressPolicy;
import io.lockstep.domain.webhook.Backoff;
import io.lockstep.domain.webhook.Subscription;
import io.lockstep.domain.webhook.WebhookFormat;
import io.lockstep.domain.webhook.WebhookSettings;
import io.lockstep.domain.webhook.WebhookSignature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One attempt of the webhook sender against real receivers on loopback: the JDK's
 * {@code com.sun.net.httpserver.HttpServer} (a real process-local receiver speaking HTTP) where a receiver
 * behaves, a raw {@link ServerSocket} writing HTTP by hand where it must misbehave (drip a body, never finish).
 * No store is involved, so this runs once, not per store.
 */
class WebhookSenderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);
    private static final Event EVENT = new Event(42, Event.PIN_PROMOTED, CLOCK.instant(), "prod", "hermes",
            "global", "runtime", "admin", Map.of());
    private static final byte[] BODY = "{\"id\":42}".getBytes(StandardCharsets.UTF_8);
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private WebhookSender sender(boolean allowLoopback, Duration connect, Duration response) {
        WebhookSettings s = new WebhookSettings(WebhookSettings.DEFAULT_RETENTION,
                new AddressPolicy(allowLoopback, Set.of()), connect, response,
                new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1)), 3, Duration.ofSeconds(30),
                Duration.ofSeconds(1), WebhookSettings.DEFAULT_MAX_SUBSCRIPTIONS, List.of());
        WebhookSender sender = new WebhookSender(s, CLOCK);
        open.add(sender);
        return sender;
    }

    private static Subscription to(String url) {
        return new Subscription("hook", url, List.of(Event.PIN_PROMOTED), List.of(), List.of(),
                WebhookFormat.LOCKSTEP, "s3cret-s3cret", Subscription.FROM_API);
    }

    /** A JDK HttpServer on loopback; {@code handler} answers every request. */
    private String receiver(Consumer<com.sun.net.httpserver.HttpExchange> handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            handler.accept(exchange);
        });
        server.start();
        open.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange x, int status, byte[] body) {
        try {
            x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            x.close();
        }
    }

    /**
     * A raw socket receiver: counts connections and hands each to {@code conversation} (which writes HTTP by
     * hand) on its own thread.
     */
    private ServerSocket rawReceiver(AtomicInteger accepted, Consumer<Socket> conversation) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(ss);
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try {
                    Socket s = ss.accept();
                    accepted.incrementAndGet();
                    open.add(s);
                    Thread c = new Thread(() -> conversation.accept(s), "raw-receiver-conversation");
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "raw-receiver");
        t.setDaemon(true);
        t.start();
        return ss;
    }

    /** Reads the request head (the body is not needed to misbehave). */
    private static void readHead(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Test
    void consecutiveDeliveriesToOneReceiverReuseOneConnection() throws IOException {
        Set<Integer> ports = ConcurrentHashMap.newKeySet();
        List<String> signatures = new ArrayList<>();
        String base = receiver(x -> {
            ports.add(x.getRemoteAddress().getPort());
            synchronized (signatures) {
                signatures.add(x.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER));
            }
            reply(x, 200, "{\"received\":true}".getBytes(StandardCharsets.UTF_8));
        });
        WebhookSender sender = sender(true, Duration.ofSeconds(1), Duration.ofSeconds(2));

        for (int i = 0; i < 5; i++) {
            WebhookSender.Attempt a = sender.send(to(base + "/hook"), EVENT, BODY);
            assertThat(a.ok()).as("attempt %d: %s", i, a.error()).isTrue();
        }

        assertThat(ports).as("remote ports the receiver saw for 5 deliveries").hasSize(1);
        long ts = CLOCK.instant().getEpochSecond();
        assertThat(signatures).hasSize(5)
                .allSatisfy(sig -> assertThat(WebhookSignature.verify("s3cret-s3cret", ts, BODY, sig)).isTrue());
    }

    @Test
    void aConnectionWhoseAnswerWasNotReadToItsEndIsNotReused() throws IOException {
        List<Integer> ports = new CopyOnWriteArrayList<>();
        String base = receiver(x -> {
            ports.add(x.getRemoteAddress().getPort());
            if (x.getRequestURI().getPath().equals("/big")) {
                reply(x, 500, "z".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8));
            } else {
                reply(x, 200, "{}".getBytes(StandardCharsets.UTF_8));
            }
        });
        WebhookSender sender = sender(true, Duration.ofSeconds(1), Duration.ofSeconds(2));

        assertThat(sender.send(to(base + "/ok"), EVENT, BODY).ok()).isTrue();
        WebhookSender.Attempt failed = sender.send(to(base + "/big"), EVENT, BODY);
        WebhookSender.Attempt next = sender.send(to(base + "/ok"), EVENT, BODY);

        assertThat(failed.status()).isEqualTo(500);
        assertThat(next.ok()).as(next.error()).isTrue();
        assertThat(ports).hasSize(3);
        assertThat(ports.get(1)).as("the 500 came on the kept-alive connection").isEqualTo(ports.get(0));
        assertThat(ports.get(2)).as("after 64 KiB left unread: a new connection").isNotEqualTo(ports.get(1));
    }

    @Test
    void aBodyDrippingInEndsTheAttemptAtConnectPlusResponseTimeout() throws IOException {
        AtomicInteger accepted = new AtomicInteger();
        ServerSocket ss = rawReceiver(accepted, s -> {
            try {
                readHead(s);
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                // one byte every 100 ms: a socket (read) timeout of 500 ms never trips; gives up after 8 s
                for (int i = 0; i < 80; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(100);
                }
                s.close();
            } catch (IOException | InterruptedException e) {
                // the sender hung up: what the test wants
            }
        });
        WebhookSender sender = sender(true, Duration.ofMillis(500), Duration.ofMillis(500));

        long start = System.nanoTime();
        WebhookSender.Attempt a = sender.send(to("http://127.0.0.1:" + ss.getLocalPort() + "/hook"), EVENT, BODY);
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertThat(a.ok()).isFalse();
        assertThat(a.error()).startsWith("timed out");
        // ends at the 1 s deadline; the bound above it is slack for a loaded CI machine, far below the receiver's 8 s
        assertThat(ms).as("attempt length (connect 500 + response 500 ms)").isBetween(900L, 4000L);
    }

    @Test
    void aFailureAnswerIsReadOnlyAsFarAsItsExcerpt() throws IOException {
        AtomicInteger accepted = new AtomicInteger();
        ServerSocket ss = rawReceiver(accepted, s -> {
            try {
                readHead(s);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 500 Internal Server Error\r\nRetry-After: 7\r\nContent-Length: 100000\r\n\r\n"
                        + "y".repeat(300)).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(10_000); // the rest never comes
            } catch (IOException | InterruptedException e) {
                // the sender hung up
            }
        });
        WebhookSender sender = sender(true, Duration.ofSeconds(1), Duration.ofSeconds(3));

        long start = System.nanoTime();
        WebhookSender.Attempt a = sender.send(to("http://127.0.0.1:" + ss.getLocalPort() + "/hook"), EVENT, BODY);
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertThat(a.status()).isEqualTo(500);
        assertThat(a.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(a.error()).startsWith("HTTP 500: yyyy").hasSizeLessThanOrEqualTo(256 + "HTTP 500: ".length());
        assertThat(ms).as("no wait for the body beyond the excerpt (deadline 4 s)").isLessThan(2000L);
    }

    @Test
    void aNameResolvingToAForbiddenAddressIsRefusedWithoutConnecting() throws IOException {
        String name = InetAddress.getLocalHost().getHostName();
        assumeTrue(!name.equalsIgnoreCase("localhost") && InetAddress.getByName(name).isLoopbackAddress(),
                "needs a host name other than localhost that resolves to loopback (here: " + name + ")");
        AtomicInteger accepted = new AtomicInteger();
        ServerSocket ss = rawReceiver(accepted, s -> {
            try {
                readHead(s);
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // not expected to be reached
            }
        });
        WebhookSender sender = sender(false, Duration.ofSeconds(1), Duration.ofSeconds(1));

        WebhookSender.Attempt byName = sender.send(to("http://" + name + ":" + ss.getLocalPort() + "/hook"), EVENT, BODY);
        WebhookSender.Attempt byLiteral = sender.send(to("http://127.0.0.1:" + ss.getLocalPort() + "/hook"), EVENT, BODY);
        WebhookSender.Attempt metadata = sender.send(to("http://169.254.169.254/latest/meta-data/"), EVENT, BODY);

        assertThat(byName.status()).isZero();
        assertThat(byName.error()).isEqualTo("refused: 127.0.0.1 is loopback; set events.webhooks.allow_loopback: true to allow it");
        assertThat(byLiteral.error()).startsWith("refused: 127.0.0.1 is loopback");
        assertThat(metadata.error()).startsWith("refused: 169.254.169.254 is link-local");
        assertThat(accepted.get()).as("connections that reached the receiver").isZero();
        assertThat(sender.send(to("http://no-such-host.invalid/hook"), EVENT, BODY).error())
                .isEqualTo("unknown host no-such-host.invalid");
    }

    @Test
    void aRedirectIsAFailureAndNotFollowed() throws IOException {
        AtomicInteger atTarget = new AtomicInteger();
        String[] base = new String[1];
        base[0] = receiver(x -> {
            if (x.getRequestURI().getPath().equals("/elsewhere")) {
                atTarget.incrementAndGet();
                reply(x, 200, new byte[0]);
                return;
            }
            x.getResponseHeaders().add("Location", base[0] + "/elsewhere");
            reply(x, 302, new byte[0]);
        });
        WebhookSender sender = sender(true, Duration.ofSeconds(1), Duration.ofSeconds(2));

        WebhookSender.Attempt a = sender.send(to(base[0] + "/hook"), EVENT, BODY);

        assertThat(a.ok()).isFalse();
        assertThat(a.status()).isEqualTo(302);
        assertThat(a.error()).isEqualTo("HTTP 302");
        assertThat(atTarget.get()).as("requests that followed the redirect").isZero();
    }

    @Test
    void closingTheSenderEndsAnAttemptInFlightPromptly() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        ServerSocket ss = rawReceiver(accepted, s -> {
            try {
                readHead(s);
                Thread.sleep(20_000); // never answers
            } catch (IOException | InterruptedException e) {
                // the sender hung up
            }
        });
        WebhookSender sender = sender(true, Duration.ofSeconds(1), Duration.ofSeconds(10));

        CompletableFuture<WebhookSender.Attempt> attempt = CompletableFuture.supplyAsync(
                () -> sender.send(to("http://127.0.0.1:" + ss.getLocalPort() + "/hook"), EVENT, BODY));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (accepted.get() == 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(accepted.get()).as("the attempt reached the receiver").isEqualTo(1);
        long start = System.nanoTime();
        sender.close();
        WebhookSender.Attempt a = attempt.get(3, TimeUnit.SECONDS);

        assertThat(a.error()).isEqualTo("interrupted (server stopping)");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000L);
    }

    @Test
    void manySubscriptionsToOneReceiverDeliverAtOnceWithoutWaitingForAConnection() throws Exception {
        String base = receiver(exchange -> {
            try {
                Thread.sleep(500); // a slow receiver: every worker's connection is busy at the same time
                exchange.sendResponseHeaders(204, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            exchange.close();
        });
        WebhookSender sender = sender(true, Duration.ofMillis(300), Duration.ofSeconds(5));
        int workers = 12; // more than a small per-receiver pool would allow
        java.util.concurrent.ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<java.util.concurrent.Future<WebhookSender.Attempt>> sent = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                sent.add(pool.submit(() -> sender.send(to(base + "/hook"), EVENT, BODY)));
            }
            for (var f : sent) {
                WebhookSender.Attempt a = f.get();
                assertThat(a.ok()).as(a.error()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
