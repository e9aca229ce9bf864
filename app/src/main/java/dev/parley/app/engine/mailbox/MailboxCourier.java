package dev.parley.app.engine.mailbox;

import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.WhereHeld;
import dev.parley.app.engine.threads.Tasks;
import dev.parley.app.mailbox.DepositCapability;
import dev.parley.app.mailbox.InvalidMailboxCodeException;
import dev.parley.app.mailbox.MailboxClient;
import dev.parley.app.mailbox.MailboxFrames;
import dev.parley.app.mailbox.MailboxRefusedException;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.MailboxLetter;
import dev.parley.crypto.MessageId;
import dev.parley.store.OutboxEntry;
import dev.parley.store.SqliteStore;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.RelayTransport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leaves what waits in the outbox for a contact that cannot be reached in the contact's own mailbox, when the contact
 * gave us a capability to it (app/README.md, "Mailboxes in the engine"). Each envelope goes in a {@link MailboxLetter}
 * sealed to the contact's card, deposited from a throwaway identity made for the run, so the mailbox learns neither
 * who sent it nor anything in its header. A deposited entry stays in the outbox, marked as held, until the contact
 * acknowledges it (directly, or by a DELIVERED receipt once it fetched it); its message shows as SENT meanwhile. A
 * message offering a small file is followed by the file's pieces ({@link FileParts}), once.
 *
 * <p>One run per contact at a time, on a thread of its own; a call while one runs makes it look again once done.
 */
public final class MailboxCourier {
    /** Outbox entries read per query. */
    static final int PAGE = 100;
    /** The first word of {@code held_by} for an entry in the recipient's mailbox, its PeerId and capability following. */
    private static final String MAILBOX_HOLDER = "mailbox";
    /** The first word of {@code held_by} for an entry contacts carry, the carriers' PeerIds following. */
    private static final String CARRIER_HOLDER = "carrier";
    /**
     * Bytes of file pieces one capability deposits within {@link #FILE_WINDOW}: half of the 8 MiB a capability
     * deposits by default within a mailbox's retention, so that messages always keep the other half. The same goes
     * for the pieces handed to the contacts who carry for one recipient.
     */
    static final long FILE_BYTES_PER_CAPABILITY = 4L * 1024 * 1024;
    /** How long a mailbox counts a capability's deposits against its quota by default: its retention and a day. */
    static final Duration FILE_WINDOW = Duration.ofDays(15);
    private static final Logger log = LoggerFactory.getLogger(MailboxCourier.class);

    /**
     * The pieces of a small file one of our messages offers, to leave in the recipient's mailbox, or with its carriers,
     * beside the offer.
     */
    public interface FileParts {
        /** Each piece's bytes, none when message {@code id} to {@code recipient} offers no file small enough. */
        List<byte[]> of(PeerId recipient, MessageId id);
    }

    /** Bytes of file pieces deposited, and when. */
    private record FileDeposit(Instant at, long bytes) {
    }

    private final SqliteStore store;
    private final Function<PeerId, Optional<ContactCard>> cards;
    private final Tasks tasks;
    private final Consumer<EngineEvent> events;
    private final InstantSource wall;
    /** For each contact with a run under way: whether it must look again when done. */
    private final Map<PeerId, Boolean> running = new ConcurrentHashMap<>();
    /** Contacts who carry, for a contact with no mailbox (made after the courier: they take what arrives). */
    private volatile Carrying carrying;
    /** The pieces of small files (made after the courier). */
    private volatile FileParts fileParts = (recipient, id) -> List.of();
    /**
     * The file pieces that went each budget's way within {@link #FILE_WINDOW}, oldest first: a capability's (by its
     * holder name) or the carriers' of one recipient ("carrier RECIPIENT"). In memory only, as the mailbox keeps its
     * own counters.
     */
    private final Map<String, Deque<FileDeposit>> fileDeposits = new ConcurrentHashMap<>();

