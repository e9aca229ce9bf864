package dev.parley.store;

import java.time.Instant;
import java.util.Optional;

/** What a mailbox holds for one owner: live envelopes and their bytes, the oldest one's hour, revoked capabilities. */
public record MailboxOwnerStatus(long envelopes, long bytes, Optional<Instant> oldestHour, int revoked) {
}
