package dev.parley.app.engine;

import dev.parley.app.engine.ContactBook.Known;
import dev.parley.app.engine.actions.MessageActions;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ConversationOverview;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.HistoryCursor;
import dev.parley.app.engine.api.HistoryPage;
import dev.parley.app.engine.api.MessageDetails;
import dev.parley.app.engine.api.SearchResult;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.MessageId;
import dev.parley.store.ContactState;
import dev.parley.store.ConversationSummary;
import dev.parley.store.MessageKey;
import dev.parley.store.MessageKind;
import dev.parley.store.Page;
import dev.parley.store.SearchHit;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreLimits;
import dev.parley.store.StoredMessage;
import dev.parley.store.export.ExportFiles;
import dev.parley.store.export.HistoryExporter;
import dev.parley.store.export.Person;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The 1:1 history ({@code engine.history()}): pages of a conversation along the hybrid logical clock, the
 * conversation list, full-text search, and the exporter that writes it all out.
 */
public final class History {
    /** The most messages a page may hold. */
    public static final int MAX_PAGE_SIZE = StoreLimits.MAX_PAGE_SIZE;

    private final PeerId me;
    private final Supplier<ContactCard> card;
    private final SqliteStore store;
    private final ContactBook contacts;
    private final ConnectionWatcher connections;
    private final MessageActions actions;
    private final ExportFiles files;

    History(PeerId me, Supplier<ContactCard> card, SqliteStore store, ContactBook contacts,
            ConnectionWatcher connections, MessageActions actions, ExportFiles files) {
        this.actions = actions;
        this.files = files;
        this.me = me;
        this.card = card;
        this.store = store;
        this.contacts = contacts;
        this.connections = connections;
    }

    /** The newest {@code limit} messages with {@code peer}, oldest first. */
    public HistoryPage newest(PeerId peer, int limit) throws EngineException {
        String conversation = conversation(peer);
        return StoreTypes.guarded(reading(peer), () -> page(peer, store.messages().newest(conversation, limit), false));
    }

    /** The {@code limit} messages with {@code peer} before {@code cursor} (a page's {@code older}), oldest first. */
    public HistoryPage before(PeerId peer, HistoryCursor cursor, int limit) throws EngineException {
        String conversation = conversation(peer);
        return StoreTypes.guarded(reading(peer), () ->
                page(peer, store.messages().before(conversation, StoreTypes.cursor(cursor), limit), true));
    }

    /**
     * The {@code limit} messages with {@code peer} after {@code cursor} (a page's {@code newer}), oldest first:
     * paging towards the present.
     */
    public HistoryPage after(PeerId peer, HistoryCursor cursor, int limit) throws EngineException {
        String conversation = conversation(peer);
        Page page = StoreTypes.guarded(reading(peer), () ->
                store.messages().after(conversation, StoreTypes.cursor(cursor), limit));
        List<ChatMessage> messages = page.messages().stream().map(m -> StoreTypes.chatMessage(m, peer)).toList();
        return new HistoryPage(messages, messages.isEmpty() ? Optional.empty() : Optional.of(cursor),
                page.next().map(StoreTypes::cursor));
    }

    /**
     * About {@code limit} messages with {@code peer} around the message {@code id}, oldest first, e.g. to open the
     * conversation at a search result: half before it, the message, the rest after it.
     *
     * @throws EngineException when the message is not in the conversation with {@code peer}
     */
    public HistoryPage around(PeerId peer, MessageId id, int limit) throws EngineException {
        String conversation = conversation(peer);
        if (limit < 1) {
            throw new EngineException("a page holds at least one message, not " + limit);
        }
        return StoreTypes.guarded(reading(peer), () -> around(peer, conversation, id, limit));
    }

    /**
     * Where {@code message} sits in its conversation, to page on from it ({@link #before}, {@link #after}): its
     * clock, its id and its sender, since ids are per sender.
     */
    public HistoryCursor cursor(ChatMessage message) {
        PeerId sender = message.outgoing() ? me : message.peer();
        return new HistoryCursor(message.hlc(), message.id().toString(), sender.toBase58());
    }

    /**
     * The conversation list: every contact and request, newest activity first, with its last message and unread
     * count. Blocked peers are left out.
     */
    public List<ConversationOverview> conversations() throws EngineException {
        return StoreTypes.guarded("reading the list of conversations", this::overviews);
    }

    /** Messages of all 1:1 conversations that contain every word of {@code text}, newest first. */
    public List<SearchResult> search(String text, int limit) throws EngineException {
        return StoreTypes.guarded("searching the history", () -> searchConversations(text, limit));
    }

    /**
     * Writes the history out, with the files messages offer; our own messages carry the name on our card now.
     */
    public HistoryExporter exporter() {
        return new HistoryExporter(store, new Person(me.toBase58(), card.get().displayName()),
                new RoomCardNames(store), files);
    }

