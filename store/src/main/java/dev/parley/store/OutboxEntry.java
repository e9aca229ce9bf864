package dev.parley.store;

import java.time.Instant;

/**
 * An envelope waiting for a recipient's acknowledgement.
 *
 * @param messageId     the envelope's message id: a chat message, a receipt or any other envelope worth retrying
 * @param recipient     the PeerId that must acknowledge it
 * @param envelope      the sealed, signed envelope bytes, sent again as they are
 * @param attempts      how many times sending was tried
 * @param lastAttemptAt the last try; null before the first
 */
public record OutboxEntry(String messageId, String recipient, byte[] envelope, Instant createdAt, int attempts,
                          Instant lastAttemptAt) {
}
