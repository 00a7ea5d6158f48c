package io.lockstep.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code lockstep}: the server and the client in one jar. Exit codes: 0 success, 1 a target or
 * operation failed, 2 invalid usage or input (nothing was sent), 3 drift matched {@code --fail-on}.
 */
@Command(name = "lockstep", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Control plane for runtime image pins.",
        subcommands = {ServeCommand.class, DemoCommand.class, PublishCommand.class, PromotePinCommand.class,
                PlanCommand.class, PinsCommand.class, HistoryCommand.class, RollbackCommand.class, ResolveCommand.class,
                CommandLine.HelpCommand.class})
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
            ex.getCommandLine().getErr().println("lockstep: " + safeMessage(ex, args));
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("lockstep: unexpected failure: " + ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : ": " + ex.getMessage().lines().findFirst().orElse("")));
            return ExitCodes.FAILED;
        });
        return cl;
    }

    /**
     * Unmatched arguments may be a token pasted on the command line (e.g. {@code --token s3cr3t}):
     * name only the unknown options, never the values.
     */
    static String safeMessage(CommandLine.ParameterException ex, String[] args) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched)) {
            return ex.getMessage();
        }
        List<String> options = new ArrayList<>();
        for (String a : unmatched.getUnmatched()) {
            if (a.startsWith("-")) {
                options.add(a.contains("=") ? a.substring(0, a.indexOf('=')) : a);
            }
        }
        if (options.stream().anyMatch(o -> o.equals("--token") || o.equals("-t"))) {
            return "tokens are never accepted on the command line: put the token in an environment variable and name it"
                    + " with --token-env NAME=VARIABLE (default LOCKSTEP_TOKEN).";
        }
        return (options.isEmpty() ? "unexpected argument(s)" : "unknown option(s) " + String.join(", ", options))
                + " (values are not echoed); see lockstep " + ex.getCommandLine().getCommandName() + " --help.";
    }
}
