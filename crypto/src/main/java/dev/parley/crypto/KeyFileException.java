package dev.parley.crypto;

import java.nio.file.Path;

/** An identity file or backup that cannot be unlocked or read; the message names the file and what to do. */
public abstract sealed class KeyFileException extends Exception
        permits WrongPassphraseException, PassphraseRequiredException, CorruptKeysetException,
                UnsupportedKeyFileException {
    private final Path file;

    KeyFileException(Path file, String message) {
        super(message);
        this.file = file;
    }

    KeyFileException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