    private HistoryPage around(PeerId peer, String conversation, MessageId id, int limit) throws EngineException {
        // The app names a message by its id; within a conversation the peer's and ours are told apart by sender
        // (the peer could reuse the id of one of ours), and the peer's comes first.
        StoredMessage middle = store.messages().get(new MessageKey(conversation, peer.toBase58(), id.toString()))
                .or(() -> store.messages().get(new MessageKey(conversation, me.toBase58(), id.toString())))
                .orElseThrow(() -> new EngineException("message " + id + " is not in the conversation with " + peer));
        int olderCount = (limit - 1) / 2;
        int newerCount = limit - 1 - olderCount;
        // A side with no room on the page still gets a cursor, from which a page of its own may be asked for.
        Page before = olderCount > 0 ? store.messages().before(conversation, middle.cursor(), olderCount)
                : new Page(List.of(), Optional.of(middle.cursor()));
        Page after = newerCount > 0 ? store.messages().after(conversation, middle.cursor(), newerCount)
                : new Page(List.of(), Optional.of(middle.cursor()));
        List<ChatMessage> messages = new ArrayList<>();
        before.messages().reversed().forEach(m -> messages.add(StoreTypes.chatMessage(m, peer)));
        messages.add(StoreTypes.chatMessage(middle, peer));
        after.messages().forEach(m -> messages.add(StoreTypes.chatMessage(m, peer)));
        return new HistoryPage(messages, before.next().map(StoreTypes::cursor), after.next().map(StoreTypes::cursor));
    }

    private List<ConversationOverview> overviews() {
        Map<String, Known> byConversation = new HashMap<>();
        for (ContactState state : List.of(ContactState.ACCEPTED, ContactState.REQUEST)) {
            contacts.list(state).forEach(known -> byConversation.put(contacts.conversationId(known.peer()), known));
        }
        List<ConversationOverview> overviews = new ArrayList<>();
        for (ConversationSummary summary : store.conversations().list()) {
            Known known = byConversation.get(summary.conversation().id());
            if (known != null) {
                overviews.add(new ConversationOverview(connections.describe(known),
                        summary.lastMessage().map(m -> StoreTypes.chatMessage(m, known.peer())), summary.unread(),
                        summary.lastActivity()));
            }
        }
        overviews.sort(Comparator.comparing(ConversationOverview::lastActivity).reversed());
        return overviews;
    }

    private List<SearchResult> searchConversations(String text, int limit) {
        Map<String, PeerId> byConversation = new HashMap<>();
        for (ContactState state : ContactState.values()) {
            contacts.list(state)
                    .forEach(known -> byConversation.put(contacts.conversationId(known.peer()), known.peer()));
        }
        List<SearchResult> results = new ArrayList<>();
        for (SearchHit hit : store.search().search(text, limit)) {
            PeerId peer = byConversation.get(hit.conversationId());
            if (peer != null && !isNotice(hit)) {
                results.add(new SearchResult(peer, MessageId.parse(hit.messageId()), hit.hlc(),
                        hit.sender().equals(me.toBase58()), StoreTypes.snippet(hit.snippet())));
            }
        }
        return results;
    }

    /**
     * Whether a hit is a notice line ("Secure session renewed"), whose stored body is what happened, not words anyone
     * wrote: a search for "session" should not find it by its encoding.
     */
    private boolean isNotice(SearchHit hit) {
        return store.messages().get(new MessageKey(hit.conversationId(), hit.sender(), hit.messageId()))
                .map(message -> message.kind() == MessageKind.NOTICE).orElse(false);
    }

    private String conversation(PeerId peer) throws EngineException {
        if (contacts.get(peer).filter(known -> known.card() != null).isEmpty()) {
            throw new EngineException(peer + " is not a contact; there is no conversation with them");
        }
        return contacts.conversationId(peer);
    }

    /** @param newerExist whether the conversation goes on after this page */
    private HistoryPage page(PeerId peer, Page page, boolean newerExist) {
        Map<MessageKey, MessageDetails> details = actions.details(new ConversationRef.Direct(peer), page.messages());
        List<ChatMessage> messages = page.messages().stream().map(m -> StoreTypes.chatMessage(m, peer,
                details.getOrDefault(m.key(), MessageDetails.NONE))).toList().reversed();
        Optional<HistoryCursor> newer = messages.isEmpty() || !newerExist ? Optional.empty()
                : Optional.of(cursor(messages.getLast()));
        return new HistoryPage(messages, page.next().map(StoreTypes::cursor), newer);
    }

    private static String reading(PeerId peer) {
        return "reading the history with " + peer;
    }
}
