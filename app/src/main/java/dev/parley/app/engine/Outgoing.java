package dev.parley.app.engine;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.ContactBook.Known;
import dev.parley.app.engine.PeerLink.Queued;
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
import dev.parley.store.InsertOutcome;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoredMessage;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Makes the envelopes we send: seals them on the crypto pool, commits message and outbox entry, and hands them
 * to the peer's {@link PeerLink}. A message is durable, and will be delivered, once its future completes.
 */
final class Outgoing {
    private final Identity me;
    private final TinkEnvelopeSealer sealer;
    private final SqliteStore store;
    private final ContactBook contacts;
    private final HybridClock clock;
    private final Executor crypto;
    private final Executor tasks;
    private final Function<PeerId, PeerLink> links;
    /** When a message was sent, and the time its id is ordered by. */
    private final InstantSource wall;

    Outgoing(Identity me, TinkEnvelopeSealer sealer, SqliteStore store, ContactBook contacts, HybridClock clock,
             Executor crypto, Executor tasks, Function<PeerId, PeerLink> links, InstantSource wall) {
        this.me = me;
        this.sealer = sealer;
        this.store = store;
        this.contacts = contacts;
        this.clock = clock;
        this.crypto = crypto;
        this.tasks = tasks;
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

    /** Like {@link #text(Known, String)}, with what the payload says besides the text (a reply, a forward). */
    CompletableFuture<MessageId> text(Known contact, Text payload) {
        String body = payload.getBody();
        PeerId peer = contact.peer();
        long hlc = clock.now();
        Instant now = wall.instant();
        MessageId id = MessageId.timeOrdered(now.toEpochMilli());
        StoredMessage message = new StoredMessage(id.toString(), contacts.conversationId(peer), me.peerId().toBase58(),
                hlc, now, now, Direction.OUTGOING, MessageKind.TEXT, body, MessageState.SENDING);
        return CompletableFuture.supplyAsync(() -> seal(contact.card(), id, hlc, EnvelopeKind.TEXT,
                        payload.toByteArray()), crypto)
                .thenCompose(envelope -> store.messages()
                        .insertAndQueueAsync(message, List.of(peer.toBase58()), envelope)
                        .thenApplyAsync(stored -> {
                            links.apply(peer).queued(new Queued(id, EnvelopeKind.TEXT, envelope));
                            return id;
                        }, tasks));
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
        List<CompletableFuture<Queued>> queued = cards.stream().map(card -> CompletableFuture.supplyAsync(() -> {
            MessageId id = MessageId.timeOrdered(now.toEpochMilli());
            return new Queued(id, kind, seal(card, id, clock.now(), kind, payload));
        }, crypto)).toList();
        List<CompletableFuture<InsertOutcome>> stored = new ArrayList<>();
        for (int i = 0; i < cards.size(); i++) {
            Queued entry = queued.get(i).join();
            stored.add(store.outbox().addAsync(entry.id().toString(), cards.get(i).peerId().toBase58(),
                    entry.envelope(), now));
        }
        for (int i = 0; i < cards.size(); i++) {
            stored.get(i).join();
            links.apply(cards.get(i).peerId()).queued(queued.get(i).join());
        }
    }

    /** A typing notice, written only if the peer is connected; never stored or retried. */
    CompletableFuture<Void> typing(Known contact) {
        return CompletableFuture.supplyAsync(() ->
                        seal(contact.card(), MessageId.timeOrdered(wall.millis()), clock.now(),
                                EnvelopeKind.TYPING, new byte[0]), crypto)
                .thenAccept(envelope -> links.apply(contact.peer()).ephemeral(envelope));
    }

    private byte[] seal(ContactCard card, MessageId id, long hlc, EnvelopeKind kind, byte[] payload) {
        HeaderFields fields = new HeaderFields(id, ConversationId.direct(me.peerId(), card.peerId()), hlc, kind);
        try {
            return sealer.sealDirect(me, card, fields, payload).encode();
        } catch (EnvelopeException e) {
            throw new CompletionException(e);
        }
    }
}
