package dev.parley.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Letters we carry for contacts (app/README.md, "Contacts who carry"): sealed to their recipient, opaque here, kept
 * until handed over or too old, within a disk quota.
 */
public final class CarriedLetters {
    private final Database database;

    CarriedLetters(Database database) {
        this.database = database;
    }

    /** A letter kept for a recipient, numbered in the order it was taken. */
    public record Carried(long seq, byte[] letter) {
        public Carried {
            letter = Check.present("letter", letter).clone();
        }

        @Override
        public byte[] letter() {
            return letter.clone();
        }
    }

    /**
     * Keeps every one of {@code letters} from {@code giver} for {@code recipient}, or none: none when they would take
     * the letters held past {@code maxBytes} in all, or past {@code maxPerRecipient} for the recipient. Returns whether
     * they were kept, once durable.
     */
    public boolean hold(String recipient, String giver, List<byte[]> letters, Instant at, long maxBytes,
                        int maxPerRecipient) {
        Check.id("recipient", recipient);
        Check.id("giver", giver);
        Instant heldAt = Check.time("held at", at);
        List<byte[]> kept = letters.stream().map(letter -> Check.present("letter", letter).clone()).toList();
        long adding = kept.stream().mapToLong(letter -> letter.length).sum();
        return database.write(session -> {
            long bytes = session.number("SELECT ifnull(sum(length(letter)), 0) FROM carried");
            long forRecipient = session.number("SELECT count(*) FROM carried WHERE recipient = ?", recipient);
            if (bytes + adding > maxBytes || forRecipient + kept.size() > maxPerRecipient) {
                return false;
            }
            for (byte[] letter : kept) {
                session.update("INSERT INTO carried (recipient, giver, letter, held_at) VALUES (?, ?, ?, ?)",
                        recipient, giver, letter, heldAt);
            }
            return true;
        });
    }

    /** The oldest letters kept for {@code recipient}, at most {@code limit} and about {@code maxBytes}. */
    public List<Carried> forRecipient(String recipient, int limit, long maxBytes) {
        Check.id("recipient", recipient);
        Check.limit(limit);
        List<Carried> all = database.read(session -> session.list("SELECT seq, letter FROM carried WHERE recipient = ?"
                + " ORDER BY seq LIMIT ?", row -> new Carried(row.getLong(1), row.getBytes(2)), recipient, limit));
        List<Carried> batch = new ArrayList<>();
        long bytes = 0;
        for (Carried carried : all) {
            if (!batch.isEmpty() && bytes + carried.letter().length > maxBytes) {
                break;
            }
            batch.add(carried);
            bytes += carried.letter().length;
        }
        return batch;
    }

    /** The recipients we keep letters for. */
    public List<String> recipients() {
        return database.read(session -> session.list("SELECT DISTINCT recipient FROM carried ORDER BY recipient",
                row -> row.getString(1)));
    }

    /** The recipient has these letters: they go, for good. */
    public void handedOver(List<Long> seqs) {
        database.write(session -> {
            for (long seq : seqs) {
                session.update("DELETE FROM carried WHERE seq = ?", seq);
            }
            return null;
        });
    }

    /** Drops what was kept for {@code peer} and what {@code peer} gave (blocked); returns how many. */
    public int dropFor(String peer) {
        Check.id("peer", peer);
        return database.write(session -> session.update("DELETE FROM carried WHERE recipient = ? OR giver = ?", peer,
                peer));
    }

    /** Drops letters kept since before {@code before}; returns how many. */
    public int expire(Instant before) {
        Instant limit = Check.time("before", before);
        return database.write(session -> session.update("DELETE FROM carried WHERE held_at < ?", limit));
    }

    /** Bytes of letters kept, for everyone. */
    public long bytes() {
        return database.read(session -> session.number("SELECT ifnull(sum(length(letter)), 0) FROM carried"));
    }
}
