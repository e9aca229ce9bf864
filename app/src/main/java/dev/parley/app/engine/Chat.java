package dev.parley.app.engine;

import dev.parley.app.engine.ContactBook.Known;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.EngineException.Problem;
import dev.parley.app.engine.api.StorageFailedException;
import dev.parley.app.engine.api.WhereHeld;
import dev.parley.app.engine.mailbox.MailboxCourier;
import dev.parley.app.engine.threads.EngineThreads;
import dev.parley.app.engine.time.MonotonicClock;
import dev.parley.crypto.MessageId;
import dev.parley.store.ContactState;
import dev.parley.store.Direction;
import dev.parley.store.MessageKey;
import dev.parley.store.MessageState;
import dev.parley.store.OutboxEntry;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.store.StoreLimits;
import dev.parley.store.StoredMessage;
import dev.parley.store.WaitingEntry;
import dev.parley.transport.Host;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * 1:1 chat with the contacts ({@code engine.chat()}): sending, typing notices, read receipts. What happens to a
 * message after it is sent is reported to subscribers: {@link dev.parley.app.engine.api.EngineEvent.Delivered},
 * {@link dev.parley.app.engine.api.EngineEvent.Read}.
 *
 * <p>Delivery: a sent message and its sealed envelope are committed before {@link #send} returns, then written to
 * the peer as soon as it is connected; queued envelopes go out on every new connection, and while something
 * waits for a peer that is not connected the engine dials it, backing off up to 30 s. The peer acknowledges an
 * envelope only once it is durably stored, so nothing is lost across restarts of either side, and ids make the
 * display exactly-once.
 */
public final class Chat {
    /** Typing notices to one peer: at most one in this period. */
    public static final Duration TYPING_INTERVAL = Duration.ofSeconds(3);

    /** The most queued envelopes per contact {@link #undelivered} looks through: a page of the store's. */
    private static final int UNDELIVERED_SCAN = StoreLimits.MAX_PAGE_SIZE;

    /** Messages to one contact that wait in the outbox, not yet acknowledged. */
    public record Undelivered(PeerId peer, String name, int messages) {
    }

    private final PeerId me;
    private final Host host;
    private final SqliteStore store;
    private final ContactBook contacts;
    private final Outgoing outgoing;
    private final EngineThreads threads;
    /** What the typing notices' interval is measured by. */
    private final MonotonicClock elapsed;
    private final Map<PeerId, Long> lastTyping = new ConcurrentHashMap<>();

    Chat(PeerId me, Host host, SqliteStore store, ContactBook contacts, Outgoing outgoing, EngineThreads threads,
         MonotonicClock elapsed) {
        this.me = me;
        this.host = host;
        this.store = store;
        this.contacts = contacts;
        this.outgoing = outgoing;
        this.threads = threads;
        this.elapsed = elapsed;
    }

    /**
     * Sends a message and returns once it is durably queued; see {@link #sendAsync}. Sealed on the calling thread,
     * which waits anyway.
     */
    public MessageId send(PeerId peer, String text) throws EngineException {
        try {
            return queue(peer, text, true).join();
        } catch (CompletionException e) {
            throw new EngineException("the message to " + peer + " could not be queued: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /**
     * Seals a message on the crypto pool and queues it durably; the future completes with its id once the message
     * and its envelope are committed. Its time and order are fixed when this is called. When the message cannot be
     * sealed or stored, the future fails with an {@link EngineException} (a {@link StorageFailedException} when
     * the store failed).
     *
     * @throws EngineException when the peer is not an accepted contact or the text is empty or too long
     */
    public CompletableFuture<MessageId> sendAsync(PeerId peer, String text) throws EngineException {
        return queue(peer, text, false);
    }

    private CompletableFuture<MessageId> queue(PeerId peer, String text, boolean sealHere) throws EngineException {
        Known contact = acceptedContact(peer, "send to");
        if (text.isBlank()) {
            throw new EngineException(Problem.MESSAGE_EMPTY, "the message to " + contact.name() + " is empty");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > StoreLimits.MAX_BODY_BYTES) {
            throw new EngineException(Problem.MESSAGE_TOO_LONG, "the message to " + contact.name() + " is " + bytes
                    + " bytes long; the limit is " + StoreLimits.MAX_BODY_BYTES, bytes, StoreLimits.MAX_BODY_BYTES);
        }
        threads.checkOpen();
        CompletableFuture<MessageId> queued = sealHere ? outgoing.textSealedHere(contact, text)
                : outgoing.text(contact, text);
        return queued.exceptionally(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            throw new CompletionException(cause instanceof StoreException
                    ? new StorageFailedException(cause.getMessage(), cause)
                    : new EngineException(cause.getMessage(), cause));
        });
    }

    /**
     * Tells a connected contact we are typing, at most once per {@link #TYPING_INTERVAL}; returns whether a notice
     * went out. Nothing is sent to a peer that is not connected.
     */
    public boolean typing(PeerId peer) throws EngineException {
        Known contact = acceptedContact(peer, "type to");
        long now = elapsed.nanoTime();
        Long last = lastTyping.get(peer);
        if (host.connection(peer).isEmpty() || last != null && now - last < TYPING_INTERVAL.toNanos()) {
            return false;
        }
        lastTyping.put(peer, now);
        outgoing.typing(contact);
        return true;
    }

    /**
     * Marks every message of the conversation with {@code peer} read, and sends the peer a read receipt for those
     * that were unread (only to an accepted contact). Returns how many were unread.
     */
    public int markRead(PeerId peer) throws EngineException {
        Known contact = contacts.get(peer).orElseThrow(() -> new EngineException(peer + " is not a contact"));
        return StoreTypes.guarded("marking the messages of " + contact.name() + " read", () -> markRead(contact));
    }

    private int markRead(Known contact) {
        PeerId peer = contact.peer();
        String conversation = contacts.conversationId(peer);
        List<StoredMessage> newest = store.messages().newest(conversation, 1).messages();
        if (newest.isEmpty()) {
            return 0;
        }
        List<MessageKey> read = store.messages().markRead(conversation, newest.getFirst().cursor());
        if (!read.isEmpty() && contact.state() == ContactState.ACCEPTED) {
            // A receipt tells the peer of its own messages only (history imported from elsewhere may hold others).
            outgoing.readReceipt(contact, read.stream().filter(message -> message.sender().equals(peer.toBase58()))
                    .map(MessageKey::id).toList());
        }
        return read.size();
    }

    /**
     * The contacts that have messages of ours not yet delivered (stored by them) and held nowhere else, with how many;
     * receipts that wait are not counted, nor messages left in the contact's mailbox or with a carrier (SENT: they
     * reach the contact without us). What is listed goes out when we and the contact are next online together, so
     * quitting now holds it back until Parley runs again.
     */
    public List<Undelivered> undelivered() throws EngineException {
        return StoreTypes.guarded("looking for undelivered messages", () -> {
            List<Undelivered> waiting = new ArrayList<>();
            for (String recipient : store.outbox().recipients()) {
                Optional<Known> contact = contacts.get(PeerId.parse(recipient))
                        .filter(known -> known.state() == ContactState.ACCEPTED);
                if (contact.isEmpty()) {
                    continue;
                }
                String conversation = contacts.conversationId(contact.get().peer());
                // Sealed or waiting for a session: either way not delivered.
                Stream<String> entries = Stream.concat(store.outbox().pending(recipient, UNDELIVERED_SCAN).stream()
                        .map(OutboxEntry::messageId), store.outbox().waiting(recipient).stream()
                        .map(WaitingEntry::messageId));
                int messages = (int) entries
                        .map(id -> store.messages().get(new MessageKey(conversation, me.toBase58(), id)))
                        .flatMap(Optional::stream)
                        .filter(message -> message.direction() == Direction.OUTGOING
                                && message.state() == MessageState.SENDING)
                        .count();
                if (messages > 0) {
                    waiting.add(new Undelivered(contact.get().peer(), contact.get().name(), messages));
                }
            }
            return waiting;
        });
    }

    /**
     * Where our message {@code id} to {@code contact} waits besides our outbox: in the contact's mailbox, with contacts
     * who carry it, or nowhere else (also once it was delivered, when the outbox no longer holds it). Reads the outbox
     * only; delivery is the courier's.
     */
    public WhereHeld whereHeld(PeerId contact, MessageId id) throws EngineException {
        return StoreTypes.guarded("looking up where a message is held",
                () -> MailboxCourier.whereHeld(store.outbox().heldBy(id.toString(), contact.toBase58())));
    }

    /**
     * A request was just accepted: the messages of it the user has read already (shown while it was a request, when
     * no receipt may go to a stranger) get their read receipt now. Those still unread get theirs from
     * {@link #markRead}, like any contact's. A request holds at most {@link RequestQuota#MAX_MESSAGES} messages, so
     * the newest that many are all it can be.
     */
    void readBeforeAccepting(Known accepted) {
        String peer = accepted.peer().toBase58();
        List<String> read = store.messages().newest(contacts.conversationId(accepted.peer()), RequestQuota.MAX_MESSAGES)
                .messages().stream()
                .filter(message -> message.direction() == Direction.INCOMING && message.sender().equals(peer)
                        && message.state() == MessageState.READ)
                .map(StoredMessage::id).toList();
        if (!read.isEmpty()) {
            outgoing.readReceipt(accepted, read);
        }
    }

    private Known acceptedContact(PeerId peer, String action) throws EngineException {
        Known known = contacts.get(peer).orElseThrow(() -> new EngineException("cannot " + action + " " + peer
                + ": not a contact; add them with their invite code first"));
        return switch (known.state()) {
            case ACCEPTED -> known;
            case REQUEST -> throw new EngineException(Problem.CONTACT_IS_A_REQUEST, "cannot " + action + " "
                    + known.name() + ": they wrote to you first; accept the request before replying", known.name());
            case BLOCKED -> throw new EngineException(Problem.CONTACT_BLOCKED, "cannot " + action + " " + known.name()
                    + ": they are blocked; accept them to unblock", known.name());
        };
    }
}
