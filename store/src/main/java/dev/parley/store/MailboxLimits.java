package dev.parley.store;

import java.time.Duration;

/**
 * What a mailbox holds at most. Per owner, the live envelopes (count and bytes); per capability, what it deposited
 * within the retention window (count and bytes), counted per day; envelopes older than {@code retention} go; at
 * most {@code maxRevoked} revoked capability ids per owner, beyond which the owner rekeys.
 */
public record MailboxLimits(long ownerMaxEnvelopes, long ownerMaxBytes, long capabilityMaxEnvelopes,
                            long capabilityMaxBytes, Duration retention, int maxRevoked) {
    /** The defaults of {@code parley mailbox} (app/README.md, "Mailbox"). */
    public static MailboxLimits defaults() {
        return new MailboxLimits(10_000, 64L << 20, 1_000, 8L << 20, Duration.ofDays(14), 4_096);
    }

    public MailboxLimits {
        if (retention.toDays() < 1) {
            throw new IllegalArgumentException("a mailbox keeps envelopes at least a day, not " + retention);
        }
    }

    /** The retention in whole days: the capability counters' window. */
    public int retentionDays() {
        return (int) retention.toDays();
    }
}
