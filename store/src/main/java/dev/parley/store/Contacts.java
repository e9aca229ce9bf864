package dev.parley.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Peers the user knows of: accepted contacts, first-contact requests and blocked peers. */
public final class Contacts {
    static final String COLUMNS = "peer_id, display_name, hpke_public_key, card, state, added_at, last_seen";

    private final Database database;

    Contacts(Database database) {
        this.database = database;
    }

    /**
     * Stores a contact, or updates the stored one (name, key, card, state; the last-seen time only when the new
     * one has one). The time it was first added is kept.
     */
    public void put(Contact contact) {
        database.write(session -> session.update("INSERT INTO contacts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (peer_id) DO UPDATE SET display_name = excluded.display_name,"
                        + " hpke_public_key = excluded.hpke_public_key, card = excluded.card, state = excluded.state,"
                        + " last_seen = coalesce(excluded.last_seen, last_seen)",
                contact.peerId(), contact.displayName(), contact.hpkePublicKey(), contact.card(), contact.state(),
                contact.addedAt(), contact.lastSeen()));
    }

    public Optional<Contact> get(String peerId) {
        return database.read(session -> find(session, peerId));
    }

    /** The peers in {@code state}, by display name. */
    public List<Contact> list(ContactState state) {
        return database.read(session -> session.list("SELECT " + COLUMNS + " FROM contacts WHERE state = ?"
                + " ORDER BY display_name COLLATE NOCASE, peer_id", Contacts::read, state));
    }

    /** Accepts, blocks or (back to) requests a peer. @throws NotFoundException when the peer is not stored */
    public void setState(String peerId, ContactState state) {
        Check.present("contact state", state);
        updateExisting(peerId, "UPDATE contacts SET state = ? WHERE peer_id = ?", state);
    }

    /** Records when the peer was last connected. @throws NotFoundException when the peer is not stored */
    public void setLastSeen(String peerId, Instant lastSeen) {
        updateExisting(peerId, "UPDATE contacts SET last_seen = ? WHERE peer_id = ?",
                Check.time("last seen", lastSeen));
    }

    /**
     * Raises the count of the peer's messages dropped while it was a request to {@code total} (never lowers it: the
     * engine counts in memory and writes the count now and then, from more than one thread).
     *
     * @throws NotFoundException when the peer is not stored
     */
    public void setDroppedMessages(String peerId, long total) {
        if (total < 0) {
            throw new InvalidInputException("dropped messages must not be negative: " + total);
        }
        updateExisting(peerId, "UPDATE contacts SET dropped_messages = max(dropped_messages, ?) WHERE peer_id = ?",
                total);
    }

    /** How many of the peer's messages were dropped while it was a request; 0 for a peer not stored. */
    public long droppedMessages(String peerId) {
        return database.read(session -> session.first("SELECT dropped_messages FROM contacts WHERE peer_id = ?",
                row -> row.getLong(1), peerId)).orElse(0L);
    }

    /**
     * Records that the contact was reachable at these multiaddrs (text form) at {@code seen}, as it said itself
     * (identify) or discovery found it: they are its own addresses from now on, hints among them too. Addresses seen
     * before get the new time; beyond {@link StoreLimits#MAX_ADDRESSES_PER_PEER}, the least recently seen are
     * forgotten.
     *
     * @throws NotFoundException when the peer is not stored
     */
    public void rememberAddresses(String peerId, List<String> multiaddrs, Instant seen) {
        putAddresses(peerId, multiaddrs, seen, false);
    }

    /**
     * Records addresses someone else claims for the contact at {@code given}, such as the ones in an invite code:
     * they are tried, but they are not the contact's word. They go when the contact tells its own
     * ({@link #forgetHints(String)}) or when they are old ({@link #forgetHintsGivenBefore}). An address the contact
     * gave itself stays its own. Hints have a limit of their own, so they never push out the contact's addresses.
     *
     * @throws NotFoundException when the peer is not stored
     */
    public void hintAddresses(String peerId, List<String> multiaddrs, Instant given) {
        putAddresses(peerId, multiaddrs, given, true);
    }

    private void putAddresses(String peerId, List<String> multiaddrs, Instant at, boolean hint) {
        Instant time = Check.time(hint ? "address hint time" : "address seen time", at);
        List<String> addresses = multiaddrs.stream().map(address -> Check.id("multiaddr", address)).toList();
        database.write(session -> {
            require(session, peerId);
            for (String address : addresses) {
                session.update("INSERT INTO peer_addresses (peer_id, multiaddr, last_seen, hint) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (peer_id, multiaddr) DO UPDATE SET last_seen = max(last_seen,"
                        + " excluded.last_seen), hint = min(hint, excluded.hint)", peerId, address, time, hint ? 1 : 0);
            }
            for (int kind : new int[] {0, 1}) {
                session.update("DELETE FROM peer_addresses WHERE peer_id = ? AND hint = ? AND multiaddr NOT IN"
                        + " (SELECT multiaddr FROM peer_addresses WHERE peer_id = ? AND hint = ?"
                        + " ORDER BY last_seen DESC, multiaddr LIMIT ?)",
                        peerId, kind, peerId, kind, StoreLimits.MAX_ADDRESSES_PER_PEER);
            }
            return null;
        });
    }

    /** Forgets the hints for the contact, now that it said where it is; returns them. */
    public List<String> forgetHints(String peerId) {
        return database.write(session -> session.list("DELETE FROM peer_addresses WHERE peer_id = ? AND hint = 1"
                + " RETURNING multiaddr", row -> row.getString(1), peerId));
    }

    /** Forgets every hint given before {@code cutoff} that its contact has not made its own; returns how many. */
    public int forgetHintsGivenBefore(Instant cutoff) {
        Instant time = Check.time("hint cutoff", cutoff);
        return database.write(session -> session.update("DELETE FROM peer_addresses WHERE hint = 1 AND last_seen < ?",
                time));
    }

    /** The contact's remembered multiaddrs, its own most recently seen first, then the hints; none for a stranger. */
    public List<String> addresses(String peerId) {
        return database.read(session -> session.list("SELECT multiaddr FROM peer_addresses WHERE peer_id = ?"
                + " ORDER BY hint, last_seen DESC, multiaddr", row -> row.getString(1), peerId));
    }

    private void updateExisting(String peerId, String sql, Object value) {
        database.write(session -> {
            if (session.update(sql, value, peerId) == 0) {
                throw new NotFoundException(NotFoundException.Entity.CONTACT, peerId);
            }
            return null;
        });
    }

    static void require(SqliteSession session, String peerId) throws SQLException {
        if (find(session, peerId).isEmpty()) {
            throw new NotFoundException(NotFoundException.Entity.CONTACT, peerId);
        }
    }

    static Optional<Contact> find(SqliteSession session, String peerId) throws SQLException {
        return session.first("SELECT " + COLUMNS + " FROM contacts WHERE peer_id = ?", Contacts::read, peerId);
    }

    private static Contact read(ResultSet row) throws SQLException {
        return new Contact(row.getString("peer_id"), row.getString("display_name"), row.getBytes("hpke_public_key"),
                row.getBytes("card"), SqliteSession.enumValue(row, "state", ContactState.class),
                SqliteSession.instant(row, "added_at"), SqliteSession.instant(row, "last_seen"));
    }
}
