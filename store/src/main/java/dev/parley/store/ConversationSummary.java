package dev.parley.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A line of the conversation list.
 *
 * @param lastMessage  the newest message (by hybrid logical clock), empty for a new conversation
 * @param unread       incoming messages the user has not read
 * @param lastActivity when the newest message was received (or sent, for our own), or the conversation was created
 */
public record ConversationSummary(Conversation conversation, Optional<StoredMessage> lastMessage, int unread,
                                  Instant lastActivity) {
}
