package io.lockstep.cli;

import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Report;
import io.lockstep.cli.client.Target;
import io.lockstep.cli.client.TargetOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What every client command shares: the targets mixin, {@code --json}, preflight problem printing
 * (exit 2, one line each, nothing sent) and report output (exit 0 only when every row succeeded).
 */
abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    TargetOptions targetOptions;

    @Option(names = "--json", description = "Print a machine-readable JSON result instead of text.")
    boolean json;

    final Map<String, String> env = System.getenv();
    final PrintStream out = System.out;
    final PrintStream err = System.err;

    LockstepClient client(Target t) {
        return new LockstepClient(t, targetOptions.trace());
    }

    int refuse(List<String> problems) {
        for (String p : problems) {
            err.println("lockstep: " + p);
        }
        err.println("lockstep: nothing was written to any target (exit " + ExitCodes.USAGE + ").");
        err.flush();
        return ExitCodes.USAGE;
    }

    int finish(Report report) {
        if (json) {
            report.printJson(out);
        } else {
            report.printText(out);
        }
        report.emitCi(env, out, err);
        return report.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    void retryNotice(String line) {
        synchronized (err) {
            err.println("lockstep: " + line);
            err.flush();
        }
    }
}
