package dev.parley.app.engine.mailbox;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.parley.app.engine.threads.Tasks;
import dev.parley.app.engine.wire.CarryProtos.CarryRequest;
import dev.parley.app.engine.wire.CarryProtos.CarryResponse;
import dev.parley.app.engine.wire.CarryProtos.Handover;
import dev.parley.app.engine.wire.CarryProtos.Held;
import dev.parley.app.engine.wire.CarryProtos.Hold;
import dev.parley.app.engine.wire.CarryProtos.Refused;
import dev.parley.app.engine.wire.CarryProtos.Taken;
import dev.parley.crypto.ContactCard;
import dev.parley.store.CarriedLetters;
import dev.parley.store.MailboxEnvelope;
import dev.parley.store.SqliteStore;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.multiformats.PeerId;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contacts who carry (app/README.md, "Contacts who carry"): when a contact cannot be reached and has no mailbox, our
 * letters for it go to up to {@link #CARRIERS} other contacts online now whose card lists
 * {@link ContactCard.Feature#CARRIES_FOR_CONTACTS}; each keeps them (on disk, within its quota, by default
 * {@link #DEFAULT_QUOTA_BYTES}) only if the
 * recipient is its own accepted contact, and hands them over when it next connects to the recipient, who takes them
 * as it takes its mailbox's and answers once they are committed. Letters are sealed to the recipient's card: a carrier
 * reads nothing of them, though it knows whom they are for and who gave them.
 *
 * <p>Protocol {@code /parley/carry/1.0.0} (carry.proto): length-prefixed protobuf frames of at most
 * {@link #MAX_FRAME_BYTES}, a request answered by one response, both ways on one stream.
 */
public final class Carrying {
    public static final String PROTOCOL_ID = "/parley/carry/1.0.0";
    /** Carriers one letter goes to. */
    static final int CARRIERS = 2;
    /** What we keep for everyone, on disk, unless the user sets otherwise. */
    public static final long DEFAULT_QUOTA_BYTES = 64L << 20;
    /** Letters we keep for one recipient. */
    static final int MAX_PER_RECIPIENT = 1_000;
    /** How long we keep a letter that finds no way to its recipient. */
    static final Duration RETENTION = Duration.ofDays(14);
    static final int MAX_FRAME_BYTES = 1024 * 1024;
    /** Letter bytes per frame past its first letter. */
    static final int MAX_BATCH_BYTES = 512 * 1024;
    static final int MAX_BATCH_LETTERS = 256;
    /**
     * The smallest letter kept or taken: a letter seals an envelope (a header of some 100 bytes at least) and adds 48
     * bytes. Smaller ones are no letters, and empty ones would cost nothing to hold (review22d: a thousand of them
     * took a recipient's quota and told whether anything waited for it).
     */
    public static final int MIN_LETTER_BYTES = 128;
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(Carrying.class);

    private final Host host;
    private final SqliteStore store;
    private final Function<PeerId, Optional<ContactCard>> acceptedCard;
    private final Supplier<List<ContactCard>> acceptedCards;
    private final MailboxOwner.Arrivals arrivals;
    /** Bytes of letters we keep for everyone; 0: we carry nothing. */
    private volatile long quotaBytes;
    private final Tasks tasks;
    private final InstantSource wall;
    /** Recipients we are handing letters to now: one handover each at a time. */
    private final Set<PeerId> handingOver = ConcurrentHashMap.newKeySet();

    /**
     * @param quotaBytes how much we keep for everyone; 0 when we carry nothing
     */
    public Carrying(Host host, SqliteStore store, Function<PeerId, Optional<ContactCard>> acceptedCard,
                    Supplier<List<ContactCard>> acceptedCards, MailboxOwner.Arrivals arrivals, long quotaBytes,
                    Tasks tasks, InstantSource wall) {
        this.host = host;
        this.store = store;
        this.acceptedCard = acceptedCard;
        this.acceptedCards = acceptedCards;
        this.arrivals = arrivals;
        this.quotaBytes = quotaBytes;
        this.tasks = tasks;
        this.wall = wall;
    }

    /** Serves the protocol; forgets letters kept longer than the retention. */
    public void start() {
        host.setHandler(PROTOCOL_ID, this::serve);
        int expired = store.carried().expire(wall.instant().minus(RETENTION));
        if (expired > 0) {
            log.info("forgot {} letters kept for contacts longer than {} days", expired, RETENTION.toDays());
        }
    }

    /** How much we keep for everyone; 0: nothing. */
    public long quotaBytes() {
        return quotaBytes;
    }

    /** Bytes of letters we keep now. */
    public long heldBytes() {
        return store.carried().bytes();
    }

    /**
     * Keeps at most {@code bytes} from now on, 0 for nothing; what we keep already stays until handed over or too old.
     */
    public void setQuotaBytes(long bytes) {
        quotaBytes = Math.max(0, bytes);
    }

    // As a sender.

    /**
     * Hands {@code letters} for {@code recipient} to contacts connected now that carry, other than those {@code
     * holding} them already, until {@link #CARRIERS} hold them; returns those that kept them all. Blocks while they
     * are asked.
     */
    List<PeerId> handToCarriers(PeerId recipient, List<byte[]> letters, Set<PeerId> holding) {
        List<PeerId> took = new ArrayList<>();
        for (ContactCard candidate : acceptedCards.get()) {
            PeerId carrier = candidate.peerId();
            if (took.size() + holding.size() >= CARRIERS || letters.isEmpty()) {
                break;
            }
            if (carrier.equals(recipient) || holding.contains(carrier)
                    || !candidate.supports(ContactCard.Feature.CARRIES_FOR_CONTACTS)
                    || host.connection(carrier).isEmpty()) {
                continue;
            }
            try {
                if (askToHold(carrier, recipient, letters)) {
                    took.add(carrier);
                }
            } catch (IOException e) {
                log.debug("{} could not be asked to carry for {}: {}", carrier, recipient, e.getMessage());
            }
        }
        return took;
    }

    private boolean askToHold(PeerId carrier, PeerId recipient, List<byte[]> letters) throws IOException {
        try (Stream stream = host.connect(carrier).newStream(TIMEOUT, PROTOCOL_ID)) {
            OutputStream out = new BufferedOutputStream(stream.out(), 8 * 1024);
            for (List<byte[]> batch : batches(letters)) {
                write(out, CarryRequest.newBuilder().setHold(Hold.newBuilder()
                        .setRecipient(ByteString.copyFrom(recipient.bytes()))
                        .addAllLetters(batch.stream().map(ByteString::copyFrom).toList())).build());
                CarryResponse response = read(stream);
                if (!response.hasHeld()) {
                    log.debug("{} does not carry for {}: {}", carrier, recipient, response.getRefused().getText());
                    return false;
                }
            }
            return true;
        }
    }

    // As a carrier.

    /**
     * We are connected to {@code peer}: what we keep for it goes to it now. Called by the host as the connection opens:
     * the store is read on a thread of the handover's own.
     */
    public void connected(PeerId peer) {
        if (acceptedCard.apply(peer).isEmpty() || !handingOver.add(peer)) {
            return;
        }
        Thread started = tasks.start("carry-handover " + peer, () -> {
            try {
                if (!store.carried().forRecipient(peer.toBase58(), 1, 1).isEmpty()) {
                    handOver(peer);
                }
            } catch (IOException e) {
                log.debug("handing letters over to {} stopped: {}", peer, e.getMessage());
            } finally {
                handingOver.remove(peer);
            }
        });
        if (started.getState() == Thread.State.NEW) {
            handingOver.remove(peer);
        }
    }

    private void handOver(PeerId recipient) throws IOException {
        store.carried().expire(wall.instant().minus(RETENTION));
        try (Stream stream = host.connect(recipient).newStream(TIMEOUT, PROTOCOL_ID)) {
            OutputStream out = new BufferedOutputStream(stream.out(), 8 * 1024);
            while (true) {
                List<CarriedLetters.Carried> batch = store.carried().forRecipient(recipient.toBase58(),
                        MAX_BATCH_LETTERS, MAX_BATCH_BYTES);
                if (batch.isEmpty()) {
                    return;
                }
                write(out, CarryRequest.newBuilder().setHandover(Handover.newBuilder().addAllLetters(batch.stream()
                        .map(carried -> ByteString.copyFrom(carried.letter())).toList())).build());
                if (!read(stream).hasTaken()) {
                    return;
                }
                store.carried().handedOver(batch.stream().map(CarriedLetters.Carried::seq).toList());
                log.debug("handed {} letters over to {}", batch.size(), recipient);
            }
        }
    }

    private void serve(Stream stream) throws IOException {
        PeerId from = stream.remotePeer();
        OutputStream out = new BufferedOutputStream(stream.out(), 8 * 1024);
        try {
            while (true) {
                stream.setReadDeadline(TIMEOUT);
                Optional<CarryRequest> request = LengthPrefixed.readOrEnd(stream.in(), stream.memory(),
                        CarryRequest.parser(), MAX_FRAME_BYTES, "carry request", IOException::new);
                if (request.isEmpty()) {
                    return;
                }
                write(out, answer(from, request.get()));
            }
        } finally {
            stream.close();
        }
    }

    private CarryResponse answer(PeerId from, CarryRequest request) {
        if (acceptedCard.apply(from).isEmpty()) {
            return refused(Refused.Reason.NOT_A_CONTACT, "you are not a contact of this Parley");
        }
        return switch (request.getRequestCase()) {
            case HOLD -> hold(from, request.getHold());
            case HANDOVER -> take(request.getHandover());
            case REQUEST_NOT_SET -> refused(Refused.Reason.UNSPECIFIED, "a request asking nothing");
        };
    }

    private CarryResponse hold(PeerId from, Hold hold) {
        long quota = quotaBytes;
        if (quota == 0) {
            return refused(Refused.Reason.NOT_CARRYING, "this Parley keeps messages for nobody");
        }
        // Checked before the recipient is looked at: a Hold that would keep nothing tells nothing (review22d).
        Optional<String> unfit = unfit(hold.getLettersList());
        if (unfit.isPresent()) {
            return refused(Refused.Reason.UNSPECIFIED, unfit.get());
        }
        PeerId recipient;
        try {
            recipient = PeerId.fromBytes(hold.getRecipient().toByteArray());
        } catch (RuntimeException e) {
            return refused(Refused.Reason.UNSPECIFIED, "the recipient is no PeerId");
        }
        if (recipient.equals(from) || acceptedCard.apply(recipient).isEmpty()) {
            return refused(Refused.Reason.NOT_A_CONTACT, "the recipient is not a contact of this Parley");
        }
        List<byte[]> letters = hold.getLettersList().stream().map(ByteString::toByteArray).toList();
        Instant now = wall.instant();
        store.carried().expire(now.minus(RETENTION));
        if (!store.carried().hold(recipient.toBase58(), from.toBase58(), letters, now, quota, MAX_PER_RECIPIENT)) {
            return refused(Refused.Reason.FULL, "this Parley keeps as much as it will");
        }
        log.debug("keeping {} letters from {} for {}", letters.size(), from, recipient);
        if (host.connection(recipient).isPresent()) {
            connected(recipient);
        }
        return CarryResponse.newBuilder().setHeld(Held.getDefaultInstance()).build();
    }

    /** Why these letters are not taken, if they are not: none, too many for a frame, or one too small. */
    private static Optional<String> unfit(List<ByteString> letters) {
        if (letters.isEmpty()) {
            return Optional.of("no letters");
        }
        if (letters.size() > MAX_BATCH_LETTERS) {
            return Optional.of(letters.size() + " letters in a frame; at most " + MAX_BATCH_LETTERS);
        }
        if (letters.stream().anyMatch(letter -> letter.size() < MIN_LETTER_BYTES)) {
            return Optional.of("a letter of fewer than " + MIN_LETTER_BYTES + " bytes");
        }
        return Optional.empty();
    }

    /** Letters a carrier kept for us: taken as our mailbox's are, answered once committed. */
    private CarryResponse take(Handover handover) {
        // A frame of many small letters held parsed would cost more memory than its bytes (review22d); letters too
        // small to be any are dropped with the rest of what does not open.
        if (handover.getLettersCount() > MAX_BATCH_LETTERS) {
            return refused(Refused.Reason.UNSPECIFIED, handover.getLettersCount() + " letters in a frame; at most "
                    + MAX_BATCH_LETTERS);
        }
        Instant now = wall.instant();
        List<MailboxEnvelope> letters = new ArrayList<>();
        for (int i = 0; i < handover.getLettersCount(); i++) {
            letters.add(new MailboxEnvelope(i + 1, handover.getLetters(i).toByteArray(), now));
        }
        arrivals.take(letters);
        return CarryResponse.newBuilder().setTaken(Taken.getDefaultInstance()).build();
    }

    private static List<List<byte[]>> batches(List<byte[]> letters) {
        List<List<byte[]>> batches = new ArrayList<>();
        List<byte[]> batch = new ArrayList<>();
        long bytes = 0;
        for (byte[] letter : letters) {
            if (!batch.isEmpty() && (batch.size() == MAX_BATCH_LETTERS || bytes + letter.length > MAX_BATCH_BYTES)) {
                batches.add(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(letter);
            bytes += letter.length;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    private static void write(OutputStream out, MessageLite message) throws IOException {
        LengthPrefixed.write(message, MAX_FRAME_BYTES, out, "carry frame", IOException::new);
        out.flush();
    }

    private static CarryResponse read(Stream stream) throws IOException {
        stream.setReadDeadline(TIMEOUT);
        return LengthPrefixed.read(stream.in(), stream.memory(), CarryResponse.parser(), MAX_FRAME_BYTES,
                "carry response", IOException::new);
    }

    private static CarryResponse refused(Refused.Reason reason, String text) {
        return CarryResponse.newBuilder().setRefused(Refused.newBuilder().setReason(reason).setText(text)).build();
    }
}
