package io.lockstep.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client on a plain socket (HTTP/1.0, so the body arrives unchunked, exactly as written):
 * the test sees the server's bytes as they come and, by closing the socket, disconnects for real.
 */
final class SseConnection implements AutoCloseable {
    record Message(long id, String type, JsonNode data) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Socket socket;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    final int status;
    final String head;
    final String errorBody;

    SseConnection(String baseUrl, String path, String token, String lastEventId) throws IOException {
        URI u = URI.create(baseUrl);
        socket = new Socket(u.getHost(), u.getPort());
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.0\r\nHost: " + u.getHost() + "\r\nAccept: text/event-stream\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder h = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            h.append(line).append('\n');
        }
        head = h.toString();
        status = Integer.parseInt(head.split(" ")[1]);
        if (status != 200) {
            StringBuilder body = new StringBuilder();
            while ((line = in.readLine()) != null) {
                body.append(line);
            }
            errorBody = body.toString();
            socket.close();
            return;
        }
        errorBody = null;
        Thread reader = new Thread(() -> read(in), "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(BufferedReader in) {
        try {
            long id = -1;
            String type = null;
            String data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        messages.add(new Message(id, type, JSON.readTree(data)));
                    }
                    id = -1;
                    type = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.add(line);
                } else if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
        } catch (IOException e) {
            // closed by the test
        } finally {
            ended.countDown();
        }
    }

    /** True when the server ended the stream (end of body) within {@code within}. */
    boolean ended(Duration within) throws InterruptedException {
        return ended.await(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every comment received so far, in order. */
    List<String> comments() {
        return new ArrayList<>(comments);
    }

    /** The next {@code n} events, failing when they do not all arrive within {@code within}. */
    List<Message> take(int n, Duration within) throws InterruptedException {
        List<Message> got = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (got.size() < n) {
            Message m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("got " + got.size() + " of " + n + " events within " + within + ": " + got);
            }
            got.add(m);
        }
        return got;
    }

    /** The event that arrives within {@code within}, or null. */
    Message poll(Duration within) throws InterruptedException {
        return messages.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    String comment(Duration within) throws InterruptedException {
        return comments.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
