package dev.parley.app.engine;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ChatNotice;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.HistoryCursor;
import dev.parley.app.engine.api.MessageDetails;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.app.engine.api.SearchResult;
import dev.parley.app.engine.api.StorageFailedException;
import dev.parley.crypto.MessageId;
import dev.parley.store.ContactState;
import dev.parley.store.Direction;
import dev.parley.store.InvalidInputException;
import dev.parley.store.MessageCursor;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.Notice;
import dev.parley.store.SessionNotice;
import dev.parley.store.Snippet;
import dev.parley.store.StoreException;
import dev.parley.store.StoredMessage;
import dev.parley.transport.multiformats.PeerId;
import java.util.Optional;

/**
 * Where the store's types meet the engine's public ones ({@code engine.api}): the areas convert what the store
 * hands out, and turn its failures into a {@link StorageFailedException}, so that no caller of the engine sees a
 * type of the store.
 */
final class StoreTypes {
    private StoreTypes() {
    }

    /** Work on the store that may also refuse a request itself. */
    @FunctionalInterface
    interface StoreWork<T> {
        T run() throws EngineException;
    }

    /**
     * Runs {@code work}. A value the store refuses (a page size out of range, say) was the request's fault and
     * becomes an {@link EngineException} with the store's words; any other failure of the store becomes a
     * {@link StorageFailedException} that says what could not be done ({@code what}, e.g. "reading the history
     * with …") and why.
     */
    static <T> T guarded(String what, StoreWork<T> work) throws EngineException {
        try {
            return work.run();
        } catch (InvalidInputException e) {
            throw new EngineException(e.getMessage(), e);
        } catch (StoreException e) {
            throw new StorageFailedException(what + " failed: " + e.getMessage(), e);
        }
    }

    /** {@code message} of the conversation with {@code peer}. */
    static ChatMessage chatMessage(StoredMessage message, PeerId peer) {
        return chatMessage(message, peer, MessageDetails.NONE);
    }

    /**
     * {@code message} of the conversation with {@code peer}, with its reply, reactions, edits; a notice as its English
     * sentence and what it says happened.
     */
    static ChatMessage chatMessage(StoredMessage message, PeerId peer, MessageDetails details) {
        boolean notice = message.kind() == MessageKind.NOTICE;
        return new ChatMessage(MessageId.parse(message.id()), peer, message.direction() == Direction.OUTGOING,
                notice ? Notice.text(message.body(), id -> id) : message.body(), message.hlc(), message.sentAt(),
                status(message.state()), details, notice ? chatNotice(message.body()) : Optional.empty());
    }

    /** What a 1:1 notice's body says happened; empty for one this Parley does not word (an import brought it). */
    private static Optional<ChatNotice> chatNotice(String body) {
        return SessionNotice.decode(body).map(renewed -> ChatNotice.SESSION_RENEWED);
    }

    static MessageStatus status(MessageState state) {
        return switch (state) {
            case SENDING -> MessageStatus.SENDING;
            case SENT -> MessageStatus.SENT;
            case DELIVERED -> MessageStatus.DELIVERED;
            case RECEIVED -> MessageStatus.RECEIVED;
            case READ -> MessageStatus.READ;
        };
    }

    static ContactStatus status(ContactState state) {
        return switch (state) {
            case ACCEPTED -> ContactStatus.ACCEPTED;
            case REQUEST -> ContactStatus.REQUEST;
            case BLOCKED -> ContactStatus.BLOCKED;
        };
    }

    static HistoryCursor cursor(MessageCursor cursor) {
        return new HistoryCursor(cursor.hlc(), cursor.messageId(), cursor.sender());
    }

    static MessageCursor cursor(HistoryCursor cursor) {
        return new MessageCursor(cursor.hlc(), cursor.messageId(), cursor.sender());
    }

    static SearchResult.Snippet snippet(Snippet snippet) {
        return new SearchResult.Snippet(snippet.text(), snippet.highlights().stream()
                .map(highlight -> new SearchResult.Snippet.Highlight(highlight.start(), highlight.end())).toList());
    }
}
