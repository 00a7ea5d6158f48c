package io.lockstep.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lockstep}: the server and the client in one jar. Exit codes: 0 success, 1 a target or
 * operation failed, 2 invalid usage or input (nothing was sent), 3 drift matched {@code --fail-on}.
 */
@Command(name = "lockstep", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Control plane for runtime image pins.",
        subcommands = {ServeCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class LockstepCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new LockstepCommand());
        // Bad flags are one clear line and exit 2, not a usage dump with a stack trace.
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("lockstep: " + ex.getMessage());
            return ExitCodes.USAGE;
        });
        return cl;
    }
}
