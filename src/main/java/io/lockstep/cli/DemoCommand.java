package io.lockstep.cli;

import io.lockstep.config.ConfigException;
import io.lockstep.config.ConfigLoader;
import io.lockstep.config.ConfigNode;
import io.lockstep.config.LockstepConfig;
import io.lockstep.server.AdjustableClock;
import io.lockstep.server.DemoSeeder;
import io.lockstep.server.LockstepServer;
import io.lockstep.domain.LockstepException;
import io.lockstep.store.DataDirectoryLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code lockstep demo}: a server on 127.0.0.1 with a fresh SQLite file, the demo config and the
 * seed incident already in its history. The admin token is generated per run and also written to
 * {@code lockstep-data/demo-token} so copy-paste examples can read it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run Lockstep with demo data (the seed incident) on the embedded store.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", description = "Port to listen on (default 8080, or $LOCKSTEP_PORT).")
    Integer port;

    @Option(names = "--data-dir", description = "Where the demo database and token go (default ./lockstep-data).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : Path.of(System.getenv().getOrDefault("LOCKSTEP_DATA_DIR", "lockstep-data"));
        Path db = dir.resolve("demo.db");
        String token = "lsk_demo_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Path tokenFile = dir.resolve("demo-token");
        String approverToken = "lsk_demo_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Path approverFile = dir.resolve("demo-approver-token");

        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("LOCKSTEP_ADMIN_TOKEN", token);
        env.put("LOCKSTEP_DEMO_APPROVER_TOKEN", approverToken);
        env.put("LOCKSTEP_DATABASE_URL", "jdbc:sqlite:" + db);
        env.remove("LOCKSTEP_DATABASE_USER");
        env.remove("LOCKSTEP_DATABASE_PASSWORD");
        if (port != null) {
            env.put("LOCKSTEP_PORT", port.toString());
        }
        env.put("LOCKSTEP_HOST", "127.0.0.1");
        LockstepConfig config;
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo-config.yaml")) {
            var doc = io.lockstep.config.Yaml.read(in);
            config = ConfigLoader.parse(new ConfigNode(doc, ""), env);
        } catch (ConfigException | IOException e) {
            System.err.println("lockstep: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        // Checked before anything is deleted: a demo already running here keeps its database and token.
        try (DataDirectoryLock running = DataDirectoryLock.acquire(dir)) {
            String busy = portInUse(config.host(), config.port());
            if (busy != null) {
                System.err.println("lockstep: cannot start the demo: " + busy);
                return ExitCodes.FAILED;
            }
            for (String suffix : new String[]{"", "-wal", "-shm"}) {
                Files.deleteIfExists(Path.of(db + suffix));
            }
            Files.writeString(tokenFile, token);
            Files.writeString(approverFile, approverToken);
        } catch (LockstepException e) {
            System.err.println("lockstep: cannot start the demo: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        AdjustableClock clock = new AdjustableClock();
        LockstepServer server;
        try {
            server = LockstepServer.start(config, clock);
        } catch (RuntimeException e) {
            System.err.println("lockstep: cannot start the demo: " + e.getMessage()
                    + (String.valueOf(e.getMessage()).contains("bind") || String.valueOf(e).contains("Bind")
                    ? " (is port " + config.port() + " in use? try --port 8081)" : ""));
            return ExitCodes.FAILED;
        }
        new DemoSeeder(server, clock).seed();
        String url = server.baseUrl();
        String auth = "-H \"Authorization: Bearer $(cat " + tokenFile + ")\"";
        String banner = String.join("\n",
                "Lockstep demo running at " + url + "  (store: SQLite " + db + ")",
                "Admin token (this run only): " + token + "   (also in " + tokenFile + ")",
                "",
                "The seed incident is loaded: claude-code is on runtime v0.3.43, platform-agent is still on v0.3.40"
                        + " (drift: STUCK), and 46 concierges still run the pre-fix platform-agent image.",
                "Try:",
                "  curl -s " + url + "/cp/runtimes",
                "  curl -s " + auth + " '" + url + "/api/v1/resolve?environment=prod&kind=platform'",
                "  curl -s " + auth + " '" + url + "/api/v1/drift?environment=prod'",
                "  curl -s " + auth + " '" + url + "/api/v1/fleet/convergence?environment=prod'",
                "  LOCKSTEP_TOKEN=$(cat " + tokenFile + ") ./lockstep drift --target demo=" + url + " --fail-on default",
                "  LOCKSTEP_TOKEN=$(cat " + tokenFile + ") ./lockstep rollout status --target prod=" + url,
                "",
                "prod has promotion policies (soak 1h in staging, 1 approval, a Friday-evening freeze): ask it first,",
                "  curl -s " + auth + " '" + url + "/api/v1/environments/prod/promotability?release=runtime@v0.3.43'",
                "  curl -s " + auth + " -H 'Content-Type: application/json' -X POST " + url
                        + "/api/v1/environments/staging/releases/runtime@v0.3.43/promote -d '{\"notes\":\"staging first\"}'",
                "  LOCKSTEP_TOKEN=$(cat " + approverFile + ") ./lockstep approve --release runtime@v0.3.43 --target prod=" + url,
                "  curl -s " + auth + " '" + url + "/api/v1/environments/prod/promotability?release=runtime@v0.3.43'"
                        + "   (now only the soak is left)",
                "Approver token (scope approve): " + approverFile,
                "",
                "Stop with Ctrl-C.");
        return ServeCommand.runUntilStopped(server, banner);
    }

    /** Why {@code port} cannot be bound, or null when it can (0 means any port). */
    private static String portInUse(String host, int port) {
        if (port == 0) {
            return null;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, port));
            return null;
        } catch (IOException e) {
            return "port " + port + " on " + host + " is in use (another demo?); try --port " + (port + 1);
        }
    }
}
