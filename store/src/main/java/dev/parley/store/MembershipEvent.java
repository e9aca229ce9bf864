package dev.parley.store;

/**
 * One signed event of a room's membership log (create, add, remove, leave, rename, promote). The store keeps the
 * chain linear and checks its links; verifying signatures and admin rights is the caller's part.
 *
 * @param epoch    0 for the creating event, then one more per event
 * @param hash     the event's hash, unique in the store
 * @param prevHash the previous event's hash; null for the creating event
 * @param author   the signer's PeerId
 * @param event    the signed event bytes as received
 */
public record MembershipEvent(String roomId, long epoch, byte[] hash, byte[] prevHash, String author, byte[] event) {
    public MembershipEvent {
        Check.id("room id", roomId);
        Check.present("event hash", hash);
        Check.id("author", author);
        Check.present("event", event);
        if (epoch < 0) {
            throw new InvalidInputException("membership event of room " + roomId + " has negative epoch " + epoch);
        }
        if ((epoch == 0) != (prevHash == null)) {
            throw new InvalidInputException("membership event of room " + roomId + " at epoch " + epoch
                    + (epoch == 0 ? " must not name a previous event" : " must name the previous event"));
        }
    }
}
