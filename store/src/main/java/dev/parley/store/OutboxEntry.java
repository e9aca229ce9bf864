package dev.parley.store;

import java.time.Instant;

/**
 * An envelope waiting for a recipient's acknowledgement.
 *
 * @param messageId the envelope's message id: a chat message, a receipt or any other envelope worth retrying
 * @param recipient the PeerId that must acknowledge it
 * @param envelope  the sealed, signed envelope bytes, sent again as they are
 * @param createdAt when it was queued
 */
public record OutboxEntry(String messageId, String recipient, byte[] envelope, Instant createdAt) {
}
