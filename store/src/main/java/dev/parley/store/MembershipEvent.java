package dev.parley.store;

/**
 * One signed event of a room's membership log (create, add, remove, leave, rename, promote). The store keeps the
 * events of a room as a set, unique by hash; which events follow which, and whether they verify, is the caller's
 * part.
 *
 * @param epoch  how many events precede it in the log; 0 for the creating event
 * @param hash   the event's hash, unique in the store
 * @param author the signer's PeerId
 * @param event  the signed event bytes as received
 */
public record MembershipEvent(String roomId, long epoch, byte[] hash, String author, byte[] event) {
    public MembershipEvent {
        Check.id("room id", roomId);
        Check.present("event hash", hash);
        Check.id("author", author);
        Check.present("event", event);
        if (epoch < 0) {
            throw new InvalidInputException("membership event of room " + roomId + " has negative epoch " + epoch);
        }
    }
}
