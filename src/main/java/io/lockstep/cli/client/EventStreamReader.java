package io.lockstep.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/** Reads one Server-Sent Events connection (the {@code text/event-stream} format) for {@code lockstep events --follow}. */
public final class EventStreamReader {
    /**
     * One message: {@code id} (null when the message had none), {@code type} ({@code event:}), {@code data}
     * (null for a message that only moves the resume point, e.g. the id the server starts after).
     */
    public record Message(String id, String type, String data) {
    }

    /**
     * How a connection ended: {@code refused} (a non-200 answer or no connection), or dropped for {@code reason};
     * {@code serverEnded} is the server's own word when it ended the stream on purpose (its last comment
     * {@code : stream ended: token_expired}), which reconnecting with the same token cannot undo.
     */
    public record End(ApiResponse refused, String reason, String serverEnded) {
        End(ApiResponse refused, String reason) {
            this(refused, reason, null);
        }

        static End refused(ApiResponse r) {
            return new End(r, null);
        }
    }

    private static final String ENDED = ": stream ended: ";

    private EventStreamReader() {
    }

    static End read(HttpClient http, HttpRequest request, Duration silence, Consumer<Message> onMessage,
                    Function<String, JsonNode> parse) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return End.refused(ApiResponse.unreachable(request.uri().getHost() + ":" + request.uri().getPort() + " "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new End(null, "interrupted");
        }
        InputStream body = response.body();
        if (response.statusCode() != 200) {
            String text;
            try (body) {
                text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
            return End.refused(new ApiResponse(response.statusCode(), text, parse.apply(text), null, false,
                    response.headers().firstValue("Retry-After").orElse(null)));
        }
        AtomicLong lastLine = new AtomicLong(System.nanoTime());
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lockstep-events-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(() -> {
            if (System.nanoTime() - lastLine.get() > silence.toNanos()) {
                try {
                    body.close(); // unblocks the read below, which then reports the drop
                } catch (IOException ignored) {
                    // closing is all we can do
                }
            }
        }, 1, 1, TimeUnit.SECONDS);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String ended = null;
            String type = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                lastLine.set(System.nanoTime());
                if (line.isEmpty()) {
                    if (id != null || data != null) {
                        onMessage.accept(new Message(id, type, data == null ? null : data.toString()));
                    }
                    id = null;
                    type = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    if (line.startsWith(ENDED)) {
                        ended = line.substring(ENDED.length()).trim();
                    }
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> type = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> { } // retry: and unknown fields
                }
            }
            return new End(null, System.nanoTime() - lastLine.get() > silence.toNanos()
                    ? "no data for " + silence.toSeconds() + "s" : "the server closed the stream", ended);
        } catch (IOException | UncheckedIOException e) {
            return new End(null, System.nanoTime() - lastLine.get() > silence.toNanos()
                    ? "no data for " + silence.toSeconds() + "s" : "connection lost: " + e.getMessage());
        } finally {
            watchdog.shutdownNow();
        }
    }
}