    /**
     * @param cards the card of an accepted contact, whose HPKE key seals the letters and whose features say whether
     *              it takes them
     */
    public MailboxCourier(SqliteStore store, Function<PeerId, Optional<ContactCard>> cards, Tasks tasks,
                          Consumer<EngineEvent> events, InstantSource wall) {
        this.store = store;
        this.cards = cards;
        this.tasks = tasks;
        this.events = events;
        this.wall = wall;
    }

    /** From now on, a small file offered to a contact goes to its mailbox whole, beside its offer. */
    public void leaveFilesWith(FileParts parts) {
        this.fileParts = parts;
    }

    /** From now on, what cannot go to a contact's mailbox goes to contacts who carry. */
    public void carryWith(Carrying carriers) {
        this.carrying = carriers;
    }

    /**
     * {@code peer} could not be reached, or gave us a capability: whatever waits for it and is in no mailbox yet goes
     * to its mailbox, if it has one, or else to contacts who carry.
     */
    public void deliverToMailbox(PeerId peer) {
        if (running.putIfAbsent(peer, false) != null) {
            running.put(peer, true);
            return;
        }
        Thread started = tasks.start("mailbox-courier " + peer, () -> runFor(peer));
        if (started.getState() == Thread.State.NEW) {
            running.remove(peer);
        }
    }

    private void runFor(PeerId peer) {
        try {
            boolean again = true;
            while (again) {
                running.put(peer, false);
                depositWaiting(peer);
                again = running.getOrDefault(peer, false);
            }
        } finally {
            running.remove(peer);
        }
    }

    private void depositWaiting(PeerId peer) {
        // A card that lists mailbox deposits is one whose Parley opens letters, from a mailbox or a carrier.
        Optional<ContactCard> card = cards.apply(peer).filter(c -> c.supports(ContactCard.Feature.MAILBOX_DEPOSITS));
        if (card.isEmpty()) {
            return;
        }
        Optional<DepositCapability> capability = capabilityOf(peer);
        if (capability.isPresent() && depositInMailbox(peer, card.get(), capability.get())) {
            return;
        }
        Carrying carriers = carrying;
        if (carriers != null) {
            carry(peer, card.get(), carriers);
        }
    }

    /** Deposits what waits for {@code peer} in its mailbox; true once nothing is left to deposit. */
    private boolean depositInMailbox(PeerId peer, ContactCard card, DepositCapability capability) {
        String recipient = peer.toBase58();
        String holder = holder(capability);
        // Entries that cannot go (too large for a mailbox) are skipped for this run, not read again and again.
        Set<String> skipped = new HashSet<>();
        // In the mailbox, not yet marked held: marked after each page, and after a failure for what went before it.
        List<String> deposited = new ArrayList<>();
        try (ThrowawayDepositor depositor = new ThrowawayDepositor(capability)) {
            while (true) {
                List<OutboxEntry> page = notInMailbox(recipient, skipped);
                if (page.isEmpty()) {
                    return true;
                }
                for (OutboxEntry entry : page) {
                    byte[] letter = MailboxLetter.seal(card, entry.envelope());
                    if (letter.length > MailboxFrames.MAX_ENVELOPE_BYTES) {
                        skipped.add(entry.messageId());
                        continue;
                    }
                    depositor.deposit(letter);
                    deposited.add(entry.messageId());
                    depositFileParts(peer, card, holder, depositor, MessageId.parse(entry.messageId()));
                }
                markHeld(peer, deposited, holder);
            }
        } catch (MailboxRefusedException e) {
            // A capability revoked, voided by a new key, or for an owner the mailbox no longer holds: the contact
            // gives a new one when it has one; over quota: carriers may take the rest.
            log.info("the mailbox of {} refused a deposit: {}", peer, e.getMessage());
            switch (e.reason()) {
                case REVOKED, BAD_CAPABILITY, UNKNOWN_OWNER -> store.mailboxes().dropHeld(recipient);
                default -> {
                }
            }
        } catch (IOException e) {
            log.debug("the mailbox of {} could not be reached: {}", peer, e.getMessage());
        } catch (EnvelopeException e) {
            log.warn("no letter could be sealed to {}: {}", peer, e.getMessage());
        } finally {
            markHeld(peer, deposited, holder);
        }
        return false;
    }

