package io.lockstep.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 9 item 20: {@code --help} answers on every command, walked from the real command tree so a new one is covered. */
class HelpOnEverySubcommandTest {

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(path);
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) { // aliases name the same command
                List<String> next = new ArrayList<>(path);
                next.add(name);
                collect(sub, next, out);
            }
        });
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageAndExitZero() {
        List<List<String>> paths = new ArrayList<>();
        collect(LockstepCommand.commandLine(), List.of(), paths);
        assertThat(paths).as("the tree is walked").hasSizeGreaterThan(10).contains(List.of("serve"), List.of("demo"),
                List.of("rollout", "status"));

        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            InProcessCli.Run run = InProcessCli.run(Map.of(), args.toArray(String[]::new));
            assertThat(run.exit()).as("lockstep %s --help: %s", String.join(" ", path), run.stderr()).isZero();
            assertThat(run.stdout()).as("lockstep %s --help", String.join(" ", path))
                    .contains("Usage: " + String.join(" ", concat("lockstep", path)));
            assertThat(run.stderr()).isEmpty();
        }
    }

    private static List<String> concat(String head, List<String> tail) {
        List<String> out = new ArrayList<>(List.of(head));
        out.addAll(tail);
        return out;
    }
}
