package io.lockstep.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A loopback port that tells whether anything connected to it, for "the CLI sends nothing" tests.
 * It never accepts while the client runs, so a connection stays in the kernel's accept queue; a
 * client's connect completes its handshake before the client can exit, so once the client process
 * has exited {@link #connections()} is exact, with no waiting on counters that lag behind responses.
 */
final class Tripwire implements AutoCloseable {
    private final ServerSocket socket;

    Tripwire() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** Connections made to this port so far (call after the client has exited). */
    int connections() {
        int n = 0;
        try {
            socket.setSoTimeout(200);
            while (true) {
                try (Socket ignored = socket.accept()) {
                    n++;
                } catch (SocketTimeoutException queueEmpty) {
                    return n;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
