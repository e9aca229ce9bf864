package dev.parley.app.cli;

import dev.parley.app.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code parley}: the top-level command. The desktop window arrives with the UI; until then it prints help. */
@Command(name = "parley", mixinStandardHelpOptions = true, versionProvider = ParleyCommand.VersionProvider.class,
        description = "A serverless peer-to-peer instant messenger.",
        subcommands = {NodeCommand.class, ChatCommand.class, IdCommand.class, PassphraseCommand.class, BackupCommand.class,
                RestoreCommand.class, PingCommand.class, PerfCommand.class})
public final class ParleyCommand implements Runnable {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"parley " + Version.get()};
        }
    }
}
