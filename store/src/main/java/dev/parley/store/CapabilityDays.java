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
    /**
     * Per owner, per capability (the one that deposited last, last): per day, envelopes and bytes deposited. At most
     * as many capabilities per owner as the owner may hold envelopes: an owner minting a capability for each deposit
     * and taking each envelope at once would otherwise grow it without bound for the retention (review22b). Beyond
     * that the capability that deposited longest ago is forgotten, which lets it deposit its quota again; the owner's
     * quota, in the file, still bounds what is held.
     */
    private final Map<Long, LinkedHashMap<ByteBuffer, TreeMap<Long, long[]>>> deposited = new HashMap<>();
    /** Per owner: digests of envelopes it took (deleted), with their day, oldest first. */
    private final Map<Long, LinkedHashMap<ByteBuffer, Long>> taken = new HashMap<>();

    /** Envelopes and bytes {@code capId} deposited for {@code owner} within the window ending on {@code day}. */
    long[] within(long owner, byte[] capId, long day, int retentionDays) {
        Map<ByteBuffer, TreeMap<Long, long[]>> capabilities = deposited.get(owner);
        TreeMap<Long, long[]> days = capabilities == null ? null : capabilities.get(ByteBuffer.wrap(capId));
        long[] sums = new long[2];
        if (days != null) {
            for (long[] counts : days.tailMap(day - retentionDays, true).values()) {
                sums[0] += counts[0];
                sums[1] += counts[1];
            }
        }
        return sums;
    }

    void count(long owner, byte[] capId, long day, long bytes, long maxCapabilities) {
        LinkedHashMap<ByteBuffer, TreeMap<Long, long[]>> capabilities =
                deposited.computeIfAbsent(owner, ignored -> new LinkedHashMap<>());
        ByteBuffer key = ByteBuffer.wrap(capId.clone());
        TreeMap<Long, long[]> days = capabilities.remove(key);
        capabilities.put(key, days != null ? days : new TreeMap<>());
        long[] counts = capabilities.get(key).computeIfAbsent(day, ignored -> new long[2]);
        counts[0]++;
        counts[1] += bytes;
        Iterator<ByteBuffer> longestAgo = capabilities.keySet().iterator();
        while (capabilities.size() > maxCapabilities) {
            longestAgo.next();
            longestAgo.remove();
        }
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
        for (Map<ByteBuffer, TreeMap<Long, long[]>> capabilities : deposited.values()) {
            capabilities.values().forEach(days -> days.headMap(first).clear());
            capabilities.values().removeIf(TreeMap::isEmpty);
        }
        deposited.values().removeIf(Map::isEmpty);
        taken.values().forEach(digests -> digests.values().removeIf(takenOn -> takenOn < first));
        taken.values().removeIf(Map::isEmpty);
    }

    /** How many capabilities are counted, all owners together. */
    int capabilitiesCounted() {
        return deposited.values().stream().mapToInt(Map::size).sum();
    }

    /** Forgets everything of {@code owner}, whose row id a later owner may get. */
    void forget(long owner) {
        deposited.remove(owner);
        taken.remove(owner);
    }
}
