package dev.parley.store;

/**
 * A store operation that failed. The message names the database file and what was wrong; subclasses mark the
 * failures a caller may want to handle on their own. A failed write changed nothing: every write is applied in
 * its own savepoint, so a failure undoes only that write, never the writes committed beside it.
 */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
