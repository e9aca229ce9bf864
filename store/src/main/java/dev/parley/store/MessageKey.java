package dev.parley.store;

/**
 * What identifies a stored message: its id within its conversation and its sender. Ids are chosen by senders, so
 * an id alone names nothing: anyone can put any id in an envelope, and a message of one sender must never stand
 * in for another's. The same id from another sender, or in another conversation, is another message.
 *
 * @param conversationId the conversation the message is in
 * @param sender         the author's PeerId, as text
 * @param id             the message id from the envelope
 */
public record MessageKey(String conversationId, String sender, String id) {
    public MessageKey {
        Check.id("conversation id", conversationId);
        Check.id("sender", sender);
        Check.id("message id", id);
    }

    /** As errors and logs name it: {@code 0193… from 12D3KooW… in 5a1f…}. */
    @Override
    public String toString() {
        return id + " from " + sender + " in " + conversationId;
    }
}
