package dev.parley.app.engine.api;

/**
 * The profile's history could not be read or written (a full disk, a damaged database): not the request was at
 * fault but the storage under it. The message says what could not be done and names the database file.
 */
public final class StorageFailedException extends EngineException {
    public StorageFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