    /**
     * Deposits the pieces of the small file message {@code id} offers, if it offers one, right after its offer: once,
     * since the offer's entry is then held by the mailbox and not deposited again. A refusal for quota ends the run as
     * for any letter.
     */
    private void depositFileParts(PeerId peer, ContactCard card, String holder, ThrowawayDepositor depositor,
                                  MessageId id) throws IOException, EnvelopeException {
        List<byte[]> letters = filePartLetters(peer, card, holder, 0, id);
        if (letters.isEmpty()) {
            return;
        }
        spent(holder, letters);
        for (byte[] letter : letters) {
            depositor.deposit(letter);
        }
        log.debug("left the file of message {} for {} in its mailbox: {} pieces", id, peer, letters.size());
    }

    /**
     * The letters of the pieces of the small file message {@code id} offers {@code peer}, if it offers one, to go
     * where its offer goes: none for a file whose pieces would take {@code budget} (a mailbox's capability, or the
     * contacts who carry for {@code peer}), with {@code pending} bytes of pieces on their way and not counted yet,
     * past {@link #FILE_BYTES_PER_CAPABILITY} (it is fetched when the two meet). What goes is counted by
     * {@link #spent}.
     */
    private List<byte[]> filePartLetters(PeerId peer, ContactCard card, String budget, long pending, MessageId id)
            throws EnvelopeException {
        List<byte[]> parts = fileParts.of(peer, id);
        if (parts.isEmpty()) {
            return List.of();
        }
        List<byte[]> letters = new ArrayList<>();
        long bytes = 0;
        for (byte[] part : parts) {
            byte[] letter = MailboxLetter.sealFilePart(card, part);
            if (letter.length > MailboxFrames.MAX_ENVELOPE_BYTES) {
                return List.of();
            }
            letters.add(letter);
            bytes += letter.length;
        }
        long within = spentWithin(budget) + pending;
        if (within + bytes > FILE_BYTES_PER_CAPABILITY) {
            log.info("the file of message {} goes to {} without its bytes: {} bytes of files went its way already", id,
                    peer, within);
            return List.of();
        }
        return letters;
    }

    /** The bytes of file pieces that went {@code budget}'s way within {@link #FILE_WINDOW}. */
    private long spentWithin(String budget) {
        Deque<FileDeposit> deposits = fileDeposits.computeIfAbsent(budget, any -> new ArrayDeque<>());
        Instant since = wall.instant().minus(FILE_WINDOW);
        synchronized (deposits) {
            while (!deposits.isEmpty() && deposits.peekFirst().at().isBefore(since)) {
                deposits.removeFirst();
            }
            return deposits.stream().mapToLong(FileDeposit::bytes).sum();
        }
    }

    /** Counts {@code letters} of file pieces against {@code budget}. */
    private void spent(String budget, List<byte[]> letters) {
        Deque<FileDeposit> deposits = fileDeposits.computeIfAbsent(budget, any -> new ArrayDeque<>());
        synchronized (deposits) {
            deposits.addLast(new FileDeposit(wall.instant(), letters.stream().mapToLong(letter -> letter.length)
                    .sum()));
        }
    }

    /** Marks {@code deposited} as held by {@code holder} and tells which messages are now SENT; empties the list. */
    private void markHeld(PeerId peer, List<String> deposited, String holder) {
        if (deposited.isEmpty()) {
            return;
        }
        List<String> sent = store.outbox().holdAsync(List.copyOf(deposited), peer.toBase58(), holder,
                wall.instant()).join();
        if (!sent.isEmpty()) {
            events.accept(new EngineEvent.InMailbox(peer, sent.stream().map(MessageId::parse).toList()));
        }
        log.debug("left {} envelopes for {} in its mailbox {}", deposited.size(), peer, holder);
        deposited.clear();
    }

    /** How the outbox names the mailbox a capability deposits in, as what holds an entry ({@code held_by}). */
    public static String holder(DepositCapability capability) {
        return String.join(" ", MAILBOX_HOLDER, capability.mailbox().toBase58(),
                HexFormat.of().formatHex(capability.capId()));
    }

