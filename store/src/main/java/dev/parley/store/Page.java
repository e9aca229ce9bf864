package dev.parley.store;

import java.util.List;
import java.util.Optional;

/**
 * Messages of one conversation, newest first.
 *
 * @param next the cursor for the following (older) page; empty when there are no older messages
 */
public record Page(List<StoredMessage> messages, Optional<MessageCursor> next) {
    public Page {
        messages = List.copyOf(messages);
    }
}
