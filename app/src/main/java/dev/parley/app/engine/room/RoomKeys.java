package dev.parley.app.engine.room;

import dev.parley.crypto.ContactCard;
import dev.parley.crypto.InvalidSenderKeyException;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.SenderKeyRing;
import dev.parley.store.SenderKeyState;
import dev.parley.store.SqliteStore;
import dev.parley.transport.multiformats.PeerId;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender keys of every room, ours and those members sent us: crypto's {@link SenderKeyRing}, with each key
 * kept in the store as it is added, so that a restart can still open what arrives late. A chained key
 * (crypto/README.md, "Sender keys") moves on with every message: its state is kept in the same write as the envelope
 * sealed or the message opened ({@link #stateOf}), never apart from it.
 */
final class RoomKeys {
    private static final Logger log = LoggerFactory.getLogger(RoomKeys.class);

    private final SqliteStore store;
    private final SenderKeyRing ring;
    private final PeerId me;
    private final Supplier<ContactCard> myCard;
    private final RoomContacts contacts;

    private RoomKeys(SqliteStore store, SenderKeyRing ring, PeerId me, Supplier<ContactCard> myCard,
                     RoomContacts contacts) {
        this.store = store;
        this.ring = ring;
        this.me = me;
        this.myCard = myCard;
        this.contacts = contacts;
    }

    /**
     * The keys in {@code store}. Whether a member can read a chained key comes from its newest card we know: ours as
     * it is now, a contact's as the contact book holds it, else the card the log's add of it carries.
     */
    static RoomKeys load(SqliteStore store, PeerId me, InstantSource time, Supplier<ContactCard> myCard,
                         RoomContacts contacts) {
        List<SenderKey> keys = new ArrayList<>();
        for (byte[] encoded : store.senderKeys().all()) {
            try {
                keys.add(SenderKey.decode(encoded));
            } catch (InvalidSenderKeyException e) {
                log.warn("a stored sender key is damaged and left out: {}", e.getMessage());
            }
        }
        return new RoomKeys(store, SenderKeyRing.of(me, keys, time), me, myCard, contacts);
    }

    SenderKeyRing ring() {
        return ring;
    }

    /** Our key for the room, if we made one. */
    Optional<SenderKey> current(RoomId room) {
        return ring.current(room);
    }

    /**
     * Makes our key for the room's epoch {@code epoch} and keeps it: chained, its first message numbered
     * {@code nextNumber}, when every member's card lists {@link ContactCard.Feature#CHAINED_SENDER_KEYS}; else static,
     * which a member on an older Parley can read.
     */
    SenderKey rotate(RoomState state, long nextNumber) {
        SenderKey key = ring.rotate(state.roomId(), state.epoch(), allChain(state) ? nextNumber : 0);
        keep(key);
        return key;
    }

    /** Whether every member of the room as it is now can read a chained key, as its newest card we know says. */
    private boolean allChain(RoomState state) {
        return state.members().entrySet().stream().allMatch(member -> newestCard(member.getKey(),
                member.getValue().card()).supports(ContactCard.Feature.CHAINED_SENDER_KEYS));
    }

    private ContactCard newestCard(PeerId peer, ContactCard inTheLog) {
        if (peer.equals(me)) {
            return myCard.get();
        }
        return contacts.find(peer).flatMap(RoomContacts.Contact::card)
                .filter(card -> card.peerId().equals(peer) && card.issuedAt().isAfter(inTheLog.issuedAt()))
                .orElse(inTheLog);
    }

    /** What to keep of {@code key} in the write of the envelope it just sealed: a chained key's new state. */
    static Optional<SenderKeyState> stateOf(SenderKey key) {
        return key.isChained() ? Optional.of(state(key, key.encode())) : Optional.empty();
    }

    /** A chained key's state as opening a message left it ({@link dev.parley.crypto.TinkEnvelopeSealer.RoomOpening}). */
    static SenderKeyState state(SenderKey key, byte[] encoded) {
        return new SenderKeyState(key.room().toString(), key.owner().toBase58(), key.epoch(), encoded);
    }

    /** Records that our key of {@code epoch} goes to {@code recipients}: only they may ask for it again. */
    void handOut(RoomId room, long epoch, List<PeerId> recipients) {
        store.senderKeys().addRecipients(room.toString(), epoch, recipients.stream().map(PeerId::toBase58).toList());
    }

    /** Whether we handed our key of {@code epoch} to {@code peer}. */
    boolean handedTo(RoomId room, long epoch, PeerId peer) {
        return store.senderKeys().handedTo(room.toString(), epoch, peer.toBase58());
    }

    /**
     * Keeps a key a member sent us. A key of a slot we hold already changes nothing, unless it is a chained key handed
     * out earlier than ours, whose messages before ours it adds.
     */
    void add(SenderKey key) {
        keep(ring.add(key));
    }

    boolean has(RoomId room, PeerId owner, long epoch) {
        return ring.find(room, owner, epoch).isPresent();
    }

    Optional<SenderKey> find(RoomId room, PeerId owner, long epoch) {
        return ring.find(room, owner, epoch);
    }

    void forget(RoomId room) {
        ring.forget(room);
        store.senderKeys().forget(room.toString());
    }

    private void keep(SenderKey key) {
        store.senderKeys().put(state(key, key.encode()));
    }
}
