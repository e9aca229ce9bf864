package dev.parley.app.ui;

import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;

/** What the main window opens on its right: the conversation with a contact, or a room. */
sealed interface Place {
    /** The conversation with {@code peer}. */
    record Contact(PeerId peer) implements Place {
    }

    /** The room {@code id}. */
    record Room(RoomId id) implements Place {
    }
}
