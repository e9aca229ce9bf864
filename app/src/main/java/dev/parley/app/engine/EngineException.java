package dev.parley.app.engine;

/**
 * A request the engine cannot carry out as asked, said so the user can act on it: which peer, which code, what
 * to do instead. Nothing was changed.
 */
public final class EngineException extends Exception {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
