package dev.parley.store;

/** A value the store refuses (an empty or over-long id, a too-long body, a state that does not fit); nothing stored. */
public class InvalidInputException extends StoreException {
    public InvalidInputException(String message) {
        super(message);
    }
}
