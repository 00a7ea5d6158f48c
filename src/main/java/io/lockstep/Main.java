package io.lockstep;

import io.lockstep.cli.LockstepCommand;
import picocli.CommandLine;

/** Entry point of the single jar: the server ({@code serve}, {@code demo}) and the CI client commands. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(LockstepCommand.commandLine().execute(args));
    }
}
