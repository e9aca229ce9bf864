package dev.parley.app.engine.room;

import dev.parley.crypto.ContactCard;
import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/** What a membership event changes. */
public sealed interface RoomChange {
    /**
     * The first event: the room's name and its creator, its first admin. The room's id derives from the creator's
     * PeerId and a random salt (app/README.md, "Rooms"), so that nobody but the creator can sign a room into being
     * under an id that is already someone's room.
     */
    record Create(String name, ContactCard creator, byte[] salt) implements RoomChange {
        public static final int SALT_BYTES = 16;
        private static final byte[] ROOM_ID_DOMAIN = "parley/room-id/1\0".getBytes(StandardCharsets.US_ASCII);
        private static final SecureRandom RANDOM = new SecureRandom();

        public Create {
            if (salt.length != SALT_BYTES) {
                throw new IllegalArgumentException("a room's salt is " + SALT_BYTES + " bytes, not " + salt.length);
            }
            salt = salt.clone();
        }

        /** A new room's creation, under a fresh salt. */
        public static Create fresh(String name, ContactCard creator) {
            byte[] salt = new byte[SALT_BYTES];
            RANDOM.nextBytes(salt);
            return new Create(name, creator, salt);
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        /** SHA-256 of the domain, the creator's PeerId and the salt, cut to a room id's 16 bytes. */
        public RoomId roomId() {
            try {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                sha256.update(ROOM_ID_DOMAIN);
                sha256.update(creator.peerId().bytes());
                sha256.update(salt);
                return RoomId.fromBytes(Arrays.copyOf(sha256.digest(), 16));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Create that && name.equals(that.name) && creator.equals(that.creator)
                    && Arrays.equals(salt, that.salt);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * name.hashCode() + creator.hashCode()) + Arrays.hashCode(salt);
        }
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
