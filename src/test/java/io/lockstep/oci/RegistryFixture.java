package io.lockstep.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * A real CNCF distribution registry ({@code /usr/bin/docker-registry serve <config.yml>}, Debian
 * package {@code docker-registry}) for tests, on 127.0.0.1 with a free port, its own temporary
 * storage and config file.
 *
 * <pre>{@code
 * try (RegistryFixture registry = RegistryFixture.builder().deleteEnabled(true).start()) {
 *     RegistryClient client = new RegistryClient(registry.clientConfig().build());
 *     ...
 * }
 * }</pre>
 *
 * <p>Options: {@link Builder#deleteEnabled}, {@link Builder#htpasswd} (basic auth),
 * {@link Builder#tokenAuth} (bearer tokens from a token server such as {@link TestTokenServer}),
 * {@link Builder#notifications} (webhook endpoint), {@link Builder#tls}. If the binary is missing the
 * test is skipped, or fails when {@code CI=true} (see {@link ExternalTools}). {@link #stop()} and
 * {@link #restart()} keep storage, so tests can simulate an outage; {@link #close()} stops the
 * process and deletes the directory.
 */
public final class RegistryFixture implements AutoCloseable {

    public static final String BINARY = "/usr/bin/docker-registry";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

    /** Token auth settings as the registry's {@code auth.token} section wants them. */
    public record TokenAuth(URI realm, String service, String issuer, Path rootCertBundle) {
    }

    private final Builder settings;
    private final Path dir;
    private final Path configFile;
    private final Path logFile;
    private int port;
    private Process process;

    private RegistryFixture(Builder settings) throws IOException {
        this.settings = settings;
        this.dir = Files.createTempDirectory("lockstep-registry-");
        this.configFile = dir.resolve("config.yml");
        this.logFile = dir.resolve("registry.log");
        Files.createDirectories(storageDir());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A registry with deletes enabled and no auth. */
    public static RegistryFixture startDefault() {
        return builder().deleteEnabled(true).start();
    }

    /** {@code http://127.0.0.1:<port>} (or https when TLS is configured). */
    public URI url() {
        return URI.create((settings.tlsCert != null ? "https" : "http") + "://" + hostPort());
    }

    /** {@code 127.0.0.1:<port>}, as skopeo and image references want it. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path storageDir() {
        return dir.resolve("storage");
    }

    public Path configFile() {
        return configFile;
    }

    /** Everything the registry printed so far (for assertion messages). */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "<cannot read registry log: " + e + ">";
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * A client config for this registry: anonymous, fast retries (tests should not wait seconds on
     * an intentionally stopped registry), no rate limit. Adjust auth and the rest as needed.
     */
    public RegistryConfig.Builder clientConfig() {
        return RegistryConfig.builder(url())
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(10))
                .retry(new RegistryRetry(2, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(1)))
                .rateLimit(0, 1);
    }

    /** Stops the process; storage and port are kept so {@link #restart()} brings the same registry back. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /**
     * Points the registry's notifications at {@code endpoint} and restarts it (same port, same storage):
     * for a receiver whose address is only known after the registry's own address was handed to it.
     */
    public void notifyTo(URI endpoint, Map<String, String> headers) {
        settings.notificationUrl = endpoint;
        settings.notificationHeaders.clear();
        settings.notificationHeaders.putAll(headers);
        restart();
    }

    /** Starts the registry again on the same port with the same storage. */
    public void restart() {
        stop();
        launch(port);
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir cleanup is best effort
        }
    }

    private void startOnFreePort() {
        RuntimeException last = null;
        for (int tries = 0; tries < 3; tries++) {
            try {
                launch(freePort());
                return;
            } catch (PortTakenException e) {
                last = e; // another process grabbed the port between probe and bind; try another one
            }
        }
        throw last;
    }

    private void launch(int onPort) {
        this.port = onPort;
        try {
            Files.writeString(configFile, configYaml(), StandardCharsets.UTF_8);
            process = new ProcessBuilder(BINARY, "serve", configFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
        awaitReady();
    }

    private void awaitReady() {
        HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500));
        if (settings.tlsCert != null) {
            hb.sslContext(insecureContext());
        }
        HttpClient http = hb.build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = log();
                if (log.contains("address already in use")) {
                    throw new PortTakenException();
                }
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + " during startup:\n" + log);
            }
            try {
                // Any HTTP answer (200, or 401 with auth on) means the listener is up.
                http.send(HttpRequest.newBuilder(url().resolve("/v2/")).timeout(Duration.ofSeconds(1)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stop();
        throw new IllegalStateException("docker-registry did not answer /v2/ within " + STARTUP_TIMEOUT + ":\n" + log());
    }

    private String configYaml() throws IOException {
        StringBuilder y = new StringBuilder();
        y.append("version: 0.1\n");
        y.append("log:\n  level: info\n  formatter: text\n  accesslog:\n    disabled: true\n");
        y.append("storage:\n  filesystem:\n    rootdirectory: ").append(storageDir()).append('\n');
        y.append("  delete:\n    enabled: ").append(settings.deleteEnabled).append('\n');
        y.append("  maintenance:\n    uploadpurging:\n      enabled: false\n");
        y.append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
        y.append("  secret: ").append(UUID.randomUUID()).append('\n');
        if (settings.tlsCert != null) {
            y.append("  tls:\n    certificate: ").append(settings.tlsCert).append("\n    key: ").append(settings.tlsKey).append('\n');
        }
        if (!settings.htpasswd.isEmpty()) {
            Path htpasswd = dir.resolve("htpasswd");
            Files.writeString(htpasswd, htpasswdFile(settings.htpasswd), StandardCharsets.UTF_8);
            y.append("auth:\n  htpasswd:\n    realm: lockstep-test\n    path: ").append(htpasswd).append('\n');
        } else if (settings.tokenAuth != null) {
            TokenAuth t = settings.tokenAuth;
            y.append("auth:\n  token:\n    realm: \"").append(t.realm()).append("\"\n")
                    .append("    service: \"").append(t.service()).append("\"\n")
                    .append("    issuer: \"").append(t.issuer()).append("\"\n")
                    .append("    rootcertbundle: ").append(t.rootCertBundle()).append('\n');
        }
        if (settings.notificationUrl != null) {
            y.append("notifications:\n  endpoints:\n    - name: lockstep\n      url: \"").append(settings.notificationUrl).append("\"\n");
            if (!settings.notificationHeaders.isEmpty()) {
                y.append("      headers:\n");
                for (Map.Entry<String, String> h : settings.notificationHeaders.entrySet()) {
                    y.append("        ").append(h.getKey()).append(": [\"").append(h.getValue()).append("\"]\n");
                }
            }
            y.append("      timeout: 2s\n      threshold: 3\n      backoff: 1s\n");
        }
        return y.toString();
    }

    /** bcrypt lines from {@code htpasswd -B} (apache2-utils); the password goes over stdin, not argv. */
    private static String htpasswdFile(Map<String, String> users) throws IOException {
        String bin = ExternalTools.require("/usr/bin/htpasswd", "apache2-utils").toString();
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> u : users.entrySet()) {
            Process p = new ProcessBuilder(bin, "-nBi", u.getKey()).redirectErrorStream(false).start();
            p.getOutputStream().write((u.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !line.startsWith(u.getKey() + ":$2")) {
                    throw new IllegalStateException("htpasswd failed for user " + u.getKey());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SSLContext insecureContext() {
        return TlsContexts.insecure();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class PortTakenException extends RuntimeException {
        PortTakenException() {
            super("port taken");
        }
    }

    /** Options for a {@link RegistryFixture}; {@link #start()} launches it. */
    public static final class Builder {
        private boolean deleteEnabled;
        private final Map<String, String> htpasswd = new LinkedHashMap<>();
        private TokenAuth tokenAuth;
        private URI notificationUrl;
        private final Map<String, String> notificationHeaders = new LinkedHashMap<>();
        private Path tlsCert;
        private Path tlsKey;

        private Builder() {
        }

        /** Allow {@code DELETE} of manifests (storage.delete.enabled). */
        public Builder deleteEnabled(boolean enabled) {
            this.deleteEnabled = enabled;
            return this;
        }

        /** Require basic auth; adds one htpasswd (bcrypt) user. Call again for more users. */
        public Builder htpasswd(String user, String password) {
            htpasswd.put(user, password);
            return this;
        }

        /** Require bearer tokens issued by the given token server. Exclusive with htpasswd. */
        public Builder tokenAuth(TokenAuth tokenAuth) {
            this.tokenAuth = tokenAuth;
            return this;
        }

        /** Send push/pull/delete notifications to {@code endpoint}, with extra headers (e.g. a shared secret). */
        public Builder notifications(URI endpoint, Map<String, String> headers) {
            this.notificationUrl = endpoint;
            this.notificationHeaders.putAll(headers);
            return this;
        }

        /** Serve https with this PEM certificate and key. */
        public Builder tls(Path certificatePem, Path keyPem) {
            this.tlsCert = certificatePem;
            this.tlsKey = keyPem;
            return this;
        }

        /** Starts the registry and waits until {@code /v2/} answers. */
        public RegistryFixture start() {
            ExternalTools.require(BINARY, "docker-registry");
            if (!htpasswd.isEmpty() && tokenAuth != null) {
                throw new IllegalArgumentException("choose htpasswd or token auth, not both");
            }
            RegistryFixture f;
            try {
                f = new RegistryFixture(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                f.startOnFreePort();
            } catch (RuntimeException e) {
                f.close();
                throw e;
            }
            return f;
        }
    }

    @Override
    public String toString() {
        return "RegistryFixture[" + url() + ", storage " + storageDir() + "]";
    }

    /** Lines of the registry log that mention {@code needle} (debugging helper). */
    public List<String> logLines(String needle) {
        List<String> out = new ArrayList<>();
        for (String l : log().split("\n")) {
            if (l.contains(needle)) {
                out.add(l);
            }
        }
        return out;
    }
}
