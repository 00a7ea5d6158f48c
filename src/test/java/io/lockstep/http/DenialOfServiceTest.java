package io.lockstep.http;

import io.lockstep.metrics.Metrics;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, denial of service: nothing a client does on other routes may stop resolve from answering
 * from its snapshot, and nothing a client sends may grow {@code /metrics} (or the heap) without
 * bound. The attackers hold only a report token (slow bodies) or no token at all (junk methods).
 *
 * <p>Latency here is a guard with a wide margin (p99 &lt; 100 ms for answers that take well under
 * 1 ms), not a measurement: bench/slow-bodies.sh measures. Without the limits the resolves do not
 * get slow, they stop: every pool thread is parked in a body read and new connections are never
 * set up.
 */
class DenialOfServiceTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers();

    private static final int SLOW_BODIES = 300;
    private static final int JUNK_REQUESTS = 20_000;
    private static final int RESOLVES = 200;
    private static final int METRICS_LIMIT = 64 * 1024;
    private static final String QUERY = "/api/v1/resolve?environment=prod&kind=solo";
    /** Paths junk methods are sent to: a route, a route with several methods, and no route. */
    private static final String[] JUNK_PATHS = {"/healthz", "/api/v1/templates", "/no/such/route"};

    @Test
    void resolveKeepsAnsweringWhileSlowBodiesAndJunkMethodsArrive() throws Exception {
        TestServer s = promoted("dos-resolve");
        URI base = URI.create(s.url());
        resolveLatencies(base, 50); // warm-up: the limits are under test, not the JIT
        try (SlowBodies slow = new SlowBodies(base, SLOW_BODIES, Duration.ofSeconds(1))) {
            slow.start();
            slow.awaitOpened(SLOW_BODIES, Duration.ofSeconds(20));
            sendJunkMethods(base, JUNK_REQUESTS, Duration.ofSeconds(40));
            // Best of three rounds: the machine is shared, and one scheduling hiccup of another
            // process must not fail the test. Without the limits every round fails, with timeouts.
            List<Long> p99s = new ArrayList<>();
            for (int round = 0; round < 3 && (p99s.isEmpty() || p99s.get(p99s.size() - 1) >= 100); round++) {
                long[] millis = resolveLatencies(base, RESOLVES);
                p99s.add(millis[(int) Math.ceil(RESOLVES * 0.99) - 1]);
                // The data-rate limit cuts the slow bodies off in a wave (they all began together) and each
                // comes back 200 ms later, so a count taken in that moment dips: ask for half, which still
                // means the server held well over a hundred slow bodies while resolve answered.
                assertThat(slow.open()).as("slow-body connections held open while resolve was measured")
                        .isGreaterThanOrEqualTo(SLOW_BODIES / 2);
            }
            assertThat(p99s.get(p99s.size() - 1)).as("resolve p99 in ms, per round of %d: %s", RESOLVES, p99s)
                    .isLessThan(100);

            String metrics = get(base, "/metrics", null);
            assertThat(metrics.length()).as("/metrics size after %d junk methods", JUNK_REQUESTS)
                    .isLessThan(METRICS_LIMIT);

            // Body readers were cut off or turned away with an answer, never left hanging: a 408 from
            // the data rate limit, a 503 from the body concurrency limit, and nothing else. The rate is an
            // average over each request's life, so the first 408 comes some seconds after the drip began;
            // on a quiet machine the rounds above can end sooner, so wait for it (bounded) rather than race it.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> slow.statuses().containsKey(408));
            assertThat(slow.statuses().keySet()).as("statuses the slow-body clients got").containsOnly(408, 503);
            assertThat(slow.sample(408)).contains("\"code\":\"BODY_TOO_SLOW\"");
            assertThat(slow.sample(503)).contains("\"code\":\"SERVER_BUSY\",\"retryable\":true").containsIgnoringCase("Retry-After: 2");
        }
    }

    @Test
    void junkMethodsShareOneMetricLabel() throws Exception {
        TestServer s = servers.of(StoreKind.SQLITE);
        URI base = URI.create(s.url());
        sendJunkMethods(base, 2_000, Duration.ofSeconds(30));
        String metrics = get(base, "/metrics", null);
        assertThat(metrics).contains("method=\"OTHER\"");
        assertThat(metrics).doesNotContain("method=\"JQ").doesNotContain("/no/such/route");
        assertThat(metrics.length()).isLessThan(METRICS_LIMIT);
    }

    /**
     * Made-up methods no longer reach the label (they are answered 501 first), so the label rule is
     * tested where it lives: whatever a caller passes, the values come from a fixed set.
     */
    @Test
    void requestLabelsTakeValuesFromAFixedSet() {
        Metrics metrics = servers.of(StoreKind.SQLITE).server.metrics();
        for (int i = 0; i < 5_000; i++) {
            metrics.request(junkMethod(i), "unmatched", 404, Duration.ofMillis(1));
            metrics.request("GET", "unmatched", 1_000 + i, Duration.ofMillis(1));
        }
        String scrape = metrics.scrape();
        assertThat(scrape).contains("method=\"OTHER\",route=\"unmatched\",status=\"404\"")
                .contains("method=\"GET\",route=\"unmatched\",status=\"other\"")
                .doesNotContain("method=\"JQ").doesNotContain("status=\"1000\"");
        assertThat(scrape.length()).isLessThan(METRICS_LIMIT);
    }

    // ---------------------------------------------------------------------------------------------

    private TestServer promoted(String seed) {
        TestServer s = servers.of(StoreKind.SQLITE);
        var r = s.http.post("/api/v1/environments/prod/pins/solo/promote", TestConfig.CI,
                "{\"image_digest\":\"" + TestConfig.digest(seed) + "\"}");
        assertThat(r.status()).isIn(200, 201);
        return s;
    }

    /** Resolves on a fresh connection each (a provisioner's first request), sorted latencies in ms. */
    private static long[] resolveLatencies(URI base, int count) throws IOException {
        long[] millis = new long[count];
        int failures = 0;
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            try {
                String response = exchange(base, "GET " + QUERY + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + TestConfig.READER + "\r\nConnection: close\r\n\r\n", Duration.ofSeconds(2));
                assertThat(response).startsWith("HTTP/1.1 200");
                millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            } catch (SocketTimeoutException e) {
                millis[i] = 2_000;
                if (++failures > 2) { // p99 is already lost; do not wait 2 s for each of the rest
                    Arrays.fill(millis, i + 1, count, 2_000);
                    break;
                }
            }
        }
        Arrays.sort(millis);
        return millis;
    }

    /**
     * {@code count} requests, each with its own made-up method, pipelined over a few keep-alive
     * connections. Every one must be answered (4xx, or 501 for an unknown method), never with a 500.
     */
    private static void sendJunkMethods(URI base, int count, Duration deadline) throws Exception {
        int connections = 8;
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                done.add(pool.submit(() -> {
                    int answered = 0;
                    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                        socket.setSoTimeout((int) deadline.toMillis());
                        OutputStream out = socket.getOutputStream();
                        InputStream in = new BufferedInputStream(socket.getInputStream());
                        while (true) {
                            StringBuilder batch = new StringBuilder();
                            int sent = 0;
                            for (int i; sent < 50 && (i = next.getAndIncrement()) < count; sent++) {
                                batch.append(junkMethod(i)).append(' ').append(JUNK_PATHS[i % JUNK_PATHS.length])
                                        .append(" HTTP/1.1\r\nHost: localhost\r\n\r\n");
                            }
                            if (sent == 0) {
                                return answered;
                            }
                            out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            for (int i = 0; i < sent; i++) {
                                int status = readResponse(in);
                                assertThat(status).as("status of a junk-method request").isBetween(400, 501)
                                        .isNotEqualTo(500);
                                answered++;
                            }
                        }
                    }
                }));
            }
            long until = System.nanoTime() + deadline.toNanos();
            int answered = 0;
            for (Future<Integer> f : done) {
                answered += f.get(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            assertThat(answered).isEqualTo(count);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A distinct, valid HTTP method token per request: JQ followed by i in base 26 (A–Z). */
    private static String junkMethod(int i) {
        StringBuilder m = new StringBuilder("JQ");
        do {
            m.append((char) ('A' + i % 26));
            i /= 26;
        } while (i > 0);
        return m.toString();
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String status = readLine(in);
        if (status == null) {
            throw new IOException("connection closed before a response");
        }
        int length = 0;
        for (String h; !(h = readLine(in)).isEmpty(); ) {
            if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(h.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return Integer.parseInt(status.substring(9, 12));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b == -1) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static String exchange(URI base, String request, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String get(URI base, String path, String token) throws IOException {
        String response = exchange(base, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "Connection: close\r\n\r\n",
                Duration.ofSeconds(10));
        assertThat(response).startsWith("HTTP/1.1 200");
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    /**
     * {@code target} connections that each announce a 100 kB fleet report with the low-trust report
     * token and then send one byte per {@code drip}, forever. A connection the server answers or
     * closes is replaced on the next drip, as a determined attacker would. One selector thread.
     */
    static final class SlowBodies implements AutoCloseable {
        private final InetSocketAddress server;
        private final int target;
        private final Duration drip;
        private final Selector selector;
        private final Map<SocketChannel, ByteArrayOutputStream> open = new HashMap<>();
        private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        private final Map<Integer, String> samples = new ConcurrentHashMap<>();
        private final AtomicInteger opened = new AtomicInteger();
        private final AtomicInteger openNow = new AtomicInteger();
        private static final Duration RECONNECT_PAUSE = Duration.ofMillis(200);
        private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");
        private final ArrayDeque<Long> reconnectAt = new ArrayDeque<>();
        private final Thread thread;
        private volatile boolean running = true;

        SlowBodies(URI base, int target, Duration drip) throws IOException {
            this.server = new InetSocketAddress(base.getHost(), base.getPort());
            this.target = target;
            this.drip = drip;
            this.selector = Selector.open();
            this.thread = new Thread(this::run, "slow-bodies");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        int open() {
            return openNow.get();
        }

        Map<Integer, Integer> statuses() {
            Map<Integer, Integer> copy = new HashMap<>();
            statuses.forEach((k, v) -> copy.put(k, v.get()));
            return copy;
        }

        /** The first response (headers and what had arrived of the body) seen with this status. */
        String sample(int status) {
            return samples.getOrDefault(status, "");
        }

        void awaitOpened(int count, Duration timeout) throws InterruptedException {
            long until = System.nanoTime() + timeout.toNanos();
            while (opened.get() < count && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(opened.get()).as("slow-body connections opened").isGreaterThanOrEqualTo(count);
        }

        private void run() {
            long nextDrip = System.nanoTime() + drip.toNanos();
            ByteBuffer in = ByteBuffer.allocate(4096);
            try {
                while (open.size() < target) {
                    connect();
                }
                while (running) {
                    long wake = reconnectAt.isEmpty() ? nextDrip : Math.min(nextDrip, reconnectAt.peek());
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wake - System.nanoTime())));
                    for (SelectionKey key : selector.selectedKeys()) {
                        SocketChannel ch = (SocketChannel) key.channel();
                        in.clear();
                        int n;
                        try {
                            n = ch.read(in);
                        } catch (IOException e) {
                            n = -1;
                        }
                        if (n > 0) {
                            open.get(ch).write(in.array(), 0, n);
                        }
                        if (answeredIn(open.get(ch), n < 0)) {
                            close(ch);
                        }
                    }
                    selector.selectedKeys().clear();
                    if (System.nanoTime() >= nextDrip) {
                        nextDrip = System.nanoTime() + drip.toNanos();
                        for (SocketChannel ch : List.copyOf(open.keySet())) {
                            try {
                                ch.write(ByteBuffer.wrap(new byte[] {' '}));
                            } catch (IOException e) {
                                close(ch);
                            }
                        }
                    }
                    // A replaced connection comes back after a pause, as a real client's retry would:
                    // reconnecting at once would turn the test into a CPU flood.
                    while (!reconnectAt.isEmpty() && reconnectAt.peek() <= System.nanoTime()) {
                        reconnectAt.poll();
                        connect();
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void connect() throws IOException {
            SocketChannel ch = SocketChannel.open(server);
            ch.write(ByteBuffer.wrap(("POST /api/v1/fleet/reports HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + TestConfig.REPORTER + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII)));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            open.put(ch, new ByteArrayOutputStream());
            opened.incrementAndGet();
            openNow.set(open.size());
        }

        /** Counts the response once it is complete (or the server closed); the connection is then replaced. */
        private boolean answeredIn(ByteArrayOutputStream received, boolean closed) {
            String text = received.toString(StandardCharsets.US_ASCII);
            int headersEnd = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || (headersEnd < 0 && !closed)) {
                return closed;
            }
            Matcher length = CONTENT_LENGTH.matcher(text);
            if (!closed && length.find() && text.length() < headersEnd + 4 + Integer.parseInt(length.group(1))) {
                return false;
            }
            int status = Integer.parseInt(text.substring(9, 12));
            statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
            samples.putIfAbsent(status, text);
            return true;
        }

        private void close(SocketChannel ch) {
            if (open.remove(ch) != null && running) {
                reconnectAt.add(System.nanoTime() + RECONNECT_PAUSE.toNanos());
            }
            openNow.set(open.size());
            try {
                ch.close();
            } catch (IOException ignored) {
                // already gone
            }
        }

        @Override
        public void close() throws InterruptedException, IOException {
            running = false;
            selector.wakeup();
            thread.join(5_000);
            for (SocketChannel ch : List.copyOf(open.keySet())) {
                close(ch);
            }
            selector.close();
        }
    }
}
