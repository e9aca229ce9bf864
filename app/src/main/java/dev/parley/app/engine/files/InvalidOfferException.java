package dev.parley.app.engine.files;

/** A file offer that breaks the limits: the message is kept, with no file. */
public final class InvalidOfferException extends Exception {
    public InvalidOfferException(String message) {
        super("the file offer is refused: " + message);
    }
}
