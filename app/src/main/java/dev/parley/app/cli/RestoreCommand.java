package dev.parley.app.cli;

import dev.parley.app.profile.Profile;
import dev.parley.app.profile.ProfileLock;
import dev.parley.crypto.IdentityBackup;
import dev.parley.crypto.KeyFileException;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parley restore FILE}: makes a backed-up identity this profile's, with the display name the backup holds
 * ({@code --name} chooses another; a backup from before backups kept the name leaves the profile's as it was).
 */
@Command(name = "restore", description = "Restore an identity and its display name from a backup file into this"
        + " profile.")
final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Parameters(paramLabel = "FILE", description = "A file written by parley backup.")
    Path file;

    @Option(names = "--backup-passphrase-file", paramLabel = "FILE",
            description = "File whose first line is the backup's passphrase (default: ask on the terminal).")
    Path backupPassphraseFile;

    @Option(names = "--force", description = "Replace the identity this profile holds (it is kept in a replaced-* folder).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        ProfileLock lock = parent.common.lockProfile();
        try (lock) {
            return restore();
        }
    }

    private int restore() throws IOException {
        Profile profile = parent.common.profile();
        Optional<String> newName = parent.common.checkedName();
        Optional<PeerId> current = profile.storedPeerId();
        if (current.isPresent() && !force) {
            throw new IOException("the profile " + profile.directory() + " already holds the identity "
                    + current.get().toBase58() + "; pass --force to replace it"
                    + " (it is kept in a replaced-* folder of the profile)");
        }
        IdentityBackup.Contents backup = read();
        Optional<Path> previous = profile.restore(backup);
        if (newName.isPresent()) {
            profile.setDisplayName(newName.get());
        }
        PrintWriter out = parent.spec.commandLine().getOut();
        out.println("Restored " + backup.identity().peerId().toBase58() + " (" + profile.displayName() + ") into "
                + profile.directory());
        if (backup.displayName().isEmpty() && newName.isEmpty()) {
            out.println("The backup holds no display name (an older Parley wrote it): the profile goes by "
                    + profile.displayName() + "; `parley id --name NAME` sets another.");
        }
        previous.ifPresent(aside -> out.println("The identity it replaced is kept in " + aside));
        out.println("It has no passphrase now; run `parley passphrase` to set one.");
        return 0;
    }

    private IdentityBackup.Contents read() throws IOException {
        char[] passphrase = new CommandLinePassphrase(backupPassphraseFile, "--backup-passphrase-file").passphraseFor(file);
        try {
            return IdentityBackup.read(file, passphrase);
        } catch (KeyFileException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }
}
