package dev.parley.app.engine.room;

import dev.parley.crypto.InvalidSenderKeyException;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.SenderKeyRing;
import dev.parley.store.SqliteStore;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender keys of every room, ours and those members sent us: crypto's {@link SenderKeyRing}, with each key
 * kept in the store as it is added, so that a restart can still open what arrives late.
 */
final class RoomKeys {
    private static final Logger log = LoggerFactory.getLogger(RoomKeys.class);

    private final SqliteStore store;
    private final SenderKeyRing ring;

    private RoomKeys(SqliteStore store, SenderKeyRing ring) {
        this.store = store;
        this.ring = ring;
    }

    static RoomKeys load(SqliteStore store, PeerId me) {
        List<SenderKey> keys = new ArrayList<>();
        for (byte[] encoded : store.senderKeys().all()) {
            try {
                keys.add(SenderKey.decode(encoded));
            } catch (InvalidSenderKeyException e) {
                log.warn("a stored sender key is damaged and left out: {}", e.getMessage());
            }
        }
        return new RoomKeys(store, SenderKeyRing.of(me, keys));
    }

    SenderKeyRing ring() {
        return ring;
    }

    /** Our key for the room, if we made one. */
    Optional<SenderKey> current(RoomId room) {
        return ring.current(room);
    }

    /** Makes our key for the room's epoch {@code epoch} and keeps it. */
    SenderKey rotate(RoomId room, long epoch) {
        SenderKey key = ring.rotate(room, epoch);
        keep(key);
        return key;
    }

    /** Records that our key of {@code epoch} goes to {@code recipients}: only they may ask for it again. */
    void handOut(RoomId room, long epoch, List<PeerId> recipients) {
        store.senderKeys().addRecipients(room.toString(), epoch, recipients.stream().map(PeerId::toBase58).toList());
    }

    /** Whether we handed our key of {@code epoch} to {@code peer}. */
    boolean handedTo(RoomId room, long epoch, PeerId peer) {
        return store.senderKeys().handedTo(room.toString(), epoch, peer.toBase58());
    }

    /** Keeps a key a member sent us. */
    void add(SenderKey key) {
        ring.add(key);
        keep(key);
    }

    boolean has(RoomId room, PeerId owner, long epoch) {
        return ring.find(room, owner, epoch).isPresent();
    }

    void forget(RoomId room) {
        ring.forget(room);
        store.senderKeys().forget(room.toString());
    }

    private void keep(SenderKey key) {
        store.senderKeys().add(key.room().toString(), key.owner().toBase58(), key.epoch(), key.encode());
    }
}
