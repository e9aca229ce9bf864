package dev.parley.store;

/**
 * A room envelope as its sender sealed and signed it, with the header fields the store finds it by.
 *
 * @param senderSeq the sender's number for it in the room, from 1
 * @param epoch     the epoch of the sender key it is sealed under
 * @param envelope  the encoded envelope, handed on to other members as it is
 */
public record RoomEnvelope(String roomId, String sender, long senderSeq, long epoch, String messageId,
                           byte[] envelope) {
    public RoomEnvelope {
        Check.id("room id", roomId);
        Check.id("sender", sender);
        Check.id("message id", messageId);
        Check.present("envelope", envelope);
        if (senderSeq < 1) {
            throw new InvalidInputException("room envelope " + messageId + " has sequence number " + senderSeq
                    + "; they start at 1");
        }
    }
}
