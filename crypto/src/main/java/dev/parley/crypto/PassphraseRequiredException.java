package dev.parley.crypto;

import java.nio.file.Path;

/** The file is passphrase-protected and no passphrase was given. */
public final class PassphraseRequiredException extends KeyFileException {
    PassphraseRequiredException(Path file) {
        super(file, file + " is protected by a passphrase; enter it to unlock the identity");
    }
}
