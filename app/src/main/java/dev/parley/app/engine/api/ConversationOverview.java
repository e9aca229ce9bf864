package dev.parley.app.engine.api;

import java.time.Instant;
import java.util.Optional;

/**
 * A line of the conversation list: who it is with, the newest message, how many of theirs are unread.
 *
 * @param lastActivity when the newest message was sent or received, or the conversation began
 */
public record ConversationOverview(ContactInfo contact, Optional<ChatMessage> lastMessage, int unread,
                                   Instant lastActivity) {
}
