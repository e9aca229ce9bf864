package dev.parley.app;

import dev.parley.app.cli.ParleyCommand;
import dev.parley.store.StoreException;
import java.io.IOException;
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
        CommandLine commandLine = new CommandLine(new ParleyCommand());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String reason = e instanceof IOException || e instanceof IllegalArgumentException || e instanceof StoreException
                    ? e.getMessage() : e.toString();
            cmd.getErr().println("parley: " + reason);
            return 1;
        });
        return commandLine;
    }
}
