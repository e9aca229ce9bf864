package dev.parley.store;

import java.sql.SQLException;

/**
 * Version 18: what delivery through mailboxes needs kept (app/README.md, "Mailboxes in the engine"). {@code
 * own_mailbox} is the mailbox this profile owns, if paired (at most one row: its PeerId, its addresses as the app
 * encodes them, and the owner key K that mints capabilities); {@code mailbox_grants_given} the capabilities minted for
 * contacts (each one's id, so that it can be revoked, and when its contact lost it: a contact blocked and accepted
 * again while the mailbox is away has an old one to revoke and a new one); {@code mailbox_grants_held} the
 * capability each contact gave us to its own mailbox, opaque to the store; {@code carried} the letters we keep for
 * contacts as a carrier (sealed to their recipient, who is one of our contacts; with the contact who gave them, so
 * that blocking it drops them), until we hand them over. An outbox entry whose envelope was left in
 * the recipient's mailbox says where ({@code held_by}) and since when ({@code held_at}); it stays in the outbox until
 * the recipient acknowledges it, directly or by a receipt.
 */
final class V18MailboxDelivery implements Migration {
    @Override
    public int version() {
        return 18;
    }

    @Override
    public void apply(SqliteSession session) throws SQLException {
        session.execute("ALTER TABLE outbox ADD COLUMN held_by TEXT");
        session.execute("ALTER TABLE outbox ADD COLUMN held_at INTEGER");
        session.execute("""
                CREATE TABLE own_mailbox (
                  id        INTEGER PRIMARY KEY CHECK (id = 1),
                  mailbox   TEXT NOT NULL,
                  addresses BLOB NOT NULL,
                  owner_key BLOB NOT NULL,
                  paired_at INTEGER NOT NULL
                )""");
        session.execute("""
                CREATE TABLE mailbox_grants_given (
                  cap_id     BLOB PRIMARY KEY,
                  contact    TEXT NOT NULL,
                  mailbox    TEXT NOT NULL,
                  granted_at INTEGER NOT NULL,
                  revoked_at INTEGER
                ) WITHOUT ROWID""");
        session.execute("CREATE INDEX mailbox_grants_by_contact ON mailbox_grants_given (contact, granted_at)");
        session.execute("""
                CREATE TABLE mailbox_grants_held (
                  contact     TEXT PRIMARY KEY,
                  capability  BLOB NOT NULL,
                  received_at INTEGER NOT NULL
                ) WITHOUT ROWID""");
        session.execute("""
                CREATE TABLE carried (
                  seq       INTEGER PRIMARY KEY,
                  recipient TEXT NOT NULL,
                  giver     TEXT NOT NULL,
                  letter    BLOB NOT NULL,
                  held_at   INTEGER NOT NULL
                )""");
        session.execute("CREATE INDEX carried_by_recipient ON carried (recipient, seq)");
    }
}
