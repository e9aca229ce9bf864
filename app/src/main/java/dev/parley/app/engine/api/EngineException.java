package dev.parley.app.engine.api;

/**
 * A request the engine cannot carry out as asked, said so the user can act on it: which peer, which code, what
 * to do instead. Nothing was changed. A {@link StorageFailedException} says the profile's storage failed under the
 * request.
 */
public class EngineException extends Exception {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
