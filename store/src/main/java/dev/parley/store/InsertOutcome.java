package dev.parley.store;

/**
 * What an idempotent insert did: stored a new row, or found one with the same key (for a message: the same
 * conversation, sender and id) and left it alone.
 */
public enum InsertOutcome { INSERTED, DUPLICATE }
