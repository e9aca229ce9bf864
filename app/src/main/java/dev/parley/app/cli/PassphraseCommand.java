package dev.parley.app.cli;

import dev.parley.app.profile.ProfileLock;
import dev.parley.crypto.Identity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code parley passphrase}: sets, changes or removes the passphrase that encrypts the profile's identity. */
@Command(name = "passphrase", description = "Set, change or remove the passphrase protecting this profile's identity.")
final class PassphraseCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Option(names = "--new-passphrase-file", paramLabel = "FILE",
            description = "File whose first line is the new passphrase (default: ask twice on the terminal).")
    Path newPassphraseFile;

    @Option(names = "--remove", description = "Remove the passphrase: the identity is then protected by file permissions only.")
    boolean remove;

    @Override
    public Integer call() throws Exception {
        if (remove && newPassphraseFile != null) {
            throw new IllegalArgumentException("--remove and --new-passphrase-file contradict each other; give one");
        }
        CommonOptions common = parent.common;
        ProfileLock lock = common.lockProfile();
        try (lock) {
            change(common);
        }
        parent.spec.commandLine().getOut().println(remove
                ? "The passphrase is removed; the identity is protected by file permissions only."
                : "The identity is now encrypted under the new passphrase.");
        return 0;
    }

    private void change(CommonOptions common) throws IOException {
        Identity identity = common.identityAsItIs();
        char[] newPassphrase = remove ? null : new CommandLinePassphrase(newPassphraseFile, "--new-passphrase-file").newPassphrase("passphrase");
        try {
            common.profile().changePassphrase(identity, newPassphrase);
        } finally {
            if (newPassphrase != null) {
                Arrays.fill(newPassphrase, '\0');
            }
        }
    }
}
