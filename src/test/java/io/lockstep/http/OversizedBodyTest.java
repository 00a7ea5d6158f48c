package io.lockstep.http;

import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that sends a whole oversized body without {@code Expect: 100-continue} must still read
 * the 413 and its JSON body, not a reset connection. Written with a raw socket so the body is sent
 * in full before the response is read, as simple clients do.
 */
class OversizedBodyTest {
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers();

    @Test
    void aWholeOversizedBodyIsAnsweredWith413() throws Exception {
        TestServer s = servers.of(StoreKind.SQLITE);
        for (int size : new int[] {2 * 1024 * 1024, 6 * 1024 * 1024}) {
            String response = postWholeBody(s, size);
            assertThat(response).as("%d-byte body", size).startsWith("HTTP/1.1 413");
            assertThat(response).contains("\"code\":\"BODY_TOO_LARGE\"");
        }
    }

    /** Writes headers and the entire body, then reads the response until the server closes or 5 s pass. */
    private static String postWholeBody(TestServer s, int size) throws Exception {
        URI base = URI.create(s.url());
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[size - 1] = '}';
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /cp/admin/runtime-image/promote HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + TestConfig.CI + "\r\nContent-Type: application/json\r\nContent-Length: " + size
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received);
            return received.toString(StandardCharsets.UTF_8);
        }
    }
}
