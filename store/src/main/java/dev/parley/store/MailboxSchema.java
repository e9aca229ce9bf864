package dev.parley.store;

import java.sql.SQLException;
import java.util.List;

/**
 * The steps of a mailbox's own database ({@link MailboxStore}), apart from the history's {@link Schema}: a mailbox
 * file holds none of a profile's tables, and a profile's file none of these.
 */
final class MailboxSchema {
    static final List<Migration> MIGRATIONS = List.of(new V1Mailbox());

    private MailboxSchema() {
    }

    /**
     * Version 1: {@code settings} (the pairing secret), {@code owners} (each owner's key and its live totals, kept
     * in step with its envelopes so a deposit reads one row; the other tables name an owner by its row's small
     * {@code id}, not its 52-character PeerId, which would cost each envelope and its indexes some 150 bytes),
     * {@code revoked} capability ids, and {@code envelopes} (opaque, unique per owner by SHA-256, numbered by a
     * never-reused {@code seq}; the hour of deposit only). Nothing in the file says which capability deposited what:
     * the capabilities' quota counters live in memory only ({@link CapabilityDays}). Everything of an owner goes with
     * it ({@code ON DELETE CASCADE}).
     */
    static final class V1Mailbox implements Migration {
        @Override
        public int version() {
            return 1;
        }

        @Override
        public void apply(SqliteSession session) throws SQLException {
            session.execute("""
                    CREATE TABLE settings (
                      name  TEXT PRIMARY KEY,
                      value BLOB NOT NULL
                    ) WITHOUT ROWID""");
            session.execute("""
                    CREATE TABLE owners (
                      id         INTEGER PRIMARY KEY,
                      peer       TEXT NOT NULL UNIQUE,
                      owner_key  BLOB NOT NULL,
                      paired_at  INTEGER NOT NULL,
                      live_count INTEGER NOT NULL DEFAULT 0,
                      live_bytes INTEGER NOT NULL DEFAULT 0
                    )""");
            session.execute("""
                    CREATE TABLE revoked (
                      owner  INTEGER NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
                      cap_id BLOB NOT NULL,
                      PRIMARY KEY (owner, cap_id)
                    ) WITHOUT ROWID""");
            session.execute("""
                    CREATE TABLE envelopes (
                      seq            INTEGER PRIMARY KEY AUTOINCREMENT,
                      owner          INTEGER NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
                      digest         BLOB NOT NULL,
                      deposited_hour INTEGER NOT NULL,
                      size           INTEGER NOT NULL,
                      envelope       BLOB NOT NULL,
                      UNIQUE (owner, digest)
                    )""");
            session.execute("CREATE INDEX envelopes_by_owner ON envelopes (owner, seq)");
            session.execute("CREATE INDEX envelopes_by_age ON envelopes (deposited_hour)");
        }
    }
}
