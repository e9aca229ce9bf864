package dev.parley.transport;

import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers this host remembers and their addresses (libp2p's peerstore, address half), fed by dials, identify
 * and discovery. Addresses are kept without their {@code /p2p/} suffix, in the order first learnt, at most
 * {@link PeerStateLimits#maxAddressesPerPeer()} per peer.
 *
 * <p>A stranger must not be able to fill our memory by connecting under ever new ids, so a peer lives here only
 * while it is connected, while an owner keeps it ({@link #keep}: the app's contacts and room members, the DHT's
 * routing table, relays we reserve on), or for {@link PeerStateLimits#grace()} after it was last touched. When a
 * peer is forgotten, those who hold state for it hear of it ({@link #onForgotten}) and drop theirs. At most
 * {@link PeerStateLimits#maxPeers()} peers are held (transport/README.md, "Per-peer state").
 */
public final class AddressBook {
    public static final int MAX_ADDRESSES_PER_PEER = 32;

    private static final Logger log = LoggerFactory.getLogger(AddressBook.class);

    private final PeerStateLimits limits;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Locking: lock. Least recently touched first, which is the order peers make room in at the cap. */
    private final LinkedHashMap<PeerId, Entry> entries = new LinkedHashMap<>();
    private final List<Consumer<PeerId>> forgottenListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong forgotten = new AtomicLong();

    /** One peer's state. Locking: lock. */
    private static final class Entry {
        final Set<Multiaddr> addresses = new LinkedHashSet<>();
        final Set<String> keptBy = new HashSet<>(2);
        int connections;
        long touchedAt;

        boolean held() {
            return connections > 0 || !keptBy.isEmpty();
        }
    }

    /** An address book with these limits, reading time from {@code nanoClock} ({@link System#nanoTime}). */
    public AddressBook(PeerStateLimits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.nanoClock = nanoClock;
    }

    public PeerStateLimits limits() {
        return limits;
    }

    /**
     * Adds what was learnt of {@code peer}'s addresses, past the first {@link PeerStateLimits#maxAddressesPerPeer()}
     * nothing. A peer new to a full book is not taken if every peer held is kept or connected.
     */
    public void add(PeerId peer, Collection<Multiaddr> learnt) {
        List<PeerId> evicted = new ArrayList<>(1);
        lock.lock();
        try {
            Entry entry = touch(peer, evicted);
            if (entry == null) {
                log.debug("address book full of kept and connected peers; not taking {}", peer);
                return;
            }
            for (Multiaddr address : learnt) {
                if (entry.addresses.size() >= limits.maxAddressesPerPeer()) {
                    break;
                }
                entry.addresses.add(address.withoutPeerId());
            }
        } finally {
            lock.unlock();
        }
        evicted.forEach(this::tellForgotten);
    }

    public void add(PeerId peer, Multiaddr address) {
        add(peer, List.of(address));
    }

    public List<Multiaddr> addresses(PeerId peer) {
        lock.lock();
        try {
            Entry entry = entries.get(peer);
            return entry == null ? List.of() : List.copyOf(entry.addresses);
        } finally {
            lock.unlock();
        }
    }

    /** Every peer held now, with addresses or without. */
    public Set<PeerId> peers() {
        lock.lock();
        try {
            return Set.copyOf(entries.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** Peers held now. */
    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets these addresses of {@code peer}, e.g. ones it turned out not to have; the others stay. */
    public void remove(PeerId peer, Collection<Multiaddr> wrong) {
        lock.lock();
        try {
            Entry entry = entries.get(peer);
            if (entry != null) {
                wrong.forEach(address -> entry.addresses.remove(address.withoutPeerId()));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Keeps {@code peer} for {@code owner} until that owner {@link #release}s it, however long it stays away: a
     * contact, a room member, a routing-table member, a relay reserved on. Several owners may keep one peer.
     */
    public void keep(PeerId peer, String owner) {
        lock.lock();
        try {
            Entry entry = entries.get(peer);
            if (entry == null) {
                entry = new Entry();
                entries.put(peer, entry);
            }
            entry.keptBy.add(owner);
            entry.touchedAt = nanoClock.getAsLong();
        } finally {
            lock.unlock();
        }
    }

    /** Ends {@code owner}'s keeping of {@code peer}; unless someone else keeps it, its grace starts now. */
    public void release(PeerId peer, String owner) {
        lock.lock();
        try {
            Entry entry = entries.get(peer);
            if (entry != null && entry.keptBy.remove(owner)) {
                entry.touchedAt = nanoClock.getAsLong();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code peer} is held now, kept or connected or in its grace. */
    public boolean holds(PeerId peer) {
        lock.lock();
        try {
            return entries.containsKey(peer);
        } finally {
            lock.unlock();
        }
    }

    public boolean isKept(PeerId peer) {
        lock.lock();
        try {
            Entry entry = entries.get(peer);
            return entry != null && !entry.keptBy.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Hears each peer forgotten, after its entry is gone; for services that hold per-peer state of their own. */
    public void onForgotten(Consumer<PeerId> listener) {
        forgottenListeners.add(listener);
    }

    /** Peers forgotten since the start, at the cap or after their grace. */
    public long forgottenCount() {
        return forgotten.get();
    }

    /** A connection to {@code peer} was admitted: it is held until its last one closes. */
    void connected(PeerId peer) {
        List<PeerId> evicted = new ArrayList<>(1);
        lock.lock();
        try {
            Entry entry = entries.get(peer);
            if (entry == null) {
                // A connected peer is always held, even beyond the cap: identify and the others keep state for it
                // that only its forgetting ends, and connections are bounded by ResourceLimits.maxConnections.
                entry = touch(peer, evicted);
                if (entry == null) {
                    entry = new Entry();
                    entries.put(peer, entry);
                }
            }
            entry.connections++;
            entry.touchedAt = nanoClock.getAsLong();
        } finally {
            lock.unlock();
        }
        evicted.forEach(this::tellForgotten);
    }

    /** A connection to {@code peer} closed; after its last one the grace starts. */
    void disconnected(PeerId peer) {
        lock.lock();
        try {
            Entry entry = entries.get(peer);
            if (entry != null && entry.connections > 0) {
                entry.connections--;
                entry.touchedAt = nanoClock.getAsLong();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Forgets every peer neither kept nor connected whose grace is over; returns how many. */
    int expire() {
        List<PeerId> gone = new ArrayList<>();
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            long grace = limits.grace().toNanos();
            for (Iterator<Map.Entry<PeerId, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<PeerId, Entry> next = it.next();
                if (!next.getValue().held() && now - next.getValue().touchedAt >= grace) {
                    it.remove();
                    gone.add(next.getKey());
                }
            }
        } finally {
            lock.unlock();
        }
        gone.forEach(this::tellForgotten);
        return gone.size();
    }

    /**
     * The entry of {@code peer}, moved to the back of the eviction order with its grace started again; a new one
     * if there is room or room can be made (the peer that made it is added to {@code evicted}, for the caller to
     * tell of outside the lock); null if the book is full of held peers.
     */
    private Entry touch(PeerId peer, List<PeerId> evicted) {
        assert lock.isHeldByCurrentThread();
        Entry entry = entries.remove(peer);
        if (entry == null) {
            if (entries.size() >= limits.maxPeers()) {
                PeerId room = evictOne();
                if (room == null) {
                    return null;
                }
                evicted.add(room);
            }
            entry = new Entry();
        }
        entry.touchedAt = nanoClock.getAsLong();
        entries.put(peer, entry);
        return entry;
    }

    /** Removes the least recently touched peer that is neither kept nor connected; null if there is none. */
    private PeerId evictOne() {
        for (Iterator<Map.Entry<PeerId, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<PeerId, Entry> next = it.next();
            if (!next.getValue().held()) {
                it.remove();
                return next.getKey();
            }
        }
        return null;
    }

    private void tellForgotten(PeerId peer) {
        forgotten.incrementAndGet();
        for (Consumer<PeerId> listener : forgottenListeners) {
            try {
                listener.accept(peer);
            } catch (RuntimeException e) {
                log.warn("a listener failed on forgetting {}", peer, e);
            }
        }
    }
}
