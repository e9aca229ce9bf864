package dev.parley.app.cli;

import dev.parley.app.profile.Profile;
import dev.parley.app.profile.ProfileLock;
import dev.parley.crypto.Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley backup FILE}: the identity and display name, in one file protected by a passphrase of its own. */
@Command(name = "backup", description = "Write this profile's identity and display name to one"
        + " passphrase-protected file.")
final class BackupCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Parameters(paramLabel = "FILE", description = "The backup file to write; an existing file is kept unless --force.")
    Path file;

    @Option(names = "--backup-passphrase-file", paramLabel = "FILE",
            description = "File whose first line is the backup's passphrase (default: ask twice on the terminal).")
    Path backupPassphraseFile;

    @Option(names = "--force", description = "Overwrite FILE if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(file) && !force) {
            throw new IOException(file + " exists; choose another name, or pass --force to overwrite it");
        }
        Identity identity;
        // Backing up reads the identity only, so it runs alongside Parley, unless the profile is new or --name given.
        ProfileLock lock = parent.common.lockProfileIfWriting();
        try (lock) {
            identity = parent.common.identity();
        }
        Profile profile = parent.common.profile();
        char[] passphrase = new CommandLinePassphrase(backupPassphraseFile, "--backup-passphrase-file").newPassphrase("backup passphrase");
        try {
            profile.backUp(identity, file, passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
        parent.spec.commandLine().getOut().println("Backed up " + identity.peerId().toBase58() + " ("
                + profile.displayName() + ") to " + file);
        return 0;
    }
}
