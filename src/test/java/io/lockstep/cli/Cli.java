package io.lockstep.cli;

import io.lockstep.testing.TestConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the packaged {@code target/lockstep.jar} as a real subprocess with a controlled environment
 * (no inherited LOCKSTEP_ or CI variables), captures stdout and stderr, and checks on every run that
 * no token of the test configuration appears in either.
 */
final class Cli {
    private static final Path JAR = Path.of(System.getProperty("lockstep.jar", "target/lockstep.jar"));

    record Run(int exit, String stdout, String stderr) {
        String all() {
            return stdout + "\n" + stderr;
        }
    }

    private final Map<String, String> env = new HashMap<>();

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Run run(String... args) {
        assertThat(JAR).as("the packaged jar (run with mvn verify)").exists();
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-jar",
                JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("LOCKSTEP_") || k.startsWith("GITHUB_")
                || k.startsWith("GITEA_") || k.startsWith("T_"));
        pb.environment().putAll(env);
        try {
            Path out = Files.createTempFile("lockstep-cli", ".out");
            Path err = Files.createTempFile("lockstep-cli", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("lockstep " + String.join(" ", args) + " did not finish in 120 s");
            }
            Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            for (String secret : TestConfig.ALL_SECRETS) {
                assertThat(run.all()).as("no token in the output of lockstep %s", String.join(" ", args))
                        .doesNotContain(secret);
            }
            return run;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
