package io.lockstep.testing;

import io.lockstep.store.DatabaseSettings;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Lockstep server in its own operating-system process: {@code java -jar target/lockstep.jar
 * serve --config <file>}, exactly as production runs it. Use it where an in-process
 * {@link TestServer} cannot tell the truth: SIGKILL crashes, several replicas on one database,
 * end-to-end CLI runs against real servers.
 *
 * <pre>{@code
 * ServerProcess.Spec spec = ServerProcess.spec(tempDir).database(db);   // TestConfig yaml and tokens
 * try (ServerProcess server = spec.start()) {                          // returns once /readyz is 200
 *     server.http().post(...);
 *     server.kill();                                                    // SIGKILL, no shutdown hooks
 *     try (ServerProcess again = spec.start()) { ... }                  // same database, new port
 * }
 * }</pre>
 *
 * <p>The jar is {@code -Dlockstep.jar} (set by failsafe to the freshly packaged jar) or
 * {@code target/lockstep.jar}; tests using this class are {@code *IT} so they run after
 * {@code package}. Each start writes {@code server-<n>.out} / {@code server-<n>.err} into the
 * spec's directory; a start that fails names those files and quotes the end of stderr.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Process process;
    private final int port;
    private final Path stdout;
    private final Path stderr;
    private final Http http;

    private ServerProcess(Process process, int port, Path stdout, Path stderr) {
        this.process = process;
        this.port = port;
        this.stdout = stdout;
        this.stderr = stderr;
        this.http = new Http(url());
    }

    /** A spec writing its config file and logs under {@code dir} (typically a JUnit {@code @TempDir}). */
    public static Spec spec(Path dir) {
        return new Spec(dir);
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Http http() {
        return http;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path stdoutFile() {
        return stdout;
    }

    public Path stderrFile() {
        return stderr;
    }

    /** Everything the process has written to stdout so far. */
    public String stdoutText() {
        return read(stdout);
    }

    /** Everything the process has written to stderr so far (logs go here). */
    public String stderrText() {
        return read(stderr);
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown hook, no connection-pool
     * close, no flush. Returns once the process is gone.
     */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM and wait: the graceful stop an orchestrator does. Returns the exit code. */
    public int stop() {
        process.destroy();
        return awaitExit();
    }

    /** Stops the process (SIGTERM, then SIGKILL if it has not gone within the timeout). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private int awaitExit() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Lockstep (pid " + pid() + ") did not exit within 20 s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean ready() {
        try {
            HttpResponse<Void> r = PROBE.send(HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What to start: config, environment and JVM options. A spec can start any number of
     * processes (one after another for restarts, or side by side as replicas of one database);
     * each gets its own free port and log files.
     */
    public static final class Spec {
        private final Path dir;
        private final AtomicInteger starts = new AtomicInteger();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        private String configYaml = TestConfig.yaml(null);

        private Spec(Path dir) {
            this.dir = dir;
        }

        /** The store, plus {@link TestConfig}'s token secrets ({@code T_ADMIN}, …) in the environment. */
        public Spec database(DatabaseSettings db) {
            env.putAll(TestConfig.env(db));
            return this;
        }

        /** The whole config file; the default is {@link TestConfig#yaml(String)} with no extra sections. */
        public Spec config(String yaml) {
            this.configYaml = yaml;
            return this;
        }

        /** Sets one environment variable of the server process (e.g. LOCKSTEP_LOG_LEVEL). */
        public Spec env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Replaces the JVM options (default: small heap, serial GC, C1 only — fast start-up for tests). */
        public Spec jvmOptions(String... options) {
            jvmOptions.clear();
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /**
         * Starts a server and returns once {@code /readyz} answers 200. Fails with the log file
         * paths and the end of stderr if the process exits or is not ready within 30 s.
         */
        public ServerProcess start() {
            for (int attempt = 1; ; attempt++) {
                try {
                    return startOnce();
                } catch (PortTaken e) {
                    if (attempt == 3) {
                        throw new IllegalStateException(e.getMessage());
                    }
                }
            }
        }

        private ServerProcess startOnce() {
            int n = starts.incrementAndGet();
            Path stdout = dir.resolve("server-" + n + ".out");
            Path stderr = dir.resolve("server-" + n + ".err");
            Path configFile = dir.resolve("server-" + n + ".yaml");
            int port = freePort();
            Process process;
            try {
                Files.createDirectories(dir);
                Files.writeString(configFile, configYaml);
                List<String> command = new ArrayList<>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(jvmOptions);
                command.addAll(List.of("-jar", jar().toString(), "serve", "--config", configFile.toString()));
                ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
                pb.environment().putAll(env);
                pb.environment().put("LOCKSTEP_HOST", "127.0.0.1");
                pb.environment().put("LOCKSTEP_PORT", Integer.toString(port));
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start Lockstep", e);
            }
            ServerProcess server = new ServerProcess(process, port, stdout, stderr);
            try {
                Awaitility.await("Lockstep on port " + port + " ready").atMost(READY_TIMEOUT)
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> server.ready() || !process.isAlive());
            } catch (ConditionTimeoutException e) {
                server.kill();
                throw new IllegalStateException(failure(server, "was not ready within " + READY_TIMEOUT.toSeconds() + " s"));
            }
            if (!process.isAlive()) {
                String why = failure(server, "exited with " + process.exitValue() + " before it was ready");
                if (server.stderrText().contains("Address already in use")) {
                    throw new PortTaken(why);
                }
                throw new IllegalStateException(failure(server, "exited with " + process.exitValue() + " before it was ready"));
            }
            return server;
        }

        private static String failure(ServerProcess s, String what) {
            String err = s.stderrText().strip();
            String tail = err.length() > 2000 ? "…" + err.substring(err.length() - 2000) : err;
            return "Lockstep (port " + s.port + ") " + what + "; stdout " + s.stdout + ", stderr " + s.stderr
                    + (tail.isEmpty() ? "" : ":\n" + tail);
        }

        private static Path jar() {
            Path jar = Path.of(System.getProperty("lockstep.jar", "target/lockstep.jar")).toAbsolutePath();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " does not exist: ServerProcess tests are *IT and run in"
                        + " `mvn verify` after the jar is packaged (or run `mvn -DskipTests package` first)");
            }
            return jar;
        }

        /** Another process took the free port before Lockstep bound it; start retries with a new one. */
        private static final class PortTaken extends RuntimeException {
            PortTaken(String message) {
                super(message, null, false, false);
            }
        }

        /** A port the kernel just handed out and released (see {@link PortTaken} for the race). */
        private static int freePort() {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
                return s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
