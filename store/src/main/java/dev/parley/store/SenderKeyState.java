package dev.parley.store;

/**
 * A room sender key as it stands, to be kept in the same write as the envelope that moved it on ({@link
 * RoomEnvelopes#addAsync(RoomEnvelope, java.util.Optional, java.util.Optional)}): a chained key advances with every
 * message its owner seals or a member opens, and must never be read back behind what the history holds.
 *
 * @param key crypto's encoded sender key; opaque here, and secret
 */
public record SenderKeyState(String roomId, String owner, long epoch, byte[] key) {
    public SenderKeyState {
        Check.id("room id", roomId);
        Check.id("owner", owner);
        Check.present("sender key", key);
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "SenderKeyState[room " + roomId + ", owner " + owner + ", epoch " + epoch + "]";
    }
}
