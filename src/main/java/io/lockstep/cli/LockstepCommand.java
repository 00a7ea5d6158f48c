package io.lockstep.cli;

import io.lockstep.cli.client.Printable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lockstep}: the server and the client in one jar. Exit codes: 0 success, 1 a target or
 * operation failed, 2 invalid usage or input (nothing was sent), 3 drift matched {@code --fail-on}.
 */
@Command(name = "lockstep", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Control plane for runtime image pins.",
        subcommands = {ServeCommand.class, DemoCommand.class, PublishCommand.class, PromotePinCommand.class,
                PlanCommand.class, PinsCommand.class, HistoryCommand.class, RollbackCommand.class, ResolveCommand.class,
                WithdrawCommand.class, FreezeCommand.class, UnfreezeCommand.class,
                ApproveCommand.class, ApprovalsCommand.class, RevokeApprovalCommand.class,
                DriftCommand.class, RolloutCommand.class, EventsCommand.class,
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
                    + (ex.getMessage() == null ? "" : ": " + Printable.text(ex.getMessage().lines().findFirst().orElse(""))));
            return ExitCodes.FAILED;
        });
        return cl;
    }

    private static final Pattern SHOWABLE_OPTION = Pattern.compile("^--?[A-Za-z][A-Za-z0-9-]{0,39}$");
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    static final String HIDDEN = "<value not shown>";

    /**
     * A parse error as one line that never repeats a value from the command line: any value may be a
     * token pasted by mistake ({@code --token s3cr3t}, {@code -ts3cr3t}, {@code --limit lsk_…}).
     * Unknown options are named only when they read like an option name; picocli's own messages
     * keep the option names they quote and lose every value.
     */
    static String safeMessage(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String see = " see lockstep " + qualified(cl) + " --help.";
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> shown = new ArrayList<>();
            boolean hidden = false;
            for (String a : unmatched.getUnmatched()) {
                if (!a.startsWith("-") || a.equals("-") || a.equals("--")) {
                    hidden = true;
                    continue;
                }
                String name = optionName(a);
                if (name.startsWith("--token") || name.equals("-t") || name.startsWith("--password") || name.startsWith("--secret")) {
                    return "tokens are never accepted on the command line: put the token in an environment variable and name it"
                            + " with --token-env NAME=VARIABLE (default LOCKSTEP_TOKEN).";
                }
                if (SHOWABLE_OPTION.matcher(name).matches()) {
                    if (!shown.contains(name)) {
                        shown.add(name);
                    }
                    hidden |= !name.equals(a);
                } else {
                    hidden = true;
                }
            }
            String what = shown.isEmpty() ? "unexpected argument(s)" : "unknown option(s) " + String.join(", ", shown)
                    + (hidden ? " and other argument(s)" : "");
            return what + " (values are not echoed);" + see;
        }
        String message = String.valueOf(ex.getMessage()).lines().findFirst().orElse("");
        Matcher m = QUOTED.matcher(message);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String quoted = m.group(1);
            boolean option = quoted.startsWith("-") && cl.getCommandSpec().findOption(optionName(quoted)) != null;
            m.appendReplacement(b, Matcher.quoteReplacement(option ? m.group() : HIDDEN));
        }
        m.appendTail(b);
        message = b.toString();
        // Belt and braces: no argument's value survives, quoted or not.
        for (String a : args) {
            for (String value : values(a)) {
                if (value.length() >= 8 && cl.getCommandSpec().findOption(value) == null) {
                    message = message.replace(value, HIDDEN);
                }
            }
        }
        return Printable.text(message) + (message.contains("--help") ? "" : ";" + see);
    }

    /** {@code --name} of {@code --name=value}; {@code -t} of {@code -tvalue}. */
    private static String optionName(String arg) {
        if (arg.startsWith("--")) {
            int eq = arg.indexOf('=');
            return eq < 0 ? arg : arg.substring(0, eq);
        }
        return arg.length() > 2 ? arg.substring(0, 2) : arg;
    }

    /** The parts of an argument that may be a value: all of it, unless it is an option name. */
    private static List<String> values(String arg) {
        if (!arg.startsWith("-")) {
            return List.of(arg);
        }
        String name = optionName(arg);
        return name.length() < arg.length() ? List.of(arg.substring(name.length() + (arg.startsWith("--") ? 1 : 0))) : List.of();
    }

    private static String qualified(CommandLine cl) {
        String q = cl.getCommandSpec().qualifiedName(" ");
        return q.startsWith("lockstep ") ? q.substring("lockstep ".length()) : q.equals("lockstep") ? "" : q;
    }
}
