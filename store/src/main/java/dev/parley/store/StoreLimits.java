package dev.parley.store;

/** The sizes the store accepts; larger input is refused with a typed {@link StoreException}. */
public final class StoreLimits {
    /** Longest message body, in UTF-8 bytes (64 KiB); chat frames are at most 256 KiB, envelope included. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** Longest id (message, conversation, peer, room), in characters. */
    public static final int MAX_ID_LENGTH = 256;
    /** Most messages one page or one search returns. */
    public static final int MAX_PAGE_SIZE = 1_000;
    /**
     * Addresses kept per contact, the most recently seen ones: this many of its own, and apart from them this many
     * hints (as many as an invite code holds), so that hints never push out the contact's own addresses.
     */
    public static final int MAX_ADDRESSES_PER_PEER = 16;

    private StoreLimits() {
    }
}
