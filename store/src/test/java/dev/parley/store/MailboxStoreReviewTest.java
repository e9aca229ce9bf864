package dev.parley.store;

import static dev.parley.store.TestBytes.indexOf;
import static dev.parley.store.TestBytes.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review of issue 22's promise that a mailbox "learns neither who deposited nor which capability deposited which
 * envelope (only per-capability day counters, linked to no envelope)" and that "its deleted rows are overwritten",
 * tried by someone who can read the mailbox's files while it runs (its operator, or whoever takes its disk).
 */
class MailboxStoreReviewTest {
    private static final Instant NOON = Instant.parse("2026-12-07T12:00:00Z");
    private static final MailboxLimits ROOMY = new MailboxLimits(1_000, 64L << 20, 1_000, 8L << 20,
            Duration.ofDays(14), 64);
    private static final String OWNER = "owner";
    /** A WAL file header and a WAL frame header (sqlite.org/fileformat.html, "The WAL file format"). */
    private static final int WAL_HEADER = 32;
    private static final int FRAME_HEADER = 24;

    @TempDir
    Path temp;

    @Test
    void theWriteAheadLogDoesNotLinkAnEnvelopeToTheCapabilityThatDepositedIt() throws Exception {
        Path file = temp.resolve("mailbox.db");
        pairAndCheckpoint(file);
        List<byte[]> capabilities = List.of(randomBytes(16), randomBytes(16), randomBytes(16));
        Map<Long, String> depositedBy = new HashMap<>();
        try (MailboxStore store = MailboxStore.open(file)) {
            for (int i = 0; i < 9; i++) {
                byte[] capability = capabilities.get(i % capabilities.size());
                // The same size for every envelope: only the log can tell them apart.
                assertThat(store.deposit(OWNER, capability, randomBytes(300), ROOMY, NOON.plusSeconds(i)))
                        .isEqualTo(DepositOutcome.STORED);
                long seq = store.fetch(OWNER, 0, 1_000, 1 << 20).getLast().seq();
                depositedBy.put(seq, HexFormat.of().formatHex(capability));
            }
            Map<Long, String> linked = linkByReplayingTheLog(file, temp.resolve("replay"));
            assertThat(depositedBy).hasSize(9);
            assertThat(linked.entrySet()).as("envelopes (by seq) whose capability the mailbox's files give away")
                    .filteredOn(link -> link.getValue().equals(depositedBy.get(link.getKey()))).isEmpty();
        }
    }

    @Test
    void anEnvelopeTheOwnerDeletedIsNotLeftReadableInTheMailboxFiles() throws Exception {
        Path file = temp.resolve("mailbox.db");
        pairAndCheckpoint(file);
        byte[] envelope = randomBytes(2_000);
        try (MailboxStore store = MailboxStore.open(file)) {
            assertThat(store.deposit(OWNER, randomBytes(16), envelope, ROOMY, NOON)).isEqualTo(DepositOutcome.STORED);
            long seq = store.fetch(OWNER, 0, 10, 1 << 20).getFirst().seq();
            assertThat(store.delete(OWNER, List.of(seq), NOON)).isEqualTo(1);
            assertThat(store.status(OWNER).orElseThrow().envelopes()).isZero();
            for (Path part : List.of(file, Path.of(file + "-wal"))) {
                byte[] bytes = Files.exists(part) ? Files.readAllBytes(part) : new byte[0];
                assertThat(indexOf(bytes, envelope)).as("the deleted envelope in " + part.getFileName()).isEqualTo(-1);
            }
        }
    }

