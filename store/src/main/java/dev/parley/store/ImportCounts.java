package dev.parley.store;

/**
 * What an import changed: conversations new to the profile and those it already had (their messages merged in),
 * messages stored and messages it already held (an import is idempotent: the second time, all are held).
 */
public record ImportCounts(int conversationsAdded, int conversationsMerged, long messagesAdded,
                           long messagesAlreadyHeld) {
}
