package dev.parley.store.export;

import dev.parley.store.StoreException;

/**
 * An export or import that could not be done, with a message for the user: which file, what was wrong with it or
 * with where it was to go, and that nothing was changed (no partial file, no history touched).
 */
public class HistoryFileException extends StoreException {
    public HistoryFileException(String message) {
        super(message);
    }

    public HistoryFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
