package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.lockstep.testing.Http;
import io.lockstep.testing.Json;
import io.lockstep.testing.PerStoreServers;
import io.lockstep.testing.StoreKind;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestServer;
import io.lockstep.testing.Unique;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lockstep events} as the real jar: pages, and {@code --follow} seeing promotes made after it started. */
class EventsCliIT {
    private static final Path JAR = Path.of(System.getProperty("lockstep.jar", "target/lockstep.jar"));

    // Observed events off: these tests count exactly the events their own writes cause.
    @RegisterExtension
    static final PerStoreServers servers = new PerStoreServers("events:\n  drift_interval: 0s\n");

    private static void promote(TestServer s, String env, String template, String digest) {
        Http.Response p = s.http.post("/api/v1/environments/" + env + "/pins/" + template + "/promote", TestConfig.ADMIN,
                Json.obj("image_digest", digest));
        assertThat(p.status()).as(p.body()).isIn(200, 201);
    }

    /** A running {@code lockstep …} whose output the test reads while it runs. */
    private record Running(Process process, Path out, Path err) implements AutoCloseable {
        static Running start(String url, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
            cmd.addAll(List.of(args));
            cmd.addAll(List.of("--target", "cp=" + url));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().keySet().removeIf(k -> k.startsWith("LOCKSTEP_") || k.startsWith("T_"));
            pb.environment().put("LOCKSTEP_TOKEN", TestConfig.READER);
            Path out = Files.createTempFile("events-cli", ".out");
            Path err = Files.createTempFile("events-cli", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            return new Running(pb.start(), out, err);
        }

        String stdout() {
            try {
                return Files.readString(out, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        String stderr() {
            try {
                return Files.readString(err, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void eventually(String what, BooleanSupplier condition, Running r) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30s: " + what + "\nstdout: " + r.stdout() + "\nstderr: " + r.stderr());
            }
            Thread.sleep(50);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void followSeesAPromoteMadeAfterItStartedAndPagesListWhatHappened(StoreKind kind) throws Exception {
        TestServer s = servers.of(kind);
        String group = Unique.name("grp");
        String t = Unique.name("tpl");
        Http.Response created = s.http.post("/api/v1/templates", TestConfig.ADMIN, Json.obj("name", t,
                "repository", "registry.example.com/test/" + t, "kinds", List.of(), "group", group));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String before = Unique.digest();
        promote(s, "staging", t, before);

        String after = Unique.digest();
        try (Running follow = Running.start(s.url(), "events", "--follow", "--group", group)) {
            eventually("the stream is open", () -> s.server.eventRoutes().openStreams() == 1, follow);
            promote(s, "prod", t, after);
            eventually("the promote is printed", () -> follow.stdout().contains(after.substring(0, 19)), follow);
            assertThat(follow.stdout().trim().lines().toList()).as("only what happened after it started")
                    .singleElement().asString()
                    .matches("\\d+ \\S+ pin\\.promoted prod " + t + "/global \\(new\\) → " + after.substring(0, 19) + " by admin");
        }

        Cli.Run pages = new Cli().env("LOCKSTEP_TOKEN", TestConfig.READER).run("events", "--group", group,
                "--target", "cp=" + s.url());
        assertThat(pages.exit()).as(pages.all()).isZero();
        assertThat(pages.stdout().lines().toList()).hasSize(2);
        assertThat(pages.stdout()).contains("pin.promoted staging " + t).contains("pin.promoted prod " + t);

        Cli.Run staging = new Cli().env("LOCKSTEP_TOKEN", TestConfig.READER).run("events", "--group", group, "--json",
                "--target", "cp=" + s.url(), "--environment", "cp=staging");
        assertThat(staging.exit()).as(staging.all()).isZero();
        JsonNode doc = new ObjectMapper().readTree(staging.stdout());
        assertThat(doc.path("events").size()).isEqualTo(1);
        assertThat(doc.path("events").get(0).path("data").path("to").path("digest").asText()).isEqualTo(before);

        Cli.Run bad = new Cli().env("LOCKSTEP_TOKEN", TestConfig.READER).run("events", "--type", "pin.moved",
                "--target", "cp=" + s.url());
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.stderr()).contains("--type pin.moved is not an event type");
    }

    /**
     * The reconnect, against a stand-in server (a JDK HttpServer on loopback: a real HTTP peer in this process)
     * that drops the first connection after two events: the jar reconnects with Last-Event-ID of the last one.
     */
    @Test
    void followReconnectsWithTheLastEventIdAfterADroppedConnection() throws Exception {
        List<String> lastEventIds = new CopyOnWriteArrayList<>();
        CountDownLatch hold = new CountDownLatch(1);
        HttpServer standIn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        standIn.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        standIn.createContext("/api/v1/events", ex -> {
            String last = ex.getRequestHeaders().getFirst("Last-Event-ID");
            lastEventIds.add(String.valueOf(last));
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream o = ex.getResponseBody()) {
                if (last == null) {
                    o.write((event(7, "aaaa") + event(8, "bbbb")).getBytes(StandardCharsets.UTF_8));
                    o.flush();
                    return; // the connection drops
                }
                o.write(event(9, "cccc").getBytes(StandardCharsets.UTF_8));
                o.flush();
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        standIn.start();
        try (Running follow = Running.start("http://127.0.0.1:" + standIn.getAddress().getPort(), "events", "--follow")) {
            eventually("three events printed", () -> follow.stdout().lines().count() == 3, follow);
            assertThat(lastEventIds).containsExactly("null", "8");
            assertThat(follow.stdout().lines().map(l -> l.split(" ")[0]).toList()).containsExactly("7", "8", "9");
            assertThat(follow.stderr()).contains("reconnecting after event 8");
        } finally {
            hold.countDown();
            standIn.stop(0);
        }
    }

    private static String event(long id, String digestStart) {
        String digest = "sha256:" + digestStart.repeat(16);
        return "id: " + id + "\nevent: pin.promoted\ndata: {\"id\":" + id + ",\"version\":1,\"type\":\"pin.promoted\","
                + "\"time\":\"2026-11-30T08:00:00Z\",\"environment\":\"prod\",\"template\":\"hermes\",\"region\":\"global\","
                + "\"group\":\"runtime\",\"actor\":\"ci\",\"data\":{\"from\":null,\"to\":{\"digest\":\"" + digest + "\"}}}\n\n";
    }
}
