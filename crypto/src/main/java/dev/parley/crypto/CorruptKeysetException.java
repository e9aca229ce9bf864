package dev.parley.crypto;

import java.nio.file.Path;

/** The file is damaged: truncated, altered, or not a Parley key file at all. */
public final class CorruptKeysetException extends KeyFileException {
    CorruptKeysetException(Path file, String problem) {
        super(file, message(file, problem));
    }

    CorruptKeysetException(Path file, String problem, Throwable cause) {
        super(file, message(file, problem), cause);
    }

    private static String message(Path file, String problem) {
        return file + " is damaged (" + problem + "); restore the identity from a backup";
    }
}
