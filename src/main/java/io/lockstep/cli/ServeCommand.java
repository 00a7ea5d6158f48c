package io.lockstep.cli;

import io.lockstep.config.ConfigException;
import io.lockstep.config.ConfigLoader;
import io.lockstep.config.LockstepConfig;
import io.lockstep.domain.LockstepException;
import io.lockstep.server.LockstepServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code lockstep serve}: the production entry point. No demo data; config from file and environment. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Lockstep server.")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", description = "YAML config file (default: $LOCKSTEP_CONFIG).")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        Path file = config != null ? config
                : System.getenv("LOCKSTEP_CONFIG") != null ? Path.of(System.getenv("LOCKSTEP_CONFIG")) : null;
        LockstepConfig cfg = null;
        LockstepServer server;
        try {
            cfg = ConfigLoader.load(file, System.getenv());
            server = LockstepServer.start(cfg, Clock.systemUTC());
        } catch (ConfigException | LockstepException e) {
            System.err.println("lockstep: " + redact(cfg, e.getMessage()));
            return ExitCodes.USAGE;
        } catch (RuntimeException e) {
            System.err.println("lockstep: cannot start: " + redact(cfg, e.getMessage()));
            return ExitCodes.FAILED;
        }
        return runUntilStopped(server, "Lockstep listening on " + server.baseUrl() + " (store: " + server.store().kind() + ")");
    }

    /** Start-up errors may quote the database URL, and with it a password. */
    private static String redact(LockstepConfig cfg, String message) {
        return cfg == null ? message : cfg.database().redact(message);
    }

    static int runUntilStopped(LockstepServer server, String banner) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "lockstep-shutdown"));
        System.out.println(banner);
        System.out.flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
