package io.lockstep.oci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away keys and self-signed certificates made with {@code openssl} at test time (nothing
 * secret is committed). Used for the registry's TLS listener and for the token server's JWT signing
 * key.
 */
public final class TestPki {

    /** A PEM certificate and its unencrypted PKCS#8 PEM private key. */
    public record KeyPair(Path certificate, Path privateKey) {

        public X509Certificate x509() {
            try (var in = Files.newInputStream(certificate)) {
                return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read " + certificate, e);
            }
        }

        public PrivateKey rsaPrivateKey() {
            try {
                String pem = Files.readString(privateKey, StandardCharsets.US_ASCII)
                        .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            } catch (Exception e) {
                throw new IllegalStateException("cannot read " + privateKey, e);
            }
        }
    }

    private TestPki() {
    }

    /**
     * A 2048-bit RSA key and self-signed certificate valid for a day.
     *
     * @param subjectAltName e.g. {@code IP:127.0.0.1,DNS:localhost}, or null for none
     */
    public static KeyPair selfSigned(Path dir, String name, String commonName, String subjectAltName) {
        ExternalTools.require("/usr/bin/openssl", "openssl");
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        var cmd = new java.util.ArrayList<>(java.util.List.of("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=" + commonName));
        if (subjectAltName != null) {
            cmd.add("-addext");
            cmd.add("subjectAltName=" + subjectAltName);
        }
        run(cmd);
        return new KeyPair(cert, key);
    }

    private static void run(java.util.List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(cmd.get(0) + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
