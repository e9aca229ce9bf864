package dev.parley.crypto;

/**
 * Remembers which message ids were opened, so a replayed envelope is rejected. The store keeps a durable
 * one; {@link InMemoryReplayGuard} serves tests and short-lived use.
 */
public interface ReplayGuard {
    /** Records {@code id}; true if it was not seen before. Called only for envelopes that verified and decrypted. */
    boolean firstSeen(MessageId id);
}
