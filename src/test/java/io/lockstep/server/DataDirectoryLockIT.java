package io.lockstep.server;

import io.lockstep.testing.Http;
import io.lockstep.testing.ServerProcess;
import io.lockstep.testing.TestDatabases;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One SQLite data directory, one Lockstep process: a second {@code serve} on the same file fails at
 * start with one line naming the directory, and a second {@code demo} fails before it deletes the
 * running demo's database or token.
 */
class DataDirectoryLockIT {
    @TempDir
    Path dir;

    @Test
    void aSecondServeOnTheSameSqliteFileFailsAtStartNamingTheDirectory() {
        Path data = dir.resolve("data");
        ServerProcess.Spec spec = ServerProcess.spec(dir).database(TestDatabases.sqlite(data));
        try (ServerProcess first = spec.start()) {
            assertThatThrownBy(spec::start).hasMessageContaining("exited with")
                    .hasMessageContaining("The data directory " + data.toAbsolutePath() + " is in use by another"
                            + " Lockstep process (pid " + first.pid() + ")");
            assertThat(first.http().get("/readyz", null).status()).isEqualTo(200);
        }
    }

    @Test
    void aSecondDemoDeletesNothingOfTheRunningOne() throws Exception {
        Path data = dir.resolve("demo-data");
        int port = freePort();
        Process first = demo(data, port, "first");
        try {
            Http http = new Http("http://127.0.0.1:" + port);
            Awaitility.await("first demo ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ready(http) || !first.isAlive());
            assertThat(first.isAlive()).as(Files.readString(dir.resolve("first.err"))).isTrue();
            String token = Files.readString(data.resolve("demo-token"));

            Process second = demo(data, port, "second");
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isNotZero();
            List<String> err = Files.readAllLines(dir.resolve("second.err"));
            assertThat(err).hasSize(1);
            assertThat(err.get(0)).contains(data.toAbsolutePath().toString()).contains("in use");

            Process otherDirSamePort = demo(dir.resolve("elsewhere"), port, "third");
            assertThat(otherDirSamePort.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(otherDirSamePort.exitValue()).isNotZero();
            assertThat(Files.readString(dir.resolve("third.err"))).contains("port " + port);
            assertThat(dir.resolve("elsewhere").resolve("demo-token")).doesNotExist();

            assertThat(Files.readString(data.resolve("demo-token"))).as("the running demo's token").isEqualTo(token);
            Http.Response resolve = http.get("/api/v1/resolve?environment=prod&kind=platform", token);
            assertThat(resolve.status()).as("the running demo still serves its own data: %s", resolve.body())
                    .isEqualTo(200);
        } finally {
            first.destroy();
            first.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private Process demo(Path data, int port, String name) throws IOException {
        Path jar = Path.of(System.getProperty("lockstep.jar", "target/lockstep.jar")).toAbsolutePath();
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "demo", "--data-dir", data.toString(), "--port", Integer.toString(port))
                .directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    private static boolean ready(Http http) {
        try {
            return http.get("/readyz", null).status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
