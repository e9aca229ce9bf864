package dev.parley.app.engine.api;

import dev.parley.app.engine.History;
import java.util.List;
import java.util.Optional;

/**
 * Consecutive messages of a conversation, oldest first.
 *
 * @param older where the page before this one ends ({@link History#before}); empty at the conversation's start
 * @param newer where the page after this one starts ({@link History#after}); empty when the page reaches the
 *              newest message
 */
public record HistoryPage(List<ChatMessage> messages, Optional<HistoryCursor> older, Optional<HistoryCursor> newer) {
    public HistoryPage {
        messages = List.copyOf(messages);
    }
}
