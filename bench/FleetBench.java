import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lockstep.config.ConfigLoader;
import io.lockstep.config.ConfigNode;
import io.lockstep.config.LockstepConfig;
import io.lockstep.server.AdjustableClock;
import io.lockstep.server.LockstepServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fleet scale benchmark (issue 4): ingest N instance reports over HTTP in batches of 5,000 into a
 * real server on PostgreSQL, then time the convergence query for one environment.
 * Run with bench/fleet.sh. Arguments: [instances] [concurrent clients].
 */
public class FleetBench {
    static final String PG = System.getenv().getOrDefault("BENCH_PG", "jdbc:postgresql://127.0.0.1:5432/");
    static final String[] TEMPLATES = {"claude-code", "platform-agent", "hermes", "codex", "openclaw"};
    static final String[] KINDS = {"workspace", "platform", "hermes", "codex", "openclaw"};
    static final String[] REGIONS = {"global", "us-east", "eu-west", "ap-south"};

    public static void main(String[] args) throws Exception {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int batch = 5_000;
        String db = "lockstep_bench_fleet";
        try (Connection c = DriverManager.getConnection(PG + "lockstep", "lockstep", "lockstep")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + db);
            c.createStatement().execute("CREATE DATABASE " + db);
        }
        String token = "bench-token-" + System.nanoTime();
        StringBuilder yaml = new StringBuilder("""
                server: {host: 127.0.0.1, port: 0}
                database: {pool_size: 16}
                environments: [{name: staging}, {name: prod, upstream: staging}]
                templates:
                """);
        for (int i = 0; i < TEMPLATES.length; i++) {
            yaml.append("  - {name: ").append(TEMPLATES[i]).append(", repository: r.example.com/").append(TEMPLATES[i])
                    .append(", kinds: [").append(KINDS[i]).append("], group: runtime}\n");
        }
        yaml.append("tokens: [{name: bench, scopes: [admin], secret_env: BENCH_TOKEN}]\n");
        Map<String, String> env = new HashMap<>();
        env.put("BENCH_TOKEN", token);
        env.put("LOCKSTEP_DATABASE_URL", PG + db);
        env.put("LOCKSTEP_DATABASE_USER", "lockstep");
        env.put("LOCKSTEP_DATABASE_PASSWORD", "lockstep");
        LockstepConfig config = ConfigLoader.parse(new ConfigNode(new ObjectMapper(new YAMLFactory()).readTree(yaml.toString()), ""), env);
        try (LockstepServer server = LockstepServer.start(config, new AdjustableClock())) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = server.baseUrl();
            String[] digests = {digest("a"), digest("b"), digest("c")};
            // pins so convergence has something to compare with
            for (String e : List.of("staging", "prod")) {
                for (String t : TEMPLATES) {
                    post(http, base + "/api/v1/environments/" + e + "/pins/" + t + "/promote", token,
                            "{\"image_digest\":\"" + digests[0] + "\",\"notes\":\"bench\"}");
                }
            }
            int batches = (instances + batch - 1) / batch;
            System.out.printf("ingesting %,d instance reports in %,d batches of %,d with %d clients%n", instances, batches, batch, clients);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            double secs = ingestAll(pool, clients, batches, batch, instances, http, base, token, digests);
            System.out.printf("ingest (first report of every instance, inserts): %,d reports in %.1f s = %,.0f reports/s%n",
                    instances, secs, instances / secs);
            // a second round: every instance reports again (the steady state: updates of existing rows)
            secs = ingestAll(pool, clients, batches, batch, instances, http, base, token, digests);
            System.out.printf("ingest (every instance again, upserts): %,d reports in %.1f s = %,.0f reports/s%n",
                    instances, secs, instances / secs);
            pool.shutdown();
            try (Connection c = DriverManager.getConnection(PG + db, "lockstep", "lockstep")) {
                c.createStatement().execute("VACUUM ANALYZE fleet_instances"); // what autovacuum does after a bulk load
            }
            System.out.printf("stored instances: %,d%n", server.fleet().storedInstances());
            measureConvergence(http, base, token, "after VACUUM ANALYZE, no other load");
            // Production never stops reporting: re-reports dirty heap pages, so the index-only scan
            // needs heap fetches again. Measure while a full round of reports is being ingested, and
            // once more after it, with the visibility map as the upserts left it.
            ExecutorService loadPool = Executors.newFixedThreadPool(clients);
            Future<Double> load = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "bench-load");
                t.setDaemon(true);
                return t;
            }).submit(() -> ingestAll(loadPool, clients, batches, batch, instances, http, base, token, digests));
            measureConvergence(http, base, token, "while every instance re-reports (ingest running)");
            System.out.printf("ingest during that measurement: %,d reports in %.1f s%n", instances, load.get());
            loadPool.shutdown();
            measureConvergence(http, base, token, "right after the re-reports, before any vacuum");
        } finally {
            dropDatabase(db);
        }
    }

    /**
     * Drops the bench database. After the re-report round autovacuum may still be working on it, and
     * the lockstep role may not terminate autovacuum (FORCE needs pg_signal_backend), so retry.
     */
    static void dropDatabase(String db) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = DriverManager.getConnection(PG + "lockstep", "lockstep", "lockstep")) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                return;
            } catch (java.sql.SQLException e) {
                if (attempt == 60) {
                    System.err.println("could not drop database " + db + " (" + e.getMessage() + "); drop it by hand");
                    return;
                }
                Thread.sleep(2_000);
            }
        }
    }

    static void measureConvergence(HttpClient http, String base, String token, String when) throws Exception {
        System.out.println("convergence, " + when + ":");
        for (String path : List.of("/api/v1/fleet/convergence?environment=prod",
                "/api/v1/fleet/convergence?environment=prod&template=platform-agent",
                "/api/v1/fleet/convergence")) {
            long[] ms = new long[21];
            String sample = null;
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                sample = get(http, base + path, token);
                ms[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            long[] warm = Arrays.copyOfRange(ms, 1, ms.length);
            Arrays.sort(warm);
            System.out.printf("  GET %s: median %d ms, max %d ms (20 runs after 1 warm-up; %,d bytes)%n", path,
                    warm[warm.length / 2], warm[warm.length - 1], sample.length());
        }
    }

    /** Sends every batch once from {@code clients} threads; returns the seconds it took. */
    static double ingestAll(ExecutorService pool, int clients, int batches, int batch, int instances, HttpClient http,
                            String base, String token, String[] digests) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(() -> {
                int b;
                while ((b = next.getAndIncrement()) < batches) {
                    post(http, base + "/api/v1/fleet/reports", token, body(b * batch, Math.min(instances, (b + 1) * batch), digests));
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Instances [from, to): 70% prod, 30% staging; 5 templates, 4 regions; 90% on the pinned digest. */
    static String body(int from, int to, String[] digests) {
        String now = Instant.now().toString();
        StringBuilder b = new StringBuilder(256 * (to - from)).append("{\"reports\":[");
        for (int i = from; i < to; i++) {
            if (i > from) {
                b.append(',');
            }
            String env = i % 10 < 7 ? "prod" : "staging";
            b.append("{\"instance_id\":\"i-").append(i)
                    .append("\",\"environment\":\"").append(env)
                    .append("\",\"kind\":\"").append(KINDS[(i / 10) % KINDS.length])
                    .append("\",\"region\":\"").append(REGIONS[(i / 50) % REGIONS.length])
                    .append("\",\"digest\":\"").append(digests[i % 10 == 9 ? 1 + (i / 10) % 2 : 0])
                    .append("\",\"observed_at\":\"").append(now).append("\"}");
        }
        return b.append("]}").toString();
    }

    static void post(HttpClient http, String url, String token, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
        }
    }

    static String get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static String digest(String seed) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(seed.getBytes());
            return "sha256:" + java.util.HexFormat.of().formatHex(h);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
