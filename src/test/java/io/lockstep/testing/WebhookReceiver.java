package io.lockstep.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A real webhook receiver: the JDK's {@code com.sun.net.httpserver.HttpServer} listening on a loopback port,
 * speaking real HTTP to the server under test. Each path records what arrived (headers, exact body bytes,
 * arrival time) and answers as its {@link Answer} says (a status, an optional {@code Retry-After}, or a hang).
 */
public final class WebhookReceiver implements AutoCloseable {
    /** How a path answers the request number {@code n} (1-based). */
    public record Answer(int status, String retryAfter, Duration delay) {
        public static final Answer OK = new Answer(200, null, Duration.ZERO);

        public static Answer status(int status) {
            return new Answer(status, null, Duration.ZERO);
        }
    }

    /** One request as received. */
    public record Received(String path, Map<String, List<String>> headers, byte[] body, long nanos) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private final Map<String, Function<Integer, Answer>> answers = new ConcurrentHashMap<>();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "webhook-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            long at = System.nanoTime();
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            List<Received> list = received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>());
            list.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body, at));
            Answer a = answers.getOrDefault(path, n -> Answer.OK).apply(list.size());
            try {
                if (!a.delay().isZero()) {
                    Thread.sleep(a.delay().toMillis());
                }
                if (a.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", a.retryAfter());
                }
                byte[] reply = ("{\"received\":" + list.size() + "}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(a.status(), reply.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply);
                }
            } catch (InterruptedException | IOException e) {
                exchange.close();
            }
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void answer(String path, Function<Integer, Answer> answer) {
        answers.put(path, answer);
    }

    public List<Received> at(String path) {
        return new ArrayList<>(received.getOrDefault(path, List.of()));
    }

    /** Polls {@code condition} every 20 ms for at most {@code timeout}; true when it held. */
    public static boolean await(Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
