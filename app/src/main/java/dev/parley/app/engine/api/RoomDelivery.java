package dev.parley.app.engine.api;

/**
 * How far one of our room messages has reached: {@code stored} of the room's {@code members} other members have
 * stored it (told us so by ending our push, or by the position their sync reports). Members who joined after it was
 * written count as well, as they get it in the room's history.
 */
public record RoomDelivery(int stored, int members) {
    /** Every other member holds it (a room with no one else counts as reached). */
    public boolean complete() {
        return stored >= members;
    }
}
