package dev.parley.app.engine.room;

/** A membership event that does not decode, verify or fit the room's log, with the reason. */
public final class InvalidRoomEventException extends Exception {
    public InvalidRoomEventException(String message) {
        super(message);
    }

    public InvalidRoomEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
