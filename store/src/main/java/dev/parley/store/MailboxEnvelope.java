package dev.parley.store;

import java.time.Instant;

/**
 * An envelope a mailbox holds for its owner, as the owner fetches it: its number (rising, never reused), the
 * envelope as deposited, and the hour it was deposited in (the mailbox keeps no finer time).
 */
public record MailboxEnvelope(long seq, byte[] envelope, Instant depositedHour) {
}
