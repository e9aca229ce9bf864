package dev.parley.app.history;

import dev.parley.store.Contact;
import dev.parley.store.Conversation;
import dev.parley.store.ConversationSummary;
import dev.parley.store.SqliteStore;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the conversation a user means: by its id (32 hex digits, as {@code /rooms} and the JSON export show it),
 * by a contact's PeerId, or by a contact's or room's name when only one conversation has it.
 */
public final class ConversationChoice {
    private ConversationChoice() {
    }

    /** @throws IllegalArgumentException naming what was not found, or the conversations a name fits */
    public static Conversation find(SqliteStore store, String wanted) {
        String key = wanted.strip();
        Optional<Conversation> byId = store.conversations().get(key.toLowerCase(Locale.ROOT));
        if (byId.isPresent()) {
            return byId.get();
        }
        Optional<Conversation> byPeer = store.conversations().direct(key);
        if (byPeer.isPresent()) {
            return byPeer.get();
        }
        Optional<Conversation> byRoom = store.conversations().forRoom(key.toLowerCase(Locale.ROOT));
        if (byRoom.isPresent()) {
            return byRoom.get();
        }
        List<Conversation> named = store.conversations().list().stream().map(ConversationSummary::conversation)
                .filter(conversation -> conversation.title().equalsIgnoreCase(key) || contactName(store, conversation)
                        .filter(name -> name.equalsIgnoreCase(key)).isPresent())
                .toList();
        if (named.size() == 1) {
            return named.getFirst();
        }
        if (named.isEmpty()) {
            throw new IllegalArgumentException("no conversation '" + wanted + "': give its id, a contact's PeerId,"
                    + " or a contact's or room's name");
        }
        throw new IllegalArgumentException("'" + wanted + "' names " + named.size() + " conversations ("
                + String.join(", ", named.stream().map(Conversation::id).toList()) + "); give the id of one");
    }

    private static Optional<String> contactName(SqliteStore store, Conversation conversation) {
        return conversation.peerId() == null ? Optional.empty()
                : store.contacts().get(conversation.peerId()).map(Contact::displayName);
    }
}
