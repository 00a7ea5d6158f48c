package io.lockstep.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One real server per store kind, started on first use and shared by a test class: start-up
 * (migrations, pool, Jetty) dominates a test's cost, so classes isolate tests by unique template,
 * region or group names instead of by server. Register it as
 * {@code @RegisterExtension static final PerStoreServers servers = new PerStoreServers();}; the
 * servers stop and their files are deleted after the class.
 */
public final class PerStoreServers implements AfterAllCallback {
    private final String extraYaml;
    private final Map<StoreKind, TestServer> servers = new EnumMap<>(StoreKind.class);
    private Path dir;

    public PerStoreServers() {
        this(null);
    }

    public PerStoreServers(String extraYaml) {
        this.extraYaml = extraYaml;
    }

    public synchronized TestServer of(StoreKind kind) {
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("lockstep-test-");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return servers.computeIfAbsent(kind, k -> new TestServer(k.create(dir.resolve(k.name().toLowerCase())), extraYaml));
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws IOException {
        servers.values().forEach(TestServer::close);
        servers.clear();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            dir = null;
        }
    }
}
