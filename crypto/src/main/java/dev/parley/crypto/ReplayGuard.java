package dev.parley.crypto;

/**
 * Remembers which message ids were opened, so a replayed envelope is rejected. The app passes one that accepts
 * every id, because its store drops a duplicate by its whole message key (conversation, sender, id) instead.
 */
public interface ReplayGuard {
    /** Records {@code id}; true if it was not seen before. Called only for envelopes that verified and decrypted. */
    boolean firstSeen(MessageId id);
}
