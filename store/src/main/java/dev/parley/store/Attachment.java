package dev.parley.store;

import java.util.Optional;

/**
 * A file offered with a message, as the store keeps it.
 *
 * @param message the message that offers it
 * @param root    the root of the file's hash tree: its name on the wire
 * @param offer   the offer as the app encodes it, opaque here
 * @param size    the file's bytes
 * @param chunks  how many chunks it has
 * @param leaves  the leaf hashes, 32 bytes a chunk, once known
 * @param held    one bit a chunk (bit {@code i % 8} of byte {@code i / 8}): the chunks on disk and checked
 * @param state   where the transfer stands
 * @param content the SHA-256 of the file, in lowercase hex, once it is all here: the name of its one copy
 */
public record Attachment(MessageKey message, byte[] root, byte[] offer, long size, long chunks,
                         Optional<byte[]> leaves, byte[] held, AttachmentState state, Optional<String> content) {
    public Attachment {
        Check.present("message", message);
        root = Check.present("root", root).clone();
        offer = Check.present("offer", offer).clone();
        if (size < 0 || chunks < 0) {
            throw new InvalidInputException("a file's size and chunk count are never negative");
        }
        leaves = Check.present("leaves", leaves).map(byte[]::clone);
        held = Check.present("held", held).clone();
        Check.present("state", state);
        Check.present("content", content);
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    @Override
    public byte[] offer() {
        return offer.clone();
    }

    @Override
    public Optional<byte[]> leaves() {
        return leaves.map(byte[]::clone);
    }

    @Override
    public byte[] held() {
        return held.clone();
    }
}
