package dev.parley.app.engine;

import dev.parley.crypto.MessageId;
import dev.parley.store.export.IdSpelling;
import dev.parley.transport.multiformats.PeerId;

/**
 * How Parley spells the ids it stores, for a history import: a message id as {@link MessageId#toString} writes it
 * (32 lowercase hex digits) and a person as {@link PeerId#toBase58} does. Anything else in a file is either no id
 * at all, which would make the conversation unreadable, or a held id re-spelt, which would stand beside it as a
 * second copy of the same message.
 */
public final class ParleyIdSpelling implements IdSpelling {
    public static final ParleyIdSpelling INSTANCE = new ParleyIdSpelling();

    private ParleyIdSpelling() {
    }

    @Override
    public boolean isMessageId(String id) {
        try {
            return MessageId.parse(id).toString().equals(id);
        } catch (IllegalArgumentException notAnId) {
            return false;
        }
    }

    @Override
    public boolean isPeer(String peer) {
        try {
            return PeerId.parse(peer).toBase58().equals(peer);
        } catch (IllegalArgumentException notAPeer) {
            return false;
        }
    }
}
