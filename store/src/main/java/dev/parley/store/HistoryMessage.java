package dev.parley.store;

import java.util.List;

/** A message with the receipts peers sent for it, as history is exported and imported. */
public record HistoryMessage(StoredMessage message, List<Receipt> receipts) {
    public HistoryMessage {
        Check.present("message", message);
        receipts = List.copyOf(receipts);
    }

    public HistoryMessage withConversation(String conversationId) {
        StoredMessage m = message;
        return new HistoryMessage(new StoredMessage(m.id(), conversationId, m.sender(), m.hlc(), m.sentAt(),
                m.receivedAt(), m.direction(), m.kind(), m.body(), m.state()), receipts);
    }
}
