package dev.parley.crypto;

import java.nio.file.Path;

/** The passphrase does not unlock the file. Nothing was read into use and nothing on disk was changed. */
public final class WrongPassphraseException extends KeyFileException {
    WrongPassphraseException(Path file) {
        super(file, "the passphrase for " + file + " is wrong; nothing was changed, try again");
    }
}
