package dev.parley.transport.mdns;

import dev.parley.transport.mdns.MdnsMessages.Sighting;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers mDNS has seen and until when each of their addresses holds. Each address expires on its own
 * (a peer that restarts on a new port, or is seen on two links, keeps what is still announced); a peer whose
 * last address expires, or that says goodbye, is lost. Not thread-safe: {@link MdnsDiscovery} calls it from its
 * one worker thread. Only {@link #snapshot()} may be read from any thread.
 */
final class PeerTable {
    /** Peers tracked at once, so that a flood of made-up announcements cannot fill our memory. */
    static final int MAX_PEERS = 1024;

    private static final Logger log = LoggerFactory.getLogger(PeerTable.class);

    private final Map<PeerId, Entry> peers = new HashMap<>();
    private final Map<PeerId, List<Multiaddr>> published = new ConcurrentHashMap<>();

    private static final class Entry {
        DnsName instance;
        final Map<Multiaddr, Long> expiries = new LinkedHashMap<>();

        Entry(DnsName instance) {
            this.instance = instance;
        }

        List<Multiaddr> addresses() {
            return List.copyOf(expiries.keySet());
        }
    }

    /** Records a sighting; a {@link DiscoveryEvent.PeerFound} if the peer or one of its addresses is new. */
    Optional<DiscoveryEvent> announced(Sighting.Announced sighting, long nowNanos) {
        Entry entry = peers.get(sighting.peer());
        if (entry == null) {
            if (peers.size() >= MAX_PEERS) {
                log.debug("already tracking {} peers; ignoring {}", MAX_PEERS, sighting.peer());
                return Optional.empty();
            }
            entry = new Entry(sighting.instance());
            peers.put(sighting.peer(), entry);
        }
        entry.instance = sighting.instance();
        long expiry = nowNanos + TimeUnit.SECONDS.toNanos(sighting.ttlSeconds());
        boolean added = false;
        for (Multiaddr address : sighting.addresses()) {
            if (entry.expiries.containsKey(address) || entry.expiries.size() < MdnsMessages.MAX_ADDRESSES) {
                added |= entry.expiries.put(address, expiry) == null;
            }
        }
        if (!added) {
            return Optional.empty();
        }
        published.put(sighting.peer(), entry.addresses());
        return Optional.of(new DiscoveryEvent.PeerFound(sighting.peer(), entry.addresses()));
    }

    /** Forgets the peer announced at {@code instance}; a {@link DiscoveryEvent.PeerLost} if there was one. */
    Optional<DiscoveryEvent> departed(DnsName instance) {
        for (Iterator<Map.Entry<PeerId, Entry>> it = peers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<PeerId, Entry> peer = it.next();
            if (peer.getValue().instance.equals(instance)) {
                it.remove();
                published.remove(peer.getKey());
                return Optional.of(new DiscoveryEvent.PeerLost(peer.getKey()));
            }
        }
        return Optional.empty();
    }

    /** Drops the addresses that have expired by {@code nowNanos}; a peer left with none is lost. */
    List<DiscoveryEvent> expire(long nowNanos) {
        List<DiscoveryEvent> lost = new ArrayList<>();
        for (Iterator<Map.Entry<PeerId, Entry>> it = peers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<PeerId, Entry> peer = it.next();
            Entry entry = peer.getValue();
            if (!entry.expiries.values().removeIf(expiry -> expiry - nowNanos <= 0)) {
                continue;
            }
            if (entry.expiries.isEmpty()) {
                it.remove();
                published.remove(peer.getKey());
                lost.add(new DiscoveryEvent.PeerLost(peer.getKey()));
            } else {
                published.put(peer.getKey(), entry.addresses());
            }
        }
        return lost;
    }

    /** When the next address expires, in {@link System#nanoTime()} terms; empty if no peer is known. */
    OptionalLong nextExpiry() {
        return peers.values().stream()
                .flatMap(entry -> entry.expiries.values().stream())
                .mapToLong(Long::longValue)
                .reduce((a, b) -> a - b < 0 ? a : b);
    }

    /** The peers known now and their addresses; safe to call from any thread. */
    Map<PeerId, List<Multiaddr>> snapshot() {
        return Map.copyOf(published);
    }
}
