package io.lockstep.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Printable;
import io.lockstep.cli.client.Report;
import io.lockstep.cli.client.Target;
import io.lockstep.cli.client.TargetOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What every client command shares: the targets mixin, {@code --json}, preflight problem printing
 * (exit 2, one line each, nothing sent) and report output (exit 0 only when every row succeeded).
 * With {@code --json}, stdout is exactly one JSON document, whatever happens.
 */
abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    TargetOptions targetOptions;

    @Option(names = "--json", description = "Print a machine-readable JSON result instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    // Not final: in-process tests hand a command its environment and capture its output.
    Map<String, String> env = System.getenv();
    PrintStream out = System.out;
    PrintStream err = System.err;

    /** When set, no request of this command may outlive it (e.g. {@code rollout status --wait --timeout}). */
    Instant deadline;

    /** The targets; their problems go into {@code problems}. Sends nothing. */
    List<Target> targets(List<String> problems) {
        TargetOptions.Resolution res = targetOptions.resolve(env);
        problems.addAll(res.problems());
        return res.targets();
    }

    LockstepClient client(Target t) {
        return new LockstepClient(t, targetOptions.trace(), targetOptions.requestTimeout(), deadline);
    }

    /** {@code publish}, {@code rollout status}: the command as typed after {@code lockstep}. */
    String name() {
        String q = spec == null ? "lockstep" : spec.qualifiedName(" ");
        return q.startsWith("lockstep ") ? q.substring("lockstep ".length()) : q;
    }

    int refuse(List<String> problems) {
        for (String p : problems) {
            err.println("lockstep: " + p);
        }
        err.println("lockstep: nothing was written to any target (exit " + ExitCodes.USAGE + ").");
        err.flush();
        Report refused = Report.refused(name(), problems);
        if (json) {
            refused.printJson(out);
        }
        refused.emitCi(env, json ? err : out, err);
        return ExitCodes.USAGE;
    }

    int finish(Report report) {
        if (json) {
            report.printJson(out);
        } else {
            report.printText(out);
        }
        // Runners read workflow commands from stderr too, so under --json they go there and stdout stays one document.
        report.emitCi(env, json ? err : out, err);
        return report.exitCode();
    }

    /** A server's JSON answer re-written by our own (escaping) writer: one line, one document, nothing raw. */
    void printServerJson(ApiResponse r) {
        try {
            out.println(Printable.json(false).writeValueAsString(r.json().isMissingNode()
                    ? Map.of("error", "the server's answer is not JSON") : r.json()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    void retryNotice(String line) {
        synchronized (err) {
            err.println("lockstep: " + line);
            err.flush();
        }
    }
}
