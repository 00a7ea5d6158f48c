package io.lockstep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockstep.testing.Http;
import io.lockstep.testing.TestConfig;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real Lockstep servers on loopback, each on its own SQLite file: {@code staging} (acting on its
 * environment staging) and {@code prod} (environment prod). Both start in the seed's state: every
 * member of group runtime pinned at v0.3.42. {@link #release} writes the v0.3.43 release file.
 */
final class TwoControlPlanes implements AutoCloseable {
    static final String OLD_VERSION = "v0.3.42";
    static final String NEW_VERSION = "v0.3.43";
    static final String GIT_SHA = "19f3175a9c0e4e2b8d6f7a1b2c3d4e5f60718293";

    final TestServer staging;
    final TestServer prod;
    private final Path dir;

    TwoControlPlanes(Path dir) throws IOException {
        this.dir = dir;
        this.staging = new TestServer(TestDatabases.sqlite(Files.createDirectories(dir.resolve("staging"))));
        this.prod = new TestServer(TestDatabases.sqlite(Files.createDirectories(dir.resolve("prod"))));
        for (String template : TestConfig.GROUP) {
            seed(staging, "staging", template);
            seed(prod, "prod", template);
        }
    }

    static String oldDigest(String template) {
        return TestConfig.digest(template + "@" + OLD_VERSION);
    }

    static String newDigest(String template) {
        return TestConfig.digest(template + "@" + NEW_VERSION);
    }

    private static void seed(TestServer server, String env, String template) {
        Http.Response r = server.http.post("/api/v1/environments/" + env + "/pins/" + template + "/promote", TestConfig.ADMIN,
                "{\"image_digest\":\"" + oldDigest(template) + "\",\"runtime_version\":\"" + OLD_VERSION + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** Writes a release file; {@code images} maps template to digest (null: every member's new digest). */
    Path release(String name, String body) throws IOException {
        return Files.writeString(dir.resolve(name), body);
    }

    Path seedRelease() throws IOException {
        StringBuilder b = new StringBuilder("group: runtime\nruntime_version: " + NEW_VERSION + "\ngit_sha: " + GIT_SHA + "\nimages:\n");
        for (String t : TestConfig.GROUP) {
            b.append("  ").append(t).append(": ").append(newDigest(t)).append('\n');
        }
        return release("release-v0.3.43.yaml", b.toString());
    }

    String[] targets() {
        return new String[]{"--target", "staging=" + staging.url(), "--target", "prod=" + prod.url(),
                "--token-env", "staging=STAGING_TOKEN", "--token-env", "prod=PROD_TOKEN"};
    }

    /** template → digest of an environment's pins, read with the admin token. */
    static Map<String, String> pins(TestServer server, String env) {
        Http.Response r = server.http.get("/api/v1/environments/" + env + "/pins", TestConfig.ADMIN);
        assertThat(r.status()).isEqualTo(200);
        Map<String, String> out = new TreeMap<>();
        for (JsonNode p : r.json().path("pins")) {
            out.put(p.path("template_name").asText(), p.path("image_digest").asText());
        }
        return out;
    }

    /** Everything a write could change: pins of both environments, history length and releases. */
    static String state(TestServer server) {
        Http.Response verify = server.http.get("/api/v1/history/verify", TestConfig.ADMIN);
        Http.Response releases = server.http.get("/api/v1/releases", TestConfig.ADMIN);
        return "pins staging=" + pins(server, "staging") + " prod=" + pins(server, "prod")
                + " history=" + verify.json().path("entries").asLong() + " releases=" + releases.json().path("releases").size();
    }

    /** Requests the server has answered, except scrapes of /metrics itself (from its own request metrics). */
    static long requests(TestServer server) {
        return requests(server, "");
    }

    /** Like {@link #requests(TestServer)}, counting only series whose labels contain {@code label} (e.g. status="409"). */
    static long requests(TestServer server, String label) {
        Http.Response r = server.http.get("/metrics", null);
        long total = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("lockstep_http_requests_seconds_count{") && !line.contains("route=\"/metrics\"")
                    && line.contains(label)) {
                total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    @Override
    public void close() {
        staging.close();
        prod.close();
    }
}
