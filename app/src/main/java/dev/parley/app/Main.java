package dev.parley.app;

import dev.parley.app.cli.ParleyCommand;
import picocli.CommandLine;

/** Entry point of the {@code parley} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with errors reported as one line a user can act on rather than a stack trace. */
    public static CommandLine commandLine() {
        return ParleyCommand.commandLine();
    }
}
