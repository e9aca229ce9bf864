package dev.parley.store;

import java.time.Instant;

/**
 * An outbox entry kept with its recipe: the app's plaintext to seal it under the recipient's session, which it has
 * no envelope of yet ({@link Outbox#waiting}) or must seal again under a new session ({@link Outbox#sealedWithRecipe}).
 * The recipe is private (the message in clear): it stays in the profile's file and is never exported.
 *
 * @param messageId the entry's message id
 * @param recipient the PeerId it is for
 * @param recipe    what the app seals
 * @param createdAt when it was queued
 */
public record WaitingEntry(String messageId, String recipient, byte[] recipe, Instant createdAt) {
}
