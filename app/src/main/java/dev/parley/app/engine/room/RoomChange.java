package dev.parley.app.engine.room;

import dev.parley.crypto.ContactCard;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;

/** What a membership event changes. */
public sealed interface RoomChange {
    /** The first event: the room's name and its creator, its first admin. */
    record Create(String name, ContactCard creator, List<Multiaddr> addresses) implements RoomChange {
        public Create {
            addresses = List.copyOf(addresses);
        }
    }

    /** An admin adds a member. */
    record Add(ContactCard member, List<Multiaddr> addresses) implements RoomChange {
        public Add {
            addresses = List.copyOf(addresses);
        }
    }

    /** An admin removes a member. */
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
