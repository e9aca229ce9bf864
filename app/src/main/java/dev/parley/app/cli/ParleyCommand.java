package dev.parley.app.cli;

import dev.parley.app.node.Version;
import dev.parley.app.profile.ProfileLock;
import dev.parley.app.ui.LaunchOptions;
import dev.parley.app.ui.ParleyApp;
import dev.parley.app.ui.StartupPreparation;
import dev.parley.store.StoreException;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code parley}: the top-level command. Without a subcommand it opens the desktop window, with the common options
 * (profile, name, listen addresses, {@code --no-mdns}, {@code --passphrase-file}) as {@code parley chat} takes them.
 */
@Command(name = "parley", mixinStandardHelpOptions = true, versionProvider = ParleyCommand.VersionProvider.class,
        description = "A serverless peer-to-peer instant messenger. Without a command, opens the desktop window.",
        subcommands = {NodeCommand.class, ChatCommand.class, IdCommand.class, PassphraseCommand.class, BackupCommand.class,
                RestoreCommand.class, ExportCommand.class, ImportCommand.class, PingCommand.class, PerfCommand.class,
                RelayCommand.class, MailboxCommand.class, HelpCommand.class})
public final class ParleyCommand implements Callable<Integer> {
    /**
     * The common options each command reads. A command accepts the others too, before or after its name, so that a
     * script may give every command the same ones ({@code --bootstrap none}, say), and ignores them; its help leaves
     * them out.
     */
    private static final Map<String, Set<String>> COMMON_OPTIONS_READ = Map.ofEntries(
            Map.entry("node", CommonOptions.NODE),
            Map.entry("relay", CommonOptions.NODE),
            Map.entry("mailbox", CommonOptions.NODE),
            Map.entry("chat", CommonOptions.ALL),
            Map.entry("id", CommonOptions.IDENTITY),
            Map.entry("backup", CommonOptions.IDENTITY),
            Map.entry("passphrase", Set.of("--profile", "--passphrase-file")),
            Map.entry("restore", Set.of("--profile", "--name")),
            Map.entry("export", CommonOptions.PROFILE),
            Map.entry("import", CommonOptions.PROFILE),
            Map.entry("ping", Set.of("--profile", "--passphrase-file")),
            Map.entry("perf", Set.of("--profile", "--passphrase-file")),
            Map.entry("help", Set.of()));

    /** Whether picocli takes {@code word} for a command's name (or {@code help}) rather than an option's value. */
    static boolean isCommandName(String word) {
        return COMMON_OPTIONS_READ.containsKey(word);
    }

    /** When set (system property or environment variable), the app prints {@value #READY_LINE} once usable. */
    static final String REPORT_READY = "parley.ui.reportReady";
    static final String READY_LINE = "window ready";

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return openWindow(common, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * Opens the window for arguments {@link WindowArguments} read without picocli, reporting a failure as the
     * command line does.
     *
     * @return the exit code
     */
    public static int openWindow(CommonOptions common) {
        if (!GraphicsEnvironment.isHeadless()) {
            // What the window's start needs whatever the options say begins at once, beside the start itself.
            StartupPreparation.begin();
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            return openWindow(common, out, err);
        } catch (Exception e) {
            err.println("parley: " + describeFailure(e));
            return 1;
        } finally {
            out.flush();
        }
    }

    private static int openWindow(CommonOptions common, PrintWriter out, PrintWriter err) throws Exception {
        if (GraphicsEnvironment.isHeadless()) {
            // A second start says that Parley runs already (with its PID) rather than that there is no display.
            ProfileLock.requireFree(common.profile().directory());
            err.println("parley: there is no display to open the window on; use `parley chat`"
                    + " for the terminal client, or set DISPLAY to an X display");
            return 1;
        }
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

    /**
     * The command line: {@code -h}/{@code --help} after every command, each command's help with only the common options
     * it reads, and errors reported as one line a user can act on rather than a stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ParleyCommand());
        commandLine.getSubcommands().forEach((name, subcommand) -> {
            Set<String> read = COMMON_OPTIONS_READ.get(name);
            if (read == null) {
                throw new IllegalStateException("ParleyCommand does not say which common options " + name + " reads");
            }
            CommandSpec spec = subcommand.getCommandSpec();
            for (OptionSpec option : new ArrayList<>(spec.options())) {
                if (option.inherited() && !read.contains(option.longestName())) {
                    spec.remove(option);
                    spec.addOption(option.toBuilder().hidden(true).build());
                }
            }
            if (spec.options().stream().noneMatch(OptionSpec::usageHelp)) {
                spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help and exit.").build());
            }
        });
        commandLine.getSubcommands().get("chat").getCommandSpec().usageMessage()
                .footer(ChatCommands.usageFooter());
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("parley: " + describeFailure(e));
            return 1;
        });
        return commandLine;
    }

    /** A command's failure as one line a user can act on rather than a stack trace. */
    private static String describeFailure(Exception e) {
        return e instanceof IOException io ? FileErrors.describe(io)
                : e instanceof IllegalArgumentException || e instanceof StoreException ? e.getMessage()
                : e.toString();
    }

    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"parley " + Version.get()};
        }
    }
}
