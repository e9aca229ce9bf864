package dev.parley.app.engine;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.ContactBook.Known;
import dev.parley.app.engine.PeerLink.Queued;
import dev.parley.app.engine.wire.ChatProtos.ReadReceipt;
import dev.parley.app.engine.wire.ChatProtos.Text;
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
import dev.parley.store.OutboxEntry;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoredMessage;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Makes the envelopes we send: seals them on the crypto pool, commits message and outbox entry, and hands them
 * to the peer's {@link PeerLink}. A message is durable, and will be delivered, once its future completes.
 */
final class Outgoing {
    /** How far back {@link #requeueUnsent} looks in each conversation. */
    static final int REQUEUE_WINDOW = 200;

    private final Identity me;
    private final TinkEnvelopeSealer sealer;
    private final SqliteStore store;
    private final ContactBook contacts;
    private final HybridClock clock;
    private final Executor crypto;
    private final Executor virtualThreads;
    private final Function<PeerId, PeerLink> links;

    Outgoing(Identity me, TinkEnvelopeSealer sealer, SqliteStore store, ContactBook contacts, HybridClock clock,
             Executor crypto, Executor virtualThreads, Function<PeerId, PeerLink> links) {
        this.me = me;
        this.sealer = sealer;
        this.store = store;
        this.contacts = contacts;
        this.clock = clock;
        this.crypto = crypto;
        this.virtualThreads = virtualThreads;
        this.links = links;
    }

    /**
     * Sends a text message: SENDING until the peer acks it. The message's time and id are taken now, so that
     * messages sent one after another keep their order however their sealing overlaps.
     */
    CompletableFuture<MessageId> text(Known contact, String body) {
        PeerId peer = contact.peer();
        long hlc = clock.now();
        Instant now = Instant.now();
        MessageId id = MessageId.timeOrdered(now.toEpochMilli());
        StoredMessage message = new StoredMessage(id.toString(), contacts.conversationId(peer), me.peerId().toBase58(),
                hlc, now, now, Direction.OUTGOING, MessageKind.TEXT, body, MessageState.SENDING);
        return CompletableFuture.supplyAsync(() -> seal(contact, id, hlc, EnvelopeKind.TEXT, textPayload(body)), crypto)
                .thenApplyAsync(envelope -> {
                    // The insert is queued first, so it commits with the outbox entry or before it (one store writer).
                    CompletableFuture<InsertOutcome> inserted = store.messages().insertAsync(message);
                    store.outbox().add(id.toString(), peer.toBase58(), envelope, now);
                    inserted.join();
                    links.apply(peer).queued(new Queued(id, EnvelopeKind.TEXT, envelope));
                    return id;
                }, virtualThreads);
    }

    /** Tells the peer we have seen these of its messages; kept in the outbox and retried like a message. */
    void readReceipt(Known contact, List<String> messageIds) {
        for (int from = 0; from < messageIds.size(); from += ChatFrames.MAX_ACK_IDS) {
            ReadReceipt.Builder receipt = ReadReceipt.newBuilder();
            messageIds.subList(from, Math.min(messageIds.size(), from + ChatFrames.MAX_ACK_IDS))
                    .forEach(id -> receipt.addMessageIds(ByteString.copyFrom(MessageId.parse(id).bytes())));
            Instant now = Instant.now();
            MessageId id = MessageId.timeOrdered(now.toEpochMilli());
            byte[] envelope = seal(contact, id, clock.now(), EnvelopeKind.READ, receipt.build().toByteArray());
            store.outbox().add(id.toString(), contact.peer().toBase58(), envelope, now);
            links.apply(contact.peer()).queued(new Queued(id, EnvelopeKind.READ, envelope));
        }
    }

    /** A typing notice, written only if the peer is connected; never stored or retried. */
    CompletableFuture<Void> typing(Known contact) {
        return CompletableFuture.supplyAsync(() ->
                        seal(contact, MessageId.timeOrdered(System.currentTimeMillis()), clock.now(),
                                EnvelopeKind.TYPING, new byte[0]), crypto)
                .thenAccept(envelope -> links.apply(contact.peer()).ephemeral(envelope));
    }

    /**
     * Queues again the recent messages to {@code contact} that are SENDING but have no outbox entry: sending
     * commits the message and its entry one after the other (the store has no write spanning both), so a crash
     * between the two, or between the two writes of an ack, leaves such a message. It is sealed again under its
     * id, which the peer deduplicates by. Returns how many were queued.
     */
    int requeueUnsent(Known contact) {
        String recipient = contact.peer().toBase58();
        List<StoredMessage> unsent = new ArrayList<>(store.messages().newest(contacts.conversationId(contact.peer()),
                REQUEUE_WINDOW).messages().stream()
                .filter(m -> m.direction() == Direction.OUTGOING && m.state() == MessageState.SENDING)
                .toList()).reversed();
        if (unsent.isEmpty()) {
            return 0;
        }
        Set<String> queued = store.outbox().pending(recipient, PeerLink.FLUSH_PAGE).stream()
                .map(OutboxEntry::messageId).collect(Collectors.toSet());
        int requeued = 0;
        for (StoredMessage message : unsent) {
            if (queued.contains(message.id())) {
                continue;
            }
            byte[] envelope = seal(contact, MessageId.parse(message.id()), message.hlc(), EnvelopeKind.TEXT,
                    textPayload(message.body()));
            if (store.outbox().add(message.id(), recipient, envelope, Instant.now()) == InsertOutcome.INSERTED) {
                requeued++;
            }
        }
        return requeued;
    }

    private static byte[] textPayload(String body) {
        return Text.newBuilder().setBody(body).build().toByteArray();
    }

    private byte[] seal(Known contact, MessageId id, long hlc, EnvelopeKind kind, byte[] payload) {
        HeaderFields fields = new HeaderFields(id, ConversationId.direct(me.peerId(), contact.peer()), hlc, kind);
        try {
            return sealer.sealDirect(me, contact.card(), fields, payload).encode();
        } catch (EnvelopeException e) {
            throw new CompletionException(e);
        }
    }
}
