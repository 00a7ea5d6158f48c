package io.lockstep.oci;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted HTTP server on loopback for behaviour the real registry cannot be made to show (429,
 * wrong digests, redirects to object storage). It records every request so tests can count them.
 * Used only where a stand-in is unavoidable; everything else runs against {@link RegistryFixture}.
 */
final class StandInServer implements AutoCloseable {

    /** One received request. */
    record Received(String method, URI uri, String authorization) {
    }

    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange, int requestNumber) throws IOException;
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    StandInServer(Handler handler) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", ex -> {
            try (ex) {
                received.add(new Received(ex.getRequestMethod(), ex.getRequestURI(), ex.getRequestHeaders().getFirst("Authorization")));
                handler.handle(ex, received.size());
            }
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int requestCount() {
        return received.size();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (head || body == null) {
            if (body != null) {
                ex.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
            }
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
