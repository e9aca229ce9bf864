package dev.parley.transport;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multistream.MultistreamSelect;
import dev.parley.transport.noise.NoiseHandshake;
import dev.parley.transport.noise.SecureChannel;
import dev.parley.transport.spi.RawConnection;
import dev.parley.transport.yamux.YamuxConfig;
import dev.parley.transport.yamux.YamuxSession;
import dev.parley.transport.yamux.YamuxStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link RawConnection} into a {@link Connection}: multistream-select picks {@code /noise}, Noise XX
 * authenticates the peer and encrypts, multistream-select picks {@code /yamux/1.0.0} inside the secure
 * channel, and Yamux multiplexes streams over it.
 */
final class ConnectionUpgrader {
    private static final Logger log = LoggerFactory.getLogger(ConnectionUpgrader.class);
    /**
     * Buffer size on the raw connection. Small, because it only saves system calls while multistream-select
     * reads byte by byte: Noise reads and writes whole frames in buffers of its own, which a read this size or
     * larger bypasses. Every connection holds two.
     */
    private static final int IO_BUFFER = 8 * 1024;

    private final Ed25519PrivateKey identity;
    private final ResourceLimits limits;
    private final YamuxConfig muxerConfig;
    private final ScheduledExecutorService timer;

    ConnectionUpgrader(Ed25519PrivateKey identity, ResourceLimits limits, ScheduledExecutorService timer) {
        this.identity = identity;
        this.limits = limits;
        this.timer = timer;
        YamuxConfig defaults = YamuxConfig.defaults();
        this.muxerConfig = new YamuxConfig(defaults.initialWindow(), limits.maxStreamWindow(),
                limits.maxInboundStreams(), limits.maxStreamWindow(), defaults.keepAliveInterval(),
                defaults.pingTimeout());
    }

    /**
     * Upgrades a raw connection. {@code expectedPeer} (outbound only, may be null) must match the peer Noise
     * authenticates. {@code inboundStreams} receives each stream the remote opens, on its own virtual thread.
     * The raw connection is closed if the upgrade fails or takes longer than the limit allows, or, inbound, if the
     * remote sends nothing within the first-byte timeout: a dialler speaks at once, so a silent socket is an
     * attacker's or a dead one, and need not hold its handshake slot for the whole upgrade timeout.
     */
    Connection upgrade(RawConnection raw, Direction direction, PeerId expectedPeer,
                       BiConsumer<Connection, YamuxStream> inboundStreams) throws IOException {
        AtomicBoolean timedOut = new AtomicBoolean();
        AtomicBoolean silent = new AtomicBoolean();
        AtomicBoolean spoke = new AtomicBoolean();
        ScheduledFuture<?> deadline;
        ScheduledFuture<?> firstByteDeadline = null;
        try {
            deadline = timer.schedule(() -> {
                timedOut.set(true);
                closeQuietly(raw);
            }, limits.upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (direction == Direction.INBOUND) {
                firstByteDeadline = timer.schedule(() -> {
                    if (!spoke.get()) {
                        silent.set(true);
                        closeQuietly(raw);
                    }
                }, limits.inbound().firstByteTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException hostClosing) {
            closeQuietly(raw);
            throw new IOException("host is closed");
        }
        try {
            InputStream in = new BufferedInputStream(new FirstByteWatch(raw.in(), spoke), IO_BUFFER);
            OutputStream out = new BufferedOutputStream(raw.out(), IO_BUFFER);
            boolean initiator = direction == Direction.OUTBOUND;

            negotiate(in, out, initiator, NoiseHandshake.PROTOCOL_ID);
            SecureChannel channel = initiator
                    ? NoiseHandshake.initiate(in, out, identity, expectedPeer)
                    : NoiseHandshake.respond(in, out, identity);
            negotiate(channel.in(), channel.out(), initiator, YamuxSession.PROTOCOL_ID);
            if (!deadline.cancel(false)) {
                throw new IOException("upgrade took longer than " + limits.upgradeTimeout());
            }

            Connection connection = new Connection(channel.remotePeer(), raw.localAddress(), raw.remoteAddress(),
                    direction, raw.relayLimit());
            YamuxSession session = new YamuxSession(channel.in(), channel.out(), initiator, muxerConfig,
                    stream -> inboundStreams.accept(connection, stream));
            connection.attach(session);
            return connection;
        } catch (IOException | RuntimeException e) {
            deadline.cancel(false);
            closeQuietly(raw);
            if (timedOut.get()) {
                throw new IOException("upgrade of " + raw + " did not finish within " + limits.upgradeTimeout(), e);
            }
            if (silent.get()) {
                throw new IOException(raw + " sent nothing within " + limits.inbound().firstByteTimeout(), e);
            }
            throw e;
        } finally {
            if (firstByteDeadline != null) {
                firstByteDeadline.cancel(false);
            }
        }
    }

    /** Notes that the remote has sent something. */
    private static final class FirstByteWatch extends FilterInputStream {
        private final AtomicBoolean spoke;

        FirstByteWatch(InputStream in, AtomicBoolean spoke) {
            super(in);
            this.spoke = spoke;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                spoke.set(true);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int count = super.read(buffer, offset, length);
            if (count > 0) {
                spoke.set(true);
            }
            return count;
        }
    }

    private static void closeQuietly(RawConnection raw) {
        try {
            raw.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", raw, e.getMessage());
        }
    }

    private static void negotiate(InputStream in, OutputStream out, boolean initiator, String protocol)
            throws IOException {
        if (initiator) {
            MultistreamSelect.select(in, out, List.of(protocol));
        } else {
            MultistreamSelect.respond(in, out, protocol::equals, () -> List.of(protocol));
        }
    }
}
