package dev.parley.transport;

import java.time.Duration;

/**
 * How long a peer may keep one of our protocol exchanges waiting for its next message: a read deadline on the
 * stream, set before the read and cleared (or the stream done with) after it, so a peer that opens a stream and
 * goes silent holds it no longer than this (transport/README.md, "Memory and deadlines"). Each applies to both
 * ends of its protocol: the handler reading a request and the requester reading the answer.
 *
 * @param identify the identify answer we asked for, and an identify push a peer opened a stream for
 * @param autoNat  an AutoNAT dial request a peer opened a stream for, and the answer to ours; the answer comes only
 *                 after the server's dial-backs, so this must exceed their timeout (ours: 10 s)
 * @param relay    a circuit relay hop or stop message: a peer's request to the relay or to us, the relay's answer to
 *                 ours, a target's answer to the relay's stop; cleared once a circuit is up, since it then carries a
 *                 connection that may rightly be quiet
 */
public record ProtocolDeadlines(Duration identify, Duration autoNat, Duration relay) {
    public ProtocolDeadlines {
        for (Duration deadline : new Duration[] {identify, autoNat, relay}) {
            if (!deadline.isPositive()) {
                throw new IllegalArgumentException("protocol deadlines must be positive: identify " + identify
                        + ", AutoNAT " + autoNat + ", relay " + relay);
            }
        }
    }

    /**
     * Identify 10 s: js-libp2p gives the whole exchange 5 s, go-libp2p 60 s; the answer is one message under 8 KiB,
     * written at once, so 10 s is for slow links (a relayed one among them). AutoNAT 30 s, js-libp2p's timeout for
     * both ends of its exchange, well above the 10 s a server spends on dial-backs. Relay 30 s, js-libp2p's hop and
     * stop timeouts and go-libp2p's connect timeout.
     */
    public static ProtocolDeadlines defaults() {
        return new ProtocolDeadlines(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    /** The same deadline for every protocol, e.g. a test's short one. */
    public static ProtocolDeadlines all(Duration deadline) {
        return new ProtocolDeadlines(deadline, deadline, deadline);
    }
}
