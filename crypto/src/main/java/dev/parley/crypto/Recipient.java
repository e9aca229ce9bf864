package dev.parley.crypto;

import dev.parley.transport.multiformats.PeerId;

/** Whom an envelope is for: one peer (sealed with HPKE to its key) or a room (sealed under a sender key). */
public sealed interface Recipient {
    record Peer(PeerId peer) implements Recipient {
    }

    record Room(RoomId room) implements Recipient {
    }
}