    /**
     * Hands what waits for {@code peer} and is in no mailbox to contacts who carry, until {@link Carrying#CARRIERS}
     * hold each entry: one carrier may lose what it holds (or lie that it holds it), so an entry held by fewer goes to
     * the next that comes online (review22d). Which carriers hold an entry is its {@code held_by}.
     */
    private void carry(PeerId peer, ContactCard card, Carrying carriers) {
        String recipient = peer.toBase58();
        Set<String> done = new HashSet<>();
        try {
            while (true) {
                Map<Set<PeerId>, List<OutboxEntry>> byHolders = new LinkedHashMap<>();
                for (OutboxEntry entry : store.outbox().notInMailbox(recipient, PAGE + done.size())) {
                    Set<PeerId> holders = carriersIn(store.outbox().heldBy(entry.messageId(), recipient));
                    if (!done.contains(entry.messageId()) && holders.size() < Carrying.CARRIERS) {
                        byHolders.computeIfAbsent(holders, h -> new ArrayList<>()).add(entry);
                    }
                }
                if (byHolders.isEmpty()) {
                    return;
                }
                for (Map.Entry<Set<PeerId>, List<OutboxEntry>> group : byHolders.entrySet()) {
                    List<String> ids = new ArrayList<>();
                    List<byte[]> letters = new ArrayList<>();
                    List<byte[]> pieces = new ArrayList<>();
                    String budget = CARRIER_HOLDER + " " + recipient;
                    for (OutboxEntry entry : group.getValue()) {
                        done.add(entry.messageId());
                        byte[] letter = MailboxLetter.seal(card, entry.envelope());
                        if (letter.length <= MailboxFrames.MAX_ENVELOPE_BYTES) {
                            ids.add(entry.messageId());
                            letters.add(letter);
                            if (group.getKey().isEmpty()) {
                                // A small file's pieces go with its offer's first hand-over only: once.
                                List<byte[]> ofFile = filePartLetters(peer, card, budget,
                                        pieces.stream().mapToLong(piece -> piece.length).sum(),
                                        MessageId.parse(entry.messageId()));
                                letters.addAll(ofFile);
                                pieces.addAll(ofFile);
                            }
                        }
                    }
                    List<PeerId> took = letters.isEmpty() ? List.of()
                            : carriers.handToCarriers(peer, letters, group.getKey());
                    if (took.isEmpty()) {
                        continue;
                    }
                    spent(budget, pieces);
                    Set<PeerId> holders = new LinkedHashSet<>(group.getKey());
                    holders.addAll(took);
                    List<String> sent = store.outbox().holdAsync(ids, recipient, CARRIER_HOLDER + " " + String.join(
                            " ", holders.stream().map(PeerId::toBase58).toList()), wall.instant()).join();
                    if (!sent.isEmpty()) {
                        events.accept(new EngineEvent.WithCarrier(peer, took.getFirst(),
                                sent.stream().map(MessageId::parse).toList()));
                    }
                    log.debug("{} carry {} envelopes for {}", holders, ids.size(), peer);
                }
            }
        } catch (EnvelopeException e) {
            log.warn("no letter could be sealed to {}: {}", peer, e.getMessage());
        }
    }

    /** The carriers an entry's {@code held_by} names: none when a mailbox holds it or nothing does. */
    private static Set<PeerId> carriersIn(Optional<String> heldBy) {
        return whereHeld(heldBy) instanceof WhereHeld.WithCarriers(List<PeerId> carriers)
                ? new LinkedHashSet<>(carriers) : Set.of();
    }

    /**
     * What an outbox entry's {@code held_by}, as the courier writes it, says: "mailbox MAILBOX CAPABILITY" or "carrier
     * PEER [PEER]"; nothing holds an entry without one.
     */
    public static WhereHeld whereHeld(Optional<String> heldBy) {
        if (heldBy.isEmpty()) {
            return new WhereHeld.Nowhere();
        }
        List<String> words = List.of(heldBy.get().split(" "));
        return switch (words.getFirst()) {
            case MAILBOX_HOLDER -> new WhereHeld.InMailbox();
            case CARRIER_HOLDER -> new WhereHeld.WithCarriers(words.subList(1, words.size()).stream()
                    .map(PeerId::parse).toList());
            default -> new WhereHeld.Nowhere();
        };
    }

