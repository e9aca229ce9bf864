package dev.parley.app.engine.api;

import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.util.Optional;

/**
 * Our own mailbox as the engine knows it now.
 *
 * @param mailbox   the mailbox's PeerId; empty when we have none
 * @param pairedAt  when we paired with it
 * @param connected whether we are watching it now (what it holds reaches us as it arrives)
 * @param fetched   how many envelopes it brought us since the engine started
 * @param usage     what it holds for us and its quotas, as it last said (empty until it was asked)
 */
public record MailboxStatus(Optional<PeerId> mailbox, Optional<Instant> pairedAt, boolean connected, long fetched,
                            Optional<Usage> usage) {
    /** No mailbox. */
    public static final MailboxStatus NONE = new MailboxStatus(Optional.empty(), Optional.empty(), false, 0,
            Optional.empty());

    /**
     * What a mailbox holds for us: envelopes and bytes, against the quotas it gave us, and how long it keeps them.
     */
    public record Usage(long envelopes, long bytes, long maxEnvelopes, long maxBytes, int retentionDays) {
    }
}
