package dev.parley.app.engine;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.ContactBook.Known;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.files.FileTransfers;
import dev.parley.app.engine.mailbox.MailboxOwner;
import dev.parley.app.engine.room.RoomService;
import dev.parley.app.engine.session.Sessions;
import dev.parley.app.engine.wire.ChatProtos.DeliveredReceipt;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeHeader;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MailboxLetter;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.Recipient;
import dev.parley.crypto.RoomId;
import dev.parley.store.ContactState;
import dev.parley.store.MailboxEnvelope;
import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What our mailbox held for us, taken as if its senders had sent it directly (app/README.md, "Mailboxes in the
 * engine"): each letter is opened, the envelope in it checked and handed to the {@link Inbox} in the order the
 * mailbox kept them (a sender's order), and committed; then each sender is sent a DELIVERED receipt for what it
 * deposited, since no stream carries an ack back to a sender that is away. A letter that does not open, or carries a
 * 1:1 envelope from anyone but an accepted contact, is dropped: nobody else was given a capability. A room envelope goes
 * to the rooms, which take it as a push from its sender (a member's, signed, under a key of the room) or drop it. A
 * sender whose session then misses messages before some that came (a mailbox lost or withheld them) is reported
 * ({@link EngineEvent.MessagesMissing}). A letter that is no envelope but a small file's piece goes to the files once
 * the batch's envelopes are committed, so that the offer it belongs to is there ({@link FileTransfers#fromMailbox}).
 */
final class MailboxArrivals implements MailboxOwner.Arrivals {
    private static final Logger log = LoggerFactory.getLogger(MailboxArrivals.class);

    private final Identity me;
    private final Inbox inbox;
    private final ContactBook contacts;
    private final Outgoing outgoing;
    private final RoomService rooms;
    private final Sessions sessions;
    private final FileTransfers files;
    private final Consumer<EngineEvent> events;
    private final InstantSource wall;
    /**
     * How long a room envelope ahead of its room here is left in the mailbox, for the events that let it in to come:
     * a day (by its deposit hour; a carrier's hand-over counts as deposited now, and the carrier keeps it meanwhile).
     */
    static final Duration AHEAD_KEPT = Duration.ofDays(1);

    MailboxArrivals(Identity me, Inbox inbox, ContactBook contacts, Outgoing outgoing, RoomService rooms,
                    Sessions sessions, FileTransfers files, Consumer<EngineEvent> events, InstantSource wall) {
        this.me = me;
        this.files = files;
        this.wall = wall;
        this.sessions = sessions;
        this.events = events;
        this.rooms = rooms;
        this.inbox = inbox;
        this.contacts = contacts;
        this.outgoing = outgoing;
    }

    /** A room envelope out of its letter, taken again after the batch. */
    private record Taken(long seq, PeerId sender, byte[] envelope, Instant deposited) {
    }

    /** An envelope out of its letter, on its way through the inbox. */
    private record Taking(long seq, PeerId sender, EnvelopeKind kind, CompletableFuture<Inbox.Accepted> accepted) {
    }

    /**
     * One batch at a time, from the mailbox or any carrier: two carriers handing over the same letters at once would
     * otherwise report them out of order (review22d).
     */
    @Override
    public synchronized List<Long> take(List<MailboxEnvelope> batch) {
        List<Long> done = new ArrayList<>();
        List<Taking> taking = new ArrayList<>();
        // Room envelopes that showed we are behind: the events that let them in may follow in this batch.
        List<Taken> ahead = new ArrayList<>();
        // Pieces of small files, taken once the offers of this batch are committed.
        List<byte[]> fileParts = new ArrayList<>();
        for (MailboxEnvelope held : batch) {
            try {
                byte[] envelope;
                try {
                    envelope = MailboxLetter.open(me, held.envelope());
                } catch (EnvelopeException notAnEnvelope) {
                    fileParts.add(filePart(held).orElseThrow(() -> notAnEnvelope));
                    done.add(held.seq());
                    continue;
                }
                EnvelopeHeader header = Envelope.decode(envelope).header();
                if (header.recipient() instanceof Recipient.Room(RoomId room)) {
                    // Checked by the room as any push is: a member's, signed, under a key of the room. One ahead of
                    // the room here is worth waiting for only from a member (review22f: anyone with a capability can
                    // sign one for an epoch no room will reach); a member added since gets it to us by room sync.
                    if (rooms.fromMailbox(header.sender(), envelope) && rooms.isMember(room, header.sender())) {
                        ahead.add(new Taken(held.seq(), header.sender(), envelope, held.depositedHour()));
                    } else {
                        done.add(held.seq());
                    }
                    continue;
                }
                if (!isAcceptedContact(header.sender())) {
                    log.info("dropped an envelope from {} that our mailbox held: not an accepted contact",
                            header.sender());
                    done.add(held.seq());
                    continue;
                }
                Inbox.Checked checked;
                try {
                    checked = inbox.check(envelope, header.sender(), Runnable::run).join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
                // Handed over one after another, so a sender's envelopes open and commit in its order.
                taking.add(new Taking(held.seq(), header.sender(), header.kind(), inbox.accept(checked, null)));
            } catch (Exception e) {
                if (neverTaken(e)) {
                    log.info("dropped envelope {} that our mailbox held: {}", held.seq(), e.getMessage());
                    done.add(held.seq());
                } else {
                    log.info("envelope {} that our mailbox held is left there for the next fetch: {}", held.seq(),
                            e.toString());
                }
            }
        }
        Map<PeerId, List<MessageId>> receipts = new LinkedHashMap<>();
        Set<PeerId> senders = new LinkedHashSet<>();
        for (Taking next : taking) {
            try {
                Inbox.Accepted accepted = next.accepted().join();
                inbox.report(accepted);
                done.add(next.seq());
                senders.add(next.sender());
                // A receipt is not itself acknowledged by one: two mailboxes would pass receipts back and forth.
                if (next.kind() != EnvelopeKind.DELIVERED) {
                    accepted.ack().ifPresent(id -> receipts.computeIfAbsent(next.sender(), peer -> new ArrayList<>())
                            .add(id));
                }
            } catch (RuntimeException e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (neverTaken(cause)) {
                    log.info("an envelope from {} that our mailbox held was dropped: {}", next.sender(),
                            cause.getMessage());
                    done.add(next.seq());
                } else {
                    log.info("an envelope from {} that our mailbox held was not taken; left there: {}", next.sender(),
                            cause.toString());
                }
            }
        }
        for (byte[] part : fileParts) {
            try {
                files.fromMailbox(part, this::isAcceptedContact);
            } catch (RuntimeException e) {
                // Anyone with a capability writes pieces: a piece that trips us is dropped, and the batch still goes.
                log.warn("a file piece our mailbox held was dropped: {}", e.toString());
            }
        }
        for (Taken again : ahead) {
            boolean stillAhead = rooms.fromMailbox(again.sender(), again.envelope());
            if (stillAhead && again.deposited().isAfter(wall.instant().minus(AHEAD_KEPT))) {
                // Of an epoch the room here has not reached (review22e): deleted, it would be lost for good; left in
                // the mailbox, it comes again with the next fetch. Not for long: anyone with a capability can sign
                // one for an epoch no room will reach (review22f).
                log.info("a room envelope from {} that our mailbox held is ahead of the room here; left there",
                        again.sender());
            } else {
                done.add(again.seq());
            }
        }
        receipts.forEach(this::sendReceipts);
        // Every sender's, receipts' too: a mailbox that withholds a text and serves what followed it must not go unseen.
        for (PeerId sender : senders) {
            int missing = sessions.missing(sender);
            if (missing > 0) {
                events.accept(new EngineEvent.MessagesMissing(sender, missing));
            }
        }
        return done;
    }

    private boolean isAcceptedContact(PeerId peer) {
        return contacts.get(peer).filter(known -> known.state() == ContactState.ACCEPTED && known.card() != null)
                .isPresent();
    }

    /**
     * The piece of a small file in {@code held}, if it is a letter of that kind (app/README.md, "Files"); tried only
     * for a letter that does not open as an envelope, so an envelope costs nothing more.
     */
    private Optional<byte[]> filePart(MailboxEnvelope held) {
        try {
            return Optional.of(MailboxLetter.openFilePart(me, held.envelope()));
        } catch (EnvelopeException notAFilePart) {
            return Optional.empty();
        }
    }

    /**
     * Whether what an envelope failed with would fail it every time (it does not open, breaks the protocol), so that
     * the mailbox may delete it; a store that failed or a pace cut short by closing leaves it there for the next
     * fetch (review22c: deleting what was not committed loses it).
     */
    private static boolean neverTaken(Throwable failure) {
        return failure instanceof EnvelopeException || failure instanceof ChatProtocolException;
    }

    private void sendReceipts(PeerId sender, List<MessageId> ids) {
        Optional<ContactCard> card = contacts.get(sender).map(Known::card);
        if (card.isEmpty()) {
            return;
        }
        for (int from = 0; from < ids.size(); from += ChatFrames.MAX_ACK_IDS) {
            DeliveredReceipt.Builder receipt = DeliveredReceipt.newBuilder();
            ids.subList(from, Math.min(ids.size(), from + ChatFrames.MAX_ACK_IDS))
                    .forEach(id -> receipt.addMessageIds(ByteString.copyFrom(id.bytes())));
            outgoing.queue(card.get(), EnvelopeKind.DELIVERED, receipt.build().toByteArray());
        }
    }
}