    private List<OutboxEntry> notInMailbox(String recipient, Set<String> skipped) {
        return store.outbox().notInMailbox(recipient, PAGE + skipped.size()).stream()
                .filter(entry -> !skipped.contains(entry.messageId())).limit(PAGE).toList();
    }

    /**
     * Leaves room envelopes of ours for a member that could not be reached to push them in its mailbox, if it gave us a
     * capability; best effort, on the caller's thread: nothing records them, and room sync brings the member whatever
     * does not arrive this way.
     */
    public void leaveRoomEnvelopes(PeerId member, List<byte[]> envelopes) {
        Optional<DepositCapability> capability = capabilityOf(member);
        Optional<ContactCard> card = cards.apply(member).filter(c -> c.supports(ContactCard.Feature.MAILBOX_DEPOSITS));
        if (capability.isEmpty() || card.isEmpty()) {
            return;
        }
        try (ThrowawayDepositor depositor = new ThrowawayDepositor(capability.get())) {
            for (byte[] envelope : envelopes) {
                byte[] letter = MailboxLetter.seal(card.get(), envelope);
                if (letter.length <= MailboxFrames.MAX_ENVELOPE_BYTES) {
                    depositor.deposit(letter);
                }
            }
            log.debug("left {} room envelopes for {} in its mailbox", envelopes.size(), member);
        } catch (IOException | EnvelopeException e) {
            log.debug("room envelopes for {} not left in its mailbox: {}", member, e.getMessage());
        }
    }

    private Optional<DepositCapability> capabilityOf(PeerId peer) {
        Optional<byte[]> held = store.mailboxes().held(peer.toBase58());
        if (held.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(DepositCapability.decode(held.get()));
        } catch (InvalidMailboxCodeException e) {
            log.warn("the capability {} gave us does not decode; forgotten: {}", peer, e.getMessage());
            store.mailboxes().dropHeld(peer.toBase58());
            return Optional.empty();
        }
    }

    /**
     * A throwaway identity depositing into one mailbox: a host of its own, made for one run and closed after it, so the
     * mailbox cannot tell who deposits. It dials the mailbox directly or through a relay the mailbox holds a
     * reservation on (a mailbox behind NAT, app/README.md "Mailbox"). A relay ends a circuit after a little data (relay
     * v2's default is 128 KiB), so a stream that took deposits and then broke is opened again, once, before a deposit
     * fails: on a new circuit through the same relay.
     */
    private static final class ThrowawayDepositor implements AutoCloseable {
        private final DepositCapability capability;
        private final Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        private final MailboxClient client;
        private MailboxClient.Depositor stream;
        private int depositsOnStream;

        ThrowawayDepositor(DepositCapability capability) {
            this.capability = capability;
            RelayTransport.install(host, false);
            this.client = MailboxClient.of(host, capability);
        }

        /** Returns once the mailbox has {@code letter} on disk. */
        void deposit(byte[] letter) throws IOException {
            try {
                depositOnStream(letter);
            } catch (MailboxRefusedException refused) {
                throw refused;
            } catch (IOException broken) {
                if (depositsOnStream == 0) {
                    throw broken;
                }
                // The same bytes again: the mailbox keeps them once if the first try reached it.
                closeStream();
                depositOnStream(letter);
            }
        }

        private void depositOnStream(byte[] letter) throws IOException {
            if (stream == null) {
                stream = client.depositor();
                depositsOnStream = 0;
            }
            stream.deposit(capability, letter);
            depositsOnStream++;
        }

        private void closeStream() {
            if (stream != null) {
                stream.close();
                stream = null;
            }
        }

        @Override
        public void close() {
            closeStream();
            host.close();
        }
    }
}
