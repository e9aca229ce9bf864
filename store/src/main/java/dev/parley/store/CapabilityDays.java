package dev.parley.store;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mailbox's per-capability quota counters and the digests of envelopes its owners took, kept in memory only and
 * used on the store's writer thread alone (inside its transactions), so concurrent deposits are counted one after
 * the other.
 *
 * <p>Why not in the file: every deposit commits alone when deposits come one at a time, so a counter row updated in
 * the commit that adds an envelope would tell whoever copies the WAL which capability (which contact) deposited which
 * envelope, and exact byte counters matched against envelope sizes would tell it too (review22a). In memory, a
 * restart forgets them: a capability may then deposit its quota again (the owner's own quota, which is in the file,
 * still bounds what is held), and a retry of an envelope taken before the restart is held again (the owner's
 * Parley keeps each message once by its id).
 *
 * <p>A capability's window counts whole days: the day of the deposit and {@code retentionDays} days before it, so it
 * always spans at least the retention (a window of exactly {@code retentionDays} calendar days could be as short as
 * {@code retentionDays - 1} days and a second, and let a capability deposit twice its quota in it).
 */
final class CapabilityDays {
    private record Key(long owner, ByteBuffer capId) {
        Key(long owner, byte[] capId) {
            this(owner, ByteBuffer.wrap(capId.clone()));
        }
    }

    /** Per owner and capability: per day, envelopes and bytes deposited. */
    private final Map<Key, TreeMap<Long, long[]>> deposited = new HashMap<>();
    /** Per owner: digests of envelopes it took (deleted), with their day, oldest first. */
    private final Map<Long, LinkedHashMap<ByteBuffer, Long>> taken = new HashMap<>();

    /** Envelopes and bytes {@code capId} deposited for {@code owner} within the window ending on {@code day}. */
    long[] within(long owner, byte[] capId, long day, int retentionDays) {
        TreeMap<Long, long[]> days = deposited.get(new Key(owner, capId));
        long[] sums = new long[2];
        if (days != null) {
            for (long[] counts : days.tailMap(day - retentionDays, true).values()) {
                sums[0] += counts[0];
                sums[1] += counts[1];
            }
        }
        return sums;
    }

    void count(long owner, byte[] capId, long day, long bytes) {
        long[] counts = deposited.computeIfAbsent(new Key(owner, capId), key -> new TreeMap<>())
                .computeIfAbsent(day, ignored -> new long[2]);
        counts[0]++;
        counts[1] += bytes;
    }

    /**
     * Remembers that {@code owner} took the envelope with {@code digest}, so that the same bytes deposited again (a
     * depositor retrying after its answer was lost) are not held a second time; at most {@code maxRemembered} per
     * owner, the oldest forgotten first.
     */
    void taken(long owner, byte[] digest, long day, long maxRemembered) {
        LinkedHashMap<ByteBuffer, Long> digests = taken.computeIfAbsent(owner, ignored -> new LinkedHashMap<>());
        digests.put(ByteBuffer.wrap(digest.clone()), day);
        Iterator<ByteBuffer> oldest = digests.keySet().iterator();
        while (digests.size() > maxRemembered) {
            oldest.next();
            oldest.remove();
        }
    }

    boolean wasTaken(long owner, byte[] digest) {
        LinkedHashMap<ByteBuffer, Long> digests = taken.get(owner);
        return digests != null && digests.containsKey(ByteBuffer.wrap(digest));
    }

    /** Forgets whatever is older than the window ending on {@code day}. */
    void expire(long day, int retentionDays) {
        long first = day - retentionDays;
        deposited.values().forEach(days -> days.headMap(first).clear());
        deposited.values().removeIf(TreeMap::isEmpty);
        taken.values().forEach(digests -> digests.values().removeIf(takenOn -> takenOn < first));
        taken.values().removeIf(Map::isEmpty);
    }

    /** Forgets everything of {@code owner}, whose row id a later owner may get. */
    void forget(long owner) {
        deposited.keySet().removeIf(key -> key.owner() == owner);
        taken.remove(owner);
    }
}
