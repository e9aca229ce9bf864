package dev.parley.transport.kad;

import com.google.protobuf.ByteString;
import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The provider records a server holds for others (spec: "Content provider advertisement"), each kept for the
 * validity period after it was last added. Bounded twice, so that peers cannot fill our memory: a full store
 * refuses new keys, and a key with its full share of providers refuses new providers, until records expire.
 */
final class ProviderStore {
    private record Entry(ProviderRecord record, long expiresAtNanos) {
    }

    private final long validityNanos;
    private final int maxKeys;
    private final int maxProvidersPerKey;
    private final LongSupplier nanoTime;
    private final Map<ByteString, Map<PeerId, Entry>> byKey = new HashMap<>();

    ProviderStore(Duration validity, int maxKeys, int maxProvidersPerKey, LongSupplier nanoTime) {
        this.validityNanos = validity.toNanos();
        this.maxKeys = maxKeys;
        this.maxProvidersPerKey = maxProvidersPerKey;
        this.nanoTime = nanoTime;
    }

    /** Adds or renews a record; returns false if the store or that key is full. */
    synchronized boolean add(byte[] key, ProviderRecord record) {
        long now = nanoTime.getAsLong();
        ByteString keyBytes = ByteString.copyFrom(key);
        if (!byKey.containsKey(keyBytes) && byKey.size() >= maxKeys) {
            removeExpired(now);
            if (byKey.size() >= maxKeys) {
                return false;
            }
        }
        Map<PeerId, Entry> providers = byKey.computeIfAbsent(keyBytes, k -> new LinkedHashMap<>());
        providers.values().removeIf(entry -> expired(entry, now));
        if (!providers.containsKey(record.peer()) && providers.size() >= maxProvidersPerKey) {
            return false;
        }
        providers.put(record.peer(), new Entry(record, now + validityNanos));
        return true;
    }

    /** The unexpired records for {@code key}, oldest first. */
    synchronized List<ProviderRecord> get(byte[] key) {
        long now = nanoTime.getAsLong();
        Map<PeerId, Entry> providers = byKey.getOrDefault(ByteString.copyFrom(key), Map.of());
        return providers.values().stream().filter(entry -> !expired(entry, now)).map(Entry::record).toList();
    }

    synchronized int keyCount() {
        return byKey.size();
    }

    private void removeExpired(long now) {
        byKey.values().forEach(providers -> providers.values().removeIf(entry -> expired(entry, now)));
        byKey.values().removeIf(Map::isEmpty);
    }

    private static boolean expired(Entry entry, long now) {
        return now - entry.expiresAtNanos >= 0;
    }
}
