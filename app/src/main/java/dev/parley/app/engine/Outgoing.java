package dev.parley.app.engine;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.ContactBook.Known;
import dev.parley.app.engine.PeerLink.Queued;
import dev.parley.app.engine.session.Sessions;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.engine.wire.ChatProtos.ReadReceipt;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.Direction;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoredMessage;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Makes the envelopes we send: seals them on the crypto pool (under the {@link Sessions session} with the peer when
 * its card lists sessions, else signed), commits message and outbox entry, and hands them to the peer's
 * {@link PeerLink}. A message is durable, and will be delivered, once its future completes.
 */
final class Outgoing {
    private final Identity me;
    /** Our PeerId as the store names senders, spelled once (base58 costs a division per digit). */
    private final String myName;
    private final TinkEnvelopeSealer sealer;
    private final Sessions sessions;
    private final SqliteStore store;
    private final ContactBook contacts;
    private final HybridClock clock;
    private final Executor crypto;
    private final Function<PeerId, PeerLink> links;
    /** When a message was sent, and the time its id is ordered by. */
    private final InstantSource wall;

    Outgoing(Identity me, TinkEnvelopeSealer sealer, Sessions sessions, SqliteStore store, ContactBook contacts, HybridClock clock,
             Executor crypto, Function<PeerId, PeerLink> links, InstantSource wall) {
        this.me = me;
        this.myName = me.peerId().toBase58();
        this.sealer = sealer;
        this.sessions = sessions;
        this.store = store;
        this.contacts = contacts;
        this.clock = clock;
        this.crypto = crypto;
        this.links = links;
        this.wall = wall;
    }

    /**
     * Sends a text message: SENDING until the peer acks it. The message's time and id are taken now, so that
     * messages sent one after another keep their order however their sealing overlaps.
     */
    CompletableFuture<MessageId> text(Known contact, String body) {
        return text(contact, Text.newBuilder().setBody(body).build());
    }

    /**
     * Like {@link #text(Known, String)}, sealed on the calling thread, for a caller that waits for the message to be
     * durable anyway: a hop to the crypto pool and back would cost it more than the sealing.
     */
    CompletableFuture<MessageId> textSealedHere(Known contact, String body) {
        return text(contact, Text.newBuilder().setBody(body).build(), Runnable::run, id -> { });
    }

    /** Like {@link #text(Known, String)}, with what the payload says besides the text (a reply, a forward). */
    CompletableFuture<MessageId> text(Known contact, Text payload) {
        return text(contact, payload, crypto, id -> { });
    }

    /**
     * Like {@link #text(Known, Text)}, running {@code beforeStoring} with the message's id on the calling thread
     * before the message is stored: what must be kept with the message (the file it offers) is kept first.
     */
    CompletableFuture<MessageId> text(Known contact, Text payload, Consumer<MessageId> beforeStoring) {
        return text(contact, payload, crypto, beforeStoring);
    }

    private CompletableFuture<MessageId> text(Known contact, Text payload, Executor sealer,
                                              Consumer<MessageId> beforeStoring) {
        String body = payload.getBody();
        PeerId peer = contact.peer();
        long hlc = clock.now();
        Instant now = wall.instant();
        MessageId id = MessageId.timeOrdered(now.toEpochMilli());
        beforeStoring.accept(id);
        StoredMessage message = new StoredMessage(id.toString(), contacts.conversationId(peer), myName,
                hlc, now, now, Direction.OUTGOING, MessageKind.TEXT, body, MessageState.SENDING);
        return CompletableFuture.supplyAsync(() -> sealAndStore(contact.card(), id, hlc, EnvelopeKind.TEXT,
                        payload.toByteArray(), handingOver(peer, id, EnvelopeKind.TEXT, (envelope, recipe) -> store
                                .messages().insertAndQueueAsync(message, List.of(peer.toBase58()), envelope, recipe))),
                        sealer)
                .thenCompose(stored -> stored)
                .thenApply(envelope -> id);
    }

