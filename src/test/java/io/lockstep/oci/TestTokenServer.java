package io.lockstep.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Docker token server (the "realm" of {@code WWW-Authenticate: Bearer}) on loopback. It
 * stands in for an external auth service (Harbor, GitLab, Docker Hub's auth) and issues RS256 JWTs that
 * the real registry verifies against the certificate in {@link #rootCertBundle()}.
 *
 * <p>The token header carries {@code kid} = the libtrust fingerprint of the signing key, which is how
 * distribution 2.8 finds the key among the bundle's certificates: SHA-256 over the DER
 * SubjectPublicKeyInfo, first 240 bits, base32 without padding, in 12 groups of 4 joined by ':'.
 * Every requested {@code repository:*:*} action is granted to an authenticated caller (the test is
 * about the client's token flow, not about authorization policy).
 */
public final class TestTokenServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String service;
    private final String issuer;
    private final Map<String, String> users;
    private final Duration tokenTtl;
    private final TestPki.KeyPair signingKey;
    private final String keyId;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> requestedScopes = new CopyOnWriteArrayList<>();
    private volatile String audienceOverride;

    /**
     * @param users    accepted basic credentials; empty means anonymous callers get tokens too
     * @param tokenTtl {@code expires_in} of issued tokens
     */
    public TestTokenServer(Path dir, String service, String issuer, Map<String, String> users, Duration tokenTtl) {
        this.service = service;
        this.issuer = issuer;
        this.users = Map.copyOf(users);
        this.tokenTtl = tokenTtl;
        this.signingKey = TestPki.selfSigned(dir, "token-signer", "lockstep-test-token-signer", null);
        this.keyId = libtrustKeyId(signingKey.x509().getPublicKey());
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/token", this::issue);
        server.start();
    }

    /** The realm URL to put in the registry's {@code auth.token.realm}. */
    public URI realm() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    /** PEM file with the signing certificate, for {@code auth.token.rootcertbundle}. */
    public Path rootCertBundle() {
        return signingKey.certificate();
    }

    public RegistryFixture.TokenAuth registryTokenAuth() {
        return new RegistryFixture.TokenAuth(realm(), service, issuer, rootCertBundle());
    }

    /**
     * Issue tokens for another audience from now on (null restores the right one): lets a test prove
     * the registry really verifies what we hand it.
     */
    public void issueForAudience(String audience) {
        this.audienceOverride = audience;
    }

    /** How many token requests arrived (including refused ones). */
    public int requestCount() {
        return requests.get();
    }

    /** Every scope parameter received, in order. */
    public List<String> requestedScopes() {
        return List.copyOf(requestedScopes);
    }

    /** The libtrust key ID distribution 2.8 computes for a key in its root cert bundle. */
    static String libtrustKeyId(PublicKey key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            byte[] truncated = java.util.Arrays.copyOf(hash, 30);
            String b32 = base32(truncated);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < b32.length(); i += 4) {
                if (i > 0) {
                    sb.append(':');
                }
                sb.append(b32, i, Math.min(b32.length(), i + 4));
            }
            return sb.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 4648 base32, no padding (30 bytes encode to exactly 48 characters). */
    private static String base32(byte[] data) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    private void issue(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            Map<String, List<String>> query = parseQuery(ex.getRequestURI().getRawQuery());
            String subject = "anonymous";
            if (!users.isEmpty()) {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                subject = authenticate(auth);
                if (subject == null) {
                    ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test-token-server\"");
                    ex.sendResponseHeaders(401, -1);
                    return;
                }
            }
            if (!service.equals(first(query, "service"))) {
                ex.sendResponseHeaders(400, -1);
                return;
            }
            List<Map<String, Object>> access = new ArrayList<>();
            for (String scope : query.getOrDefault("scope", List.of())) {
                requestedScopes.add(scope);
                String[] parts = scope.split(":");
                if (parts.length == 3 && parts[0].equals("repository")) {
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("type", "repository");
                    a.put("name", parts[1]);
                    a.put("actions", List.of(parts[2].split(",")));
                    access.add(a);
                }
            }
            String token = jwt(subject, access);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token", token);
            body.put("access_token", token);
            body.put("expires_in", tokenTtl.toSeconds());
            body.put("issued_at", Instant.now().toString());
            byte[] bytes = JSON.writeValueAsBytes(body);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    private String authenticate(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        return decoded.substring(colon + 1).equals(users.get(user)) ? user : null;
    }

    private String jwt(String subject, List<Map<String, Object>> access) throws IOException {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "JWT");
        header.put("alg", "RS256");
        header.put("kid", keyId);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", audienceOverride != null ? audienceOverride : service);
        claims.put("exp", now + tokenTtl.toSeconds());
        claims.put("nbf", now - 1);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("access", access);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(JSON.writeValueAsBytes(header)) + "." + b64.encodeToString(JSON.writeValueAsBytes(claims));
        try {
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initSign(signingKey.rsaPrivateKey());
            sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(sig.sign());
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign test token", e);
        }
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String first(Map<String, List<String>> q, String k) {
        List<String> v = q.get(k);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
