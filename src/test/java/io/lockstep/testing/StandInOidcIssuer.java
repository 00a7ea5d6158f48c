package io.lockstep.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OIDC issuer on loopback, standing in for GitHub Actions' ({@code
 * https://token.actions.githubusercontent.com}) and GitLab's ({@code https://gitlab.com}) token
 * services, which tests cannot reach: it serves {@code /.well-known/openid-configuration} and a JWKS
 * over HTTP (JDK {@code HttpServer}) and signs ID tokens with nimbus-jose-jwt, RS256 with a
 * {@code kid}, as those issuers do. Tests can rotate its key (the old one leaves the JWKS), take its
 * endpoints down (503), and count JWKS fetches.
 */
public final class StandInOidcIssuer implements AutoCloseable {
    private final HttpServer http;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicInteger keyNumber = new AtomicInteger();
    private final List<RSAKey> published = new CopyOnWriteArrayList<>();
    private volatile RSAKey signing;
    private volatile boolean down;

    public StandInOidcIssuer() {
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        signing = newKey();
        published.add(signing);
        http.createContext("/.well-known/openid-configuration", ex -> answer(ex, """
                {"issuer":"%s","jwks_uri":"%s/.well-known/jwks","response_types_supported":["id_token"],
                 "subject_types_supported":["public","pairwise"],"id_token_signing_alg_values_supported":["RS256"],
                 "scopes_supported":["openid"],"claims_supported":["sub","aud","exp","iat","iss","jti","nbf","ref",
                 "repository","repository_owner","environment","workflow_ref","job_workflow_ref","project_path"]}"""
                .formatted(issuer(), issuer())));
        http.createContext("/.well-known/jwks", ex -> {
            jwksFetches.incrementAndGet();
            answer(ex, new JWKSet(List.copyOf(published).stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK())
                    .toList()).toString());
        });
        http.start();
    }

    /** {@code http://127.0.0.1:<port>}: the {@code iss} of every token this issuer signs. */
    public String issuer() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    /** Every endpoint answers 503 while down. */
    public void down(boolean down) {
        this.down = down;
    }

    /** A new signing key replaces the current one; the old key leaves the JWKS (a completed rotation). */
    public void rotate() {
        RSAKey next = newKey();
        published.clear();
        published.add(next);
        signing = next;
    }

    public RSAKey signingKey() {
        return signing;
    }

    /** {@code payload} signed RS256 with the current key, {@code typ: JWT}, as GitHub and GitLab sign. */
    public String sign(Map<String, Object> payload) {
        return sign(payload, signing, signing.getKeyID());
    }

    /** Signed with {@code key}, but with {@code kid} in the header. */
    public static String sign(Map<String, Object> payload, RSAKey key, String kid) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                    .keyID(kid).build(), JWTClaimsSet.parse(payload));
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException | ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code alg: none}) with {@code payload}. */
    public static String unsigned(Map<String, Object> payload) {
        try {
            return new PlainJWT(JWTClaimsSet.parse(payload)).serialize();
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The algorithm-confusion attack: HS256 with the issuer's RSA public key (its X.509 encoding, as
     * anyone can fetch it) as the HMAC secret, and the real key's {@code kid}.
     */
    public String hs256WithPublicKey(Map<String, Object> payload) {
        try {
            byte[] secret = signing.toRSAPublicKey().getEncoded();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT)
                    .keyID(signing.getKeyID()).build(), JWTClaimsSet.parse(payload));
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException | ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces the time claims of {@code payload}: issued now, valid from 5 s before, for 10 minutes. */
    public static Map<String, Object> fresh(Map<String, Object> payload, Instant now) {
        java.util.LinkedHashMap<String, Object> out = new java.util.LinkedHashMap<>(payload);
        out.put("iat", now.getEpochSecond());
        out.put("nbf", now.getEpochSecond() - 5);
        out.put("exp", now.getEpochSecond() + 600);
        return out;
    }

    private RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("stand-in-key-" + keyNumber.incrementAndGet()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void answer(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (down) {
            ex.sendResponseHeaders(503, -1);
        } else {
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
