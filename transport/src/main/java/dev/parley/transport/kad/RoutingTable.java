package dev.parley.transport.kad;

import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The k-buckets of one node (spec: "Kademlia routing table"). Bucket i holds the peers whose point shares
 * exactly i leading bits with ours. A full bucket refuses newcomers and keeps its oldest entries: peers long
 * online tend to stay online, and an attacker cannot flush them by announcing fresh ids. A peer that fails
 * a query is removed, which makes room.
 */
final class RoutingTable {
    private final byte[] self;
    private final int bucketSize;
    private final List<Map<PeerId, byte[]>> buckets = new ArrayList<>();

    RoutingTable(PeerId self, int bucketSize) {
        this.self = KeySpace.point(self);
        this.bucketSize = bucketSize;
        for (int i = 0; i < KeySpace.BITS; i++) {
            buckets.add(new LinkedHashMap<>());
        }
    }

    /** Adds a peer; returns whether it is in the table now (false if its bucket is full, or it is us). */
    synchronized boolean add(PeerId peer) {
        byte[] point = KeySpace.point(peer);
        int index = KeySpace.commonPrefixLength(self, point);
        if (index == KeySpace.BITS) {
            return false;
        }
        Map<PeerId, byte[]> bucket = buckets.get(index);
        if (bucket.containsKey(peer)) {
            return true;
        }
        if (bucket.size() >= bucketSize) {
            return false;
        }
        bucket.put(peer, point);
        return true;
    }

    synchronized void remove(PeerId peer) {
        int index = KeySpace.commonPrefixLength(self, KeySpace.point(peer));
        if (index < KeySpace.BITS) {
            buckets.get(index).remove(peer);
        }
    }

    synchronized boolean contains(PeerId peer) {
        int index = KeySpace.commonPrefixLength(self, KeySpace.point(peer));
        return index < KeySpace.BITS && buckets.get(index).containsKey(peer);
    }

    synchronized int size() {
        return buckets.stream().mapToInt(Map::size).sum();
    }

    /** The {@code n} peers nearest to {@code key} (raw key bytes, hashed here), nearest first. */
    synchronized List<PeerId> closest(byte[] key, int n) {
        Comparator<byte[]> nearer = KeySpace.byDistanceTo(KeySpace.point(key));
        return buckets.stream().flatMap(bucket -> bucket.entrySet().stream())
                .sorted(Map.Entry.comparingByValue(nearer))
                .limit(n)
                .map(Map.Entry::getKey)
                .toList();
    }
}
