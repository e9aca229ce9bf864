package dev.parley.transport.yamux;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timings of a Yamux session. {@link #defaults()} follows go-libp2p's defaults (transport/README.md, "Packages").
 *
 * @param initialWindow        receive window a stream starts with; at least the spec's 256 KiB, and anything
 *                             above it is announced in the SYN or ACK window update
 * @param maxWindow            receive windows are never auto-tuned above this, and a peer granting us more send
 *                             window than this on a stream is breaking the protocol
 * @param maxInboundStreams    streams the peer may have open at once; a SYN beyond it is answered with RST
 * @param maxBufferedPerStream unread bytes a stream may hold; caps the receive window like {@code maxWindow}
 * @param keepAliveInterval    time between keep-alive pings, {@link Duration#ZERO} for none (one ping still
 *                             measures the round trip the window auto-tuning needs)
 * @param pingTimeout          how long a ping waits for its answer
 */
public record YamuxConfig(int initialWindow, int maxWindow, int maxInboundStreams, int maxBufferedPerStream,
                          Duration keepAliveInterval, Duration pingTimeout) {
    /** The window both sides assume for a new stream, fixed by the spec. */
    public static final int SPEC_INITIAL_WINDOW = 256 * 1024;

    public YamuxConfig {
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        Objects.requireNonNull(pingTimeout, "pingTimeout");
        if (initialWindow < SPEC_INITIAL_WINDOW) {
            throw new IllegalArgumentException("yamux initial window " + initialWindow
                    + " is below the spec's " + SPEC_INITIAL_WINDOW + " bytes");
        }
        if (maxWindow < initialWindow) {
            throw new IllegalArgumentException("yamux max window " + maxWindow
                    + " is below the initial window " + initialWindow);
        }
        if (maxBufferedPerStream < initialWindow) {
            throw new IllegalArgumentException("yamux max buffered per stream " + maxBufferedPerStream
                    + " is below the initial window " + initialWindow);
        }
        if (maxInboundStreams < 0) {
            throw new IllegalArgumentException("yamux max inbound streams " + maxInboundStreams + " is negative");
        }
        if (keepAliveInterval.isNegative() || !pingTimeout.isPositive()) {
            throw new IllegalArgumentException("yamux keep-alive interval " + keepAliveInterval
                    + " must not be negative and ping timeout " + pingTimeout + " must be positive");
        }
    }

    public static YamuxConfig defaults() {
        return new YamuxConfig(SPEC_INITIAL_WINDOW, 16 * 1024 * 1024, 256, 16 * 1024 * 1024,
                Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    public YamuxConfig withMaxInboundStreams(int streams) {
        return new YamuxConfig(initialWindow, maxWindow, streams, maxBufferedPerStream, keepAliveInterval,
                pingTimeout);
    }

    public YamuxConfig withKeepAliveInterval(Duration interval) {
        return new YamuxConfig(initialWindow, maxWindow, maxInboundStreams, maxBufferedPerStream, interval,
                pingTimeout);
    }

    /** The most a receive window may grow to. */
    long receiveWindowLimit() {
        return Math.min(maxWindow, maxBufferedPerStream);
    }
}
