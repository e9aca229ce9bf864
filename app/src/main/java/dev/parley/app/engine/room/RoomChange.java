package dev.parley.app.engine.room;

import dev.parley.crypto.ContactCard;
import dev.parley.transport.multiformats.PeerId;

/** What a membership event changes. */
public sealed interface RoomChange {
    /** The first event: the room's name and its creator, its first admin. */
    record Create(String name, ContactCard creator) implements RoomChange {
    }

    /** An admin adds a member. */
    record Add(ContactCard member) implements RoomChange {
    }

    /** An admin removes a member, or an admin promoted after it. */
    record Remove(PeerId member) implements RoomChange {
    }

    /** The author leaves (or declines the invitation that added it). */
    record Leave() implements RoomChange {
    }

    /** An admin renames the room. */
    record Rename(String name) implements RoomChange {
    }

    /** An admin makes a member an admin too. */
    record Promote(PeerId member) implements RoomChange {
    }
}
