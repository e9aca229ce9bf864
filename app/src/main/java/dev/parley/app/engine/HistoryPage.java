package dev.parley.app.engine;

import dev.parley.store.MessageCursor;
import java.util.List;
import java.util.Optional;

/**
 * Consecutive messages of a conversation, oldest first.
 *
 * @param older where the page before this one ends ({@link Engine#historyBefore}); empty at the conversation's start
 * @param newer where the page after this one starts ({@link Engine#historyAfter}); empty when the page reaches the
 *              newest message
 */
public record HistoryPage(List<ChatMessage> messages, Optional<MessageCursor> older, Optional<MessageCursor> newer) {
    public HistoryPage {
        messages = List.copyOf(messages);
    }
}
