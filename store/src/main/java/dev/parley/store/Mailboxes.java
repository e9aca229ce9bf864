package dev.parley.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Delivery through mailboxes, as this profile keeps it: the mailbox we own (if paired), the capability we minted for
 * each contact to deposit there, and the capabilities contacts gave us to theirs. The capabilities' contents are the
 * app's: the store keeps their bytes.
 */
public final class Mailboxes {
    private final Database database;

    Mailboxes(Database database) {
        this.database = database;
    }

    /** The mailbox we own, if we paired with one. */
    public Optional<OwnMailbox> own() {
        return database.read(session -> session.first(
                "SELECT mailbox, addresses, owner_key, paired_at FROM own_mailbox WHERE id = 1",
                row -> new OwnMailbox(row.getString("mailbox"), row.getBytes("addresses"), row.getBytes("owner_key"),
                        SqliteSession.instant(row, "paired_at"))));
    }

    /**
     * Makes {@code mailbox} the one we own. The good capabilities minted before, for another mailbox or under another
     * key, are void: they are forgotten (the mailbox they named forgot them with our pairing, or the new key voids
     * them), and contacts are given new ones. Those withdrawn and not yet revoked stay, to be revoked.
     */
    public void pair(OwnMailbox mailbox) {
        Check.present("mailbox", mailbox);
        database.write(session -> {
            session.update("DELETE FROM own_mailbox");
            session.update("INSERT INTO own_mailbox (id, mailbox, addresses, owner_key, paired_at) VALUES (1, ?, ?, ?, ?)",
                    mailbox.mailbox(), mailbox.addresses(), mailbox.ownerKey(), mailbox.pairedAt());
            session.update("DELETE FROM mailbox_grants_given WHERE revoked_at IS NULL");
            return null;
        });
    }

    /**
     * We own no mailbox any more; every capability minted for it is forgotten with it, but those withdrawn and not
     * yet revoked: a mailbox that never heard us leave still takes them, and pairing with it again revokes them.
     */
    public void unpair() {
        database.write(session -> {
            session.update("DELETE FROM own_mailbox");
            session.update("DELETE FROM mailbox_grants_given WHERE revoked_at IS NULL");
            return null;
        });
    }

    /** The newest capability minted for {@code contact} that it still holds (not withdrawn), if any. */
    public Optional<GivenGrant> given(String contact) {
        Check.id("contact", contact);
        return database.read(session -> session.first("SELECT " + GIVEN_COLUMNS + " FROM mailbox_grants_given"
                + " WHERE contact = ? AND revoked_at IS NULL ORDER BY granted_at DESC LIMIT 1", Mailboxes::readGiven,
                contact));
    }

    /**
     * Records a capability minted for the grant's contact. One minted before for the same contact stays as it is:
     * good (a new key voided it anyway), or waiting to be revoked.
     */
    public void give(GivenGrant grant) {
        Check.present("grant", grant);
        database.write(session -> session.update(
                "INSERT INTO mailbox_grants_given (cap_id, contact, mailbox, granted_at, revoked_at) VALUES (?, ?, ?, ?, ?)",
                grant.capId(), grant.contact(), grant.mailbox(), grant.grantedAt(), grant.revokedAt().orElse(null)));
    }

    /** The contact loses every capability it holds: each waits to be revoked at the mailbox ({@link #toRevoke}). */
    public void withdraw(String contact, Instant at) {
        Check.id("contact", contact);
        Instant revokedAt = Check.time("revoked at", at);
        database.write(session -> session.update(
                "UPDATE mailbox_grants_given SET revoked_at = ? WHERE contact = ? AND revoked_at IS NULL",
                revokedAt, contact));
    }

    /** The capabilities withdrawn and not yet revoked at the mailbox, oldest first. */
    public List<GivenGrant> toRevoke() {
        return database.read(session -> session.list("SELECT " + GIVEN_COLUMNS
                + " FROM mailbox_grants_given WHERE revoked_at IS NOT NULL ORDER BY revoked_at", Mailboxes::readGiven));
    }

    /** The mailbox revoked these capabilities: they are forgotten. */
    public void revoked(List<GivenGrant> grants) {
        database.write(session -> {
            for (GivenGrant grant : grants) {
                session.update("DELETE FROM mailbox_grants_given WHERE cap_id = ? AND revoked_at IS NOT NULL",
                        grant.capId());
            }
            return null;
        });
    }

    /** The capability {@code contact} gave us to its mailbox, if it gave one. */
    public Optional<byte[]> held(String contact) {
        Check.id("contact", contact);
        return database.read(session -> session.first(
                "SELECT capability FROM mailbox_grants_held WHERE contact = ?", row -> row.getBytes(1), contact));
    }

    /** When {@code contact} gave us the capability we hold, by its own clock, as {@link #hold} was told. */
    public Optional<Instant> heldGrantedAt(String contact) {
        Check.id("contact", contact);
        return database.read(session -> session.first(
                "SELECT received_at FROM mailbox_grants_held WHERE contact = ?",
                row -> SqliteSession.instant(row, "received_at"), contact));
    }

    /**
     * Keeps the capability {@code contact} gave us, replacing any before; {@code at} is when the contact gave it, by
     * its own clock (kept in {@code received_at}), so that a grant served late can be told from a newer one.
     */
    public void hold(String contact, byte[] capability, Instant at) {
        Check.id("contact", contact);
        byte[] kept = Check.present("capability", capability).clone();
        Instant receivedAt = Check.time("received at", at);
        database.write(session -> session.update("""
                INSERT INTO mailbox_grants_held (contact, capability, received_at) VALUES (?, ?, ?)
                ON CONFLICT (contact) DO UPDATE SET capability = excluded.capability, received_at = excluded.received_at""",
                contact, kept, receivedAt));
    }

    /** Forgets the capability {@code contact} gave us (it has no mailbox any more, or we blocked it). */
    public void dropHeld(String contact) {
        Check.id("contact", contact);
        database.write(session -> session.update("DELETE FROM mailbox_grants_held WHERE contact = ?", contact));
    }

    private static final String GIVEN_COLUMNS = "contact, mailbox, cap_id, granted_at, revoked_at";

    private static GivenGrant readGiven(ResultSet row) throws SQLException {
        return new GivenGrant(row.getString("contact"), row.getString("mailbox"), row.getBytes("cap_id"),
                SqliteSession.instant(row, "granted_at"),
                Optional.ofNullable(SqliteSession.instant(row, "revoked_at")));
    }
}