    /** Tells the peer we have seen these of its messages; kept in the outbox and retried like a message. */
    void readReceipt(Known contact, List<String> messageIds) {
        for (int from = 0; from < messageIds.size(); from += ChatFrames.MAX_ACK_IDS) {
            ReadReceipt.Builder receipt = ReadReceipt.newBuilder();
            messageIds.subList(from, Math.min(messageIds.size(), from + ChatFrames.MAX_ACK_IDS))
                    .forEach(id -> receipt.addMessageIds(ByteString.copyFrom(MessageId.parse(id).bytes())));
            queue(contact.card(), EnvelopeKind.READ, receipt.build().toByteArray());
        }
    }

    /**
     * Seals a 1:1 envelope to the owner of {@code card}, who need not be a contact (a fellow room member), keeps it
     * in the outbox and hands it to the link: delivered at least once, like a message.
     */
    void queue(ContactCard card, EnvelopeKind kind, byte[] payload) {
        queueToEach(List.of(card), kind, payload);
    }

    /**
     * Like {@link #queue}, to each of {@code cards}, e.g. a room's new sender key to every member: the envelopes
     * are sealed on the crypto pool side by side and their outbox entries share commits. Returns once all are
     * durable.
     */
    void queueToEach(List<ContactCard> cards, EnvelopeKind kind, byte[] payload) {
        Instant now = wall.instant();
        List<CompletableFuture<Optional<byte[]>>> stored = new ArrayList<>();
        for (ContactCard card : cards) {
            MessageId id = MessageId.timeOrdered(now.toEpochMilli());
            stored.add(CompletableFuture.supplyAsync(() -> sealAndStore(card, id, clock.now(), kind, payload,
                    handingOver(card.peerId(), id, kind, (envelope, recipe) -> store.outbox().addAsync(id.toString(),
                            card.peerId().toBase58(), envelope, recipe, now))), crypto).thenCompose(entry -> entry));
        }
        stored.forEach(CompletableFuture::join);
    }

    /** A typing notice, written only if the peer is connected; never stored or retried. */
    CompletableFuture<Void> typing(Known contact) {
        return CompletableFuture.supplyAsync(() ->
                        seal(contact.card(), MessageId.timeOrdered(wall.millis()), clock.now(),
                                EnvelopeKind.TYPING, new byte[0]), crypto)
                .thenAccept(envelope -> links.apply(contact.peer()).ephemeral(envelope));
    }

    /**
     * Writes an outbox entry with {@code write} and hands its envelope, if it has one, to the peer's link at once: under
     * a session this runs under the peer's lock, so the link gets the envelopes in the order they were sealed, and
     * writes each once its entry is durable, not before.
     */
    private Sessions.EntryWrite handingOver(PeerId peer, MessageId id, EnvelopeKind kind, Sessions.EntryWrite write) {
        return (envelope, recipe) -> {
            CompletableFuture<?> durable = write.write(envelope, recipe);
            if (envelope != null) {
                links.apply(peer).queued(new Queued(id, kind, envelope), durable.thenApply(written -> true));
            }
            return durable;
        };
    }

    /**
     * Seals an envelope to the owner of {@code card}, under the session with it when its card lists sessions, else
     * signed, and writes its outbox entry with {@code entry}. Completes once the entry is durable, with the envelope
     * that was handed to the link; empty while it waits for a session, which hands it over once sealed.
     */
    private CompletableFuture<Optional<byte[]>> sealAndStore(ContactCard card, MessageId id, long hlc,
                                                             EnvelopeKind kind, byte[] payload,
                                                             Sessions.EntryWrite entry) {
        if (sessions.sealsTo(card)) {
            return sessions.sealAndQueue(card, id, hlc, kind, payload, entry);
        }
        byte[] envelope = seal(card, id, hlc, kind, payload);
        return entry.write(envelope, null).thenApply(written -> Optional.of(envelope));
    }

    /** A signed envelope, as every one was before sessions: to a peer whose card does not list them, or typing. */
    private byte[] seal(ContactCard card, MessageId id, long hlc, EnvelopeKind kind, byte[] payload) {
        HeaderFields fields = new HeaderFields(id, ConversationId.direct(me.peerId(), card.peerId()), hlc, kind);
        try {
            return sealer.sealDirect(me, card, fields, payload).encode();
        } catch (EnvelopeException e) {
            throw new CompletionException(e);
        }
    }
}