    @Test
    void theDayCountersDoNotLinkAnEnvelopeToItsCapabilityBySize() throws Exception {
        Path file = temp.resolve("mailbox.db");
        Map<String, Integer> sizeByCapability = new LinkedHashMap<>();
        try (MailboxStore store = MailboxStore.open(file)) {
            store.pair(OWNER, new byte[32], 4, NOON);
            int[] sizes = {517, 1_203, 2_048};
            for (int size : sizes) {
                byte[] capability = randomBytes(16);
                assertThat(store.deposit(OWNER, capability, randomBytes(size), ROOMY, NOON))
                        .isEqualTo(DepositOutcome.STORED);
                sizeByCapability.put(HexFormat.of().formatHex(capability), size);
            }
        }
        // What the operator reads from the file: counters by capability, envelopes with their sizes, same day.
        Map<String, Long> counterBytes = new HashMap<>();
        Map<Long, Long> envelopeSizes = new HashMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement query = db.createStatement()) {
            if (hasCounters(query)) {
                try (ResultSet rows = query.executeQuery("SELECT hex(cap_id), bytes FROM capability_days")) {
                    while (rows.next()) {
                        counterBytes.put(rows.getString(1).toLowerCase(), rows.getLong(2));
                    }
                }
            }
            try (ResultSet rows = query.executeQuery("SELECT seq, size FROM envelopes")) {
                while (rows.next()) {
                    envelopeSizes.put(rows.getLong(1), rows.getLong(2));
                }
            }
        }
        long linked = counterBytes.values().stream()
                .filter(bytes -> envelopeSizes.values().stream().filter(bytes::equals).count() == 1).count();
        assertThat(sizeByCapability).hasSize(3);
        assertThat(linked).as("capabilities whose one envelope the byte counter singles out").isZero();
    }

    /** The owner, paired, and a checkpoint by closing: the next deposits are the only commits in a fresh WAL. */
    private static void pairAndCheckpoint(Path file) {
        try (MailboxStore store = MailboxStore.open(file)) {
            assertThat(store.pair(OWNER, new byte[32], 4, NOON)).isPresent();
        }
    }

    /**
     * Copies the database with its WAL cut after each commit in turn, opens each copy as SQLite would after a crash,
     * and compares neighbouring states: a commit that added one envelope and raised one capability's counter names
     * the capability that deposited that envelope.
     */
    private static Map<Long, String> linkByReplayingTheLog(Path file, Path folder) throws IOException, SQLException {
        Files.createDirectories(folder);
        byte[] wal = Files.readAllBytes(Path.of(file + "-wal"));
        List<Integer> commitEnds = commitEnds(wal);
        Map<Long, String> linked = new HashMap<>();
        State before = null;
        for (int i = 0; i < commitEnds.size(); i++) {
            Path copy = folder.resolve("snapshot" + i + ".db");
            Files.copy(file, copy);
            Files.write(Path.of(copy + "-wal"), Arrays.copyOf(wal, commitEnds.get(i)));
            State after = State.read(copy);
            if (before != null) {
                Set<Long> added = new HashSet<>(after.seqs);
                added.removeAll(before.seqs);
                State earlier = before;
                List<String> raised = after.counters.entrySet().stream()
                        .filter(counter -> counter.getValue() > earlier.counters.getOrDefault(counter.getKey(), 0L))
                        .map(Map.Entry::getKey).toList();
                if (added.size() == 1 && raised.size() == 1) {
                    linked.put(added.iterator().next(), raised.getFirst());
                }
            }
            before = after;
        }
        return linked;
    }

    /** The byte offsets just past each commit frame of a WAL, as long as the frames carry the header's salts. */
    private static List<Integer> commitEnds(byte[] wal) {
        ByteBuffer buffer = ByteBuffer.wrap(wal);
        int pageSize = buffer.getInt(8);
        long salts = buffer.getLong(16);
        List<Integer> ends = new ArrayList<>();
        for (int frame = WAL_HEADER; frame + FRAME_HEADER + pageSize <= wal.length; frame += FRAME_HEADER + pageSize) {
            if (buffer.getLong(frame + 8) != salts) {
                break;
            }
            if (buffer.getInt(frame + 4) != 0) {
                ends.add(frame + FRAME_HEADER + pageSize);
            }
        }
        return ends;
    }

    /** Envelope seqs and capability counters (envelopes deposited) as one snapshot of the file has them. */
    private record State(Set<Long> seqs, Map<String, Long> counters) {
        static State read(Path copy) throws SQLException {
            Set<Long> seqs = new HashSet<>();
            Map<String, Long> counters = new HashMap<>();
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + copy);
                 Statement query = db.createStatement()) {
                try (ResultSet rows = query.executeQuery("SELECT seq FROM envelopes")) {
                    while (rows.next()) {
                        seqs.add(rows.getLong(1));
                    }
                }
                if (hasCounters(query)) {
                    try (ResultSet rows = query.executeQuery("SELECT hex(cap_id), sum(envelopes) FROM capability_days"
                            + " GROUP BY cap_id")) {
                        while (rows.next()) {
                            counters.put(rows.getString(1).toLowerCase(), rows.getLong(2));
                        }
                    }
                }
            }
            return new State(seqs, counters);
        }
    }

    /** Whether the file keeps per-capability counters at all (since the fix of review22a it keeps none). */
    private static boolean hasCounters(Statement query) throws SQLException {
        try (ResultSet rows = query.executeQuery(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'capability_days'")) {
            return rows.next();
        }
    }
}
