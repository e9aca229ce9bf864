package dev.parley.transport.keys;

/** A key that cannot be parsed or is of a type Parley does not accept. */
public class InvalidKeyException extends Exception {
    public InvalidKeyException(String message) {
        super(message);
    }
}
