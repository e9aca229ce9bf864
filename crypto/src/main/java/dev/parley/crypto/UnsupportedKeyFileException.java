package dev.parley.crypto;

import java.nio.file.Path;

/** The file was written in a key-file format version this Parley does not read, by a newer Parley. */
public final class UnsupportedKeyFileException extends KeyFileException {
    UnsupportedKeyFileException(Path file, int version, int supported) {
        super(file, file + " is in key-file format version " + version + ", written by a newer Parley; this one"
                + " reads version " + supported + ", so upgrade Parley to open it");
    }
}
