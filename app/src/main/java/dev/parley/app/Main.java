package dev.parley.app;

import dev.parley.app.cli.CommonOptions;
import dev.parley.app.cli.ParleyCommand;
import dev.parley.app.cli.WindowArguments;
import dev.parley.app.ui.StartupPreparation;
import java.awt.GraphicsEnvironment;
import java.util.Optional;
import picocli.CommandLine;

/** Entry point of the {@code parley} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Optional<CommonOptions> window = WindowArguments.read(args);
        if (window.isPresent() && !GraphicsEnvironment.isHeadless()) {
            // What the window's start needs whatever the options say begins at once, beside the start itself.
            StartupPreparation.begin();
            System.exit(ParleyCommand.openWindow(window.get()));
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line, with errors reported as one line a user can act on rather than a stack trace. */
    public static CommandLine commandLine() {
        return ParleyCommand.commandLine();
    }
}
