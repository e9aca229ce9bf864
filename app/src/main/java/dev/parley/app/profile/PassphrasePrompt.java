package dev.parley.app.profile;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a protected profile's passphrase comes from: a file or the terminal for the command line, a dialog for
 * the desktop app. Asked only when the profile has a passphrase.
 */
@FunctionalInterface
public interface PassphrasePrompt {
    /** A prompt for profiles that have none: asking is a clear error. */
    PassphrasePrompt NONE = profile -> {
        throw new IOException("the profile " + profile + " is protected by a passphrase, and none was given");
    };

    char[] passphraseFor(Path profile) throws IOException;
}
