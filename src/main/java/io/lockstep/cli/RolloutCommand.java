package io.lockstep.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lockstep rollout}: what happens after a promote, on the running fleet. */
@Command(name = "rollout", mixinStandardHelpOptions = true, description = "Follow a rollout on the running fleet.",
        subcommands = {RolloutStatusCommand.class})
public final class RolloutCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
