package dev.parley.app.cli;

import dev.parley.app.node.Version;
import dev.parley.app.profile.ProfileLock;
import dev.parley.app.ui.LaunchOptions;
import dev.parley.app.ui.ParleyApp;
import java.awt.GraphicsEnvironment;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code parley}: the top-level command. Without a subcommand it opens the desktop window, with the common options
 * (profile, name, listen addresses, {@code --no-mdns}, {@code --passphrase-file}) as {@code parley chat} takes them.
 */
@Command(name = "parley", mixinStandardHelpOptions = true, versionProvider = ParleyCommand.VersionProvider.class,
        description = "A serverless peer-to-peer instant messenger. Without a command, opens the desktop window.",
        subcommands = {NodeCommand.class, ChatCommand.class, IdCommand.class, PassphraseCommand.class, BackupCommand.class,
                RestoreCommand.class, ExportCommand.class, ImportCommand.class, PingCommand.class, PerfCommand.class,
                RelayCommand.class})
public final class ParleyCommand implements Callable<Integer> {
    /** When set (system property or environment variable), the app prints {@value #READY_LINE} once usable. */
    static final String REPORT_READY = "parley.ui.reportReady";
    static final String READY_LINE = "window ready";

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (GraphicsEnvironment.isHeadless()) {
            // A second start says that Parley runs already (with its PID) rather than that there is no display.
            ProfileLock.requireFree(common.profile().directory());
            spec.commandLine().getErr().println("parley: there is no display to open the window on; use `parley chat`"
                    + " for the terminal client, or set DISPLAY to an X display");
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean reportReady = System.getProperty(REPORT_READY) != null || System.getenv(REPORT_READY) != null;
        Runnable onReady = reportReady ? () -> {
            out.println(READY_LINE);
            out.flush();
        } : () -> { };
        LaunchOptions options = new LaunchOptions(common.profile().directory(), Optional.ofNullable(common.name),
                common.listen, !common.noMdns, common.nodeOptions(false, false),
                Optional.ofNullable(common.passphraseFile).map(file -> common.passphrasePrompt()), onReady);
        return ParleyApp.run(options);
    }

    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"parley " + Version.get()};
        }
    }
}
