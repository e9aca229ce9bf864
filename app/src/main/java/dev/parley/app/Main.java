package dev.parley.app;

import dev.parley.app.cli.CommonOptions;
import dev.parley.app.cli.ParleyCommand;
import dev.parley.app.cli.WindowArguments;
import java.util.Optional;
import picocli.CommandLine;

/** Entry point of the {@code parley} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Optional<CommonOptions> window = WindowArguments.read(args);
        if (window.isPresent()) {
            System.exit(ParleyCommand.openWindow(window.get()));
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line, with errors reported as one line a user can act on rather than a stack trace. */
    public static CommandLine commandLine() {
        return ParleyCommand.commandLine();
    }
}
