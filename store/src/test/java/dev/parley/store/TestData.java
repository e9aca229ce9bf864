package dev.parley.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Rows for tests: a contact "alice" with a direct conversation, and messages made to order. */
final class TestData {
    static final String ALICE = "12D3KooWAlice";
    static final String ME = "12D3KooWMe";
    static final String CHAT = "chat-alice";
    static final Instant T0 = Instant.parse("2025-01-02T03:04:05.678Z");

    private TestData() {
    }

    static Contact alice() {
        return new Contact(ALICE, "Alice", new byte[] {1, 2, 3}, new byte[] {4, 5}, ContactState.ACCEPTED, T0, null);
    }

    /** Stores alice and the direct conversation with her. */
    static void addAliceChat(SqliteStore store) {
        store.contacts().put(alice());
        store.conversations().create(Conversation.direct(CHAT, ALICE, "Alice", T0));
    }

    /** The key of alice's message {@code id} in the chat with her. */
    static MessageKey fromAlice(String id) {
        return new MessageKey(CHAT, ALICE, id);
    }

    /** The key of our message {@code id} in the chat with alice. */
    static MessageKey mine(String id) {
        return new MessageKey(CHAT, ME, id);
    }

    static StoredMessage incoming(String conversationId, String id, long hlc, String body) {
        return new StoredMessage(id, conversationId, ALICE, hlc, T0.plusMillis(hlc), T0.plusMillis(hlc + 1),
                Direction.INCOMING, MessageKind.TEXT, body, MessageState.RECEIVED);
    }

    static StoredMessage outgoing(String conversationId, String id, long hlc, String body) {
        return new StoredMessage(id, conversationId, ME, hlc, T0.plusMillis(hlc), T0.plusMillis(hlc),
                Direction.OUTGOING, MessageKind.TEXT, body, MessageState.SENDING);
    }

    /** The room as the store holds it (status, who invited us, log, members), read the way an export reads it. */
    static HistoryConversation.Room room(SqliteStore store, String roomId) {
        return store.history().conversations(HistoryScope.everything()).stream()
                .filter(held -> roomId.equals(held.conversation().roomId())).findFirst().orElseThrow()
                .room().orElseThrow();
    }

    /** The receipts of {@code message}, oldest first, read the way an export reads them. */
    static List<Receipt> receipts(SqliteStore store, MessageKey message) {
        List<Receipt> receipts = new ArrayList<>();
        store.history().forEachMessage(message.conversationId(), HistoryScope.everything(), each -> {
            if (each.message().key().equals(message)) {
                receipts.addAll(each.receipts());
            }
        });
        receipts.sort(Comparator.comparing(Receipt::at).thenComparing(Receipt::peerId).thenComparing(Receipt::kind));
        return receipts;
    }
}
