package dev.parley.transport.interop;

/** The js peer process could not be started, stopped answering, or died; the message carries its stderr. */
public final class JsPeerException extends RuntimeException {
    JsPeerException(String message) {
        super(message);
    }

    JsPeerException(String message, Throwable cause) {
        super(message, cause);
    }
}
