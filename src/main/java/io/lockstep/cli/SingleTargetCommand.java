package io.lockstep.cli;

import io.lockstep.cli.client.ApiResponse;
import io.lockstep.cli.client.LockstepClient;
import io.lockstep.cli.client.Target;
import io.lockstep.cli.client.TargetOptions;

import java.util.ArrayList;
import java.util.List;

/** Commands that read or change one target ({@code pins}, {@code history}, {@code rollback}, {@code resolve}). */
abstract class SingleTargetCommand extends ClientCommand {
    @Override
    public final Integer call() {
        TargetOptions.Resolution res = targetOptions.resolve(env);
        List<String> problems = new ArrayList<>(res.problems());
        if (res.ok() && res.targets().size() != 1) {
            problems.add(commandName() + " acts on exactly one target; got " + res.targets().size() + ".");
        }
        preflight(problems);
        if (!problems.isEmpty()) {
            return refuse(problems);
        }
        return run(client(res.targets().get(0)));
    }

    abstract String commandName();

    /** Local checks of the command's own options; add one line per problem. */
    void preflight(List<String> problems) {
    }

    abstract int run(LockstepClient client);

    /** A read that failed: one line naming the target and the server's answer, exit 1. */
    int failedRead(Target t, ApiResponse r) {
        err.println("lockstep: " + t.name() + ": " + r.describe());
        err.flush();
        return ExitCodes.FAILED;
    }
}
