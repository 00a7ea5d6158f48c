package io.lockstep.cli;

import io.lockstep.testing.TestConfig;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code lockstep …} in this JVM through {@link LockstepCommand#commandLine()}: the real
 * parser, the real HTTP client, a given process environment and captured output. Every run checks
 * that no token of the test configuration was printed.
 */
final class InProcessCli {
    record Run(int exit, String stdout, String stderr) {
    }

    private InProcessCli() {
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine cl = LockstepCommand.commandLine();
        cl.setOut(new PrintWriter(o, true)).setErr(new PrintWriter(e, true));
        CommandLine sub = cl;
        for (String a : args) {
            CommandLine next = sub.getSubcommands().get(a);
            if (next == null) {
                break;
            }
            sub = next;
        }
        if (sub.getCommand() instanceof ClientCommand c) {
            c.env = env;
            c.out = o;
            c.err = e;
        }
        int exit = cl.execute(args);
        Run run = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        for (String secret : TestConfig.ALL_SECRETS) {
            assertThat(run.stdout() + run.stderr()).doesNotContain(secret);
        }
        return run;
    }
}
