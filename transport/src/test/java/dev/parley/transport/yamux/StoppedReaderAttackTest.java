package dev.parley.transport.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.memory.MemorySnapshot;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multistream.MultistreamSelect;
import dev.parley.transport.noise.NoiseHandshake;
import dev.parley.transport.noise.SecureChannel;
import dev.parley.transport.ping.PingService;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stranger that stops reading its connection once our writes fill the socket: the keep-alive closes the
 * connection, and its streams and buffers are released.
 *
 * <p>transport/README.md, "Memory and deadlines", promises: "nothing waits on a peer for ever"; "a peer that stops
 * reading the connection at all: the keep-alive ping (every 30 s) unanswered for 10 s → connection closed"; "a write
 * waiting for the peer to grant window: 30 s → stream reset, buffers released, handler freed"; and PingService says
 * its echo writes wait "at most the stall timeout for the dialer to read".
 *
 * <p>The stranger answers the session's first ping (the round-trip measurement) and then reads nothing. It opens 64
 * ping streams, each with 240 KiB of pings (within the window, so no flow-control wait is involved), and then sends
 * Yamux pings. The echoes fill the TCP socket, so every writer blocks in the socket write under
 * FrameWriter's lock, which has no deadline; the ping answers fill ControlSender's queue of 1024; the session's
 * reader then blocks in ControlSender.send. The keep-alive must still fail within its timeout (it queued its ping
 * there with no time limit, and blocked for ever), and closing the session must not flush into the full socket:
 * until both held, nothing ever closed the connection, and 64 handlers and 16 MiB of receive buffers stayed.
 */
@Timeout(240)
class StoppedReaderAttackTest {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final int STREAMS = 64;
    private static final int PER_STREAM = 240 * 1024;
    private static final int MIB = 1024 * 1024;

    private Host server;
    private Socket socket;

    @AfterEach
    void stop() throws IOException {
        if (socket != null) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aStrangerThatStopsReadingIsClosedByTheKeepAliveAndItsStreamsFreed() throws Exception {
        server = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        new PingService(server);
        Multiaddr address = server.listen(LOOPBACK).withPeerId(server.peerId());
        MemorySnapshot baseline = server.memory().snapshot();

        socket = new Socket();
        socket.setReceiveBufferSize(4096);   // a small window at our end: the host's socket fills sooner
        socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 8, 1}), 0));
        socket.connect(address.toSocketAddress(), 10_000);
        InputStream rawIn = new BufferedInputStream(socket.getInputStream());
        OutputStream rawOut = new BufferedOutputStream(socket.getOutputStream());
        MultistreamSelect.select(rawIn, rawOut, List.of(NoiseHandshake.PROTOCOL_ID));
        SecureChannel channel = NoiseHandshake.initiate(rawIn, rawOut, Ed25519PrivateKey.generate(),
                address.peerId().orElseThrow());
        MultistreamSelect.select(channel.in(), channel.out(), List.of(YamuxSession.PROTOCOL_ID));
        long connectedAt = System.nanoTime();
        InputStream in = channel.in();
        OutputStream out = channel.out();

        // Answer the host's first ping (its round-trip measurement), so the keep-alive has no reason to close us...
        byte[] header = new byte[FrameHeader.LENGTH];
        while (true) {
            in.readNBytes(header, 0, FrameHeader.LENGTH);
            FrameHeader frame = FrameHeader.decode(header, 0);
            if (frame.type() == FrameType.DATA) {
                in.skipNBytes(frame.length());
            }
            if (frame.type() == FrameType.PING && frame.has(FrameHeader.SYN)) {
                write(out, FrameHeader.ping(FrameHeader.ACK, (int) frame.length()), new byte[0]);
                break;
            }
        }
        // ...and from here on read nothing at all.

        // From another thread, as the host may stop reading us at any point: 64 ping streams with 240 KiB of
        // pings each, then Yamux pings, which the reader must answer through the control queue, until the host
        // stops reading us altogether.
        byte[] negotiation = HostileClient.negotiation(PingService.PROTOCOL_ID);
        AtomicLong pingsSent = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        Thread flooder = Thread.ofVirtual().start(() -> {
            try {
                for (int s = 0; s < STREAMS; s++) {
                    int id = 1 + 2 * s;
                    write(out, FrameHeader.data(id, FrameHeader.SYN, negotiation.length), negotiation);
                    writes.incrementAndGet();
                    byte[] chunk = new byte[16 * 1024];
                    for (int sent = 0; sent < PER_STREAM; sent += chunk.length) {
                        write(out, FrameHeader.data(id, 0, chunk.length), chunk);
                        writes.incrementAndGet();
                    }
                }
                byte[] batch = new byte[1000 * FrameHeader.LENGTH];
                for (int i = 0; i < 1000; i++) {
                    FrameHeader.ping(FrameHeader.SYN, i).encode(batch, i * FrameHeader.LENGTH);
                }
                while (true) {
                    out.write(batch);
                    out.flush();
                    pingsSent.addAndGet(1000);
                    writes.incrementAndGet();
                }
            } catch (IOException e) {
                // the socket closed: the host ended the connection, or the test did
            }
        });
        long last = -1;
        long stillSince = System.nanoTime();
        while (System.nanoTime() - stillSince < Duration.ofSeconds(3).toNanos()) {
            Thread.sleep(250);
            long now = writes.get();
            if (now != last) {
                last = now;
                stillSince = System.nanoTime();
            }
        }
        long stalledAt = System.nanoTime();

        // The keep-alive pings 30 s after connecting and gives up 10 s later; the stall deadline is 30 s.
        long deadline = Math.max(connectedAt + Duration.ofSeconds(30 + 10 + 15).toNanos(),
                stalledAt + Duration.ofSeconds(30 + 15).toNanos());
        MemorySnapshot after = server.memory().snapshot();
        while (!(server.connections().isEmpty() && after.streams() == baseline.streams()
                && after.reservedBytes() == baseline.reservedBytes())) {
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(100);
            after = server.memory().snapshot();
        }
        assertThat(server.connections()).as("the stranger's connection, %d s after it stopped reading (%d pings"
                + " sent)", (System.nanoTime() - stalledAt) / 1_000_000_000L, pingsSent.get()).isEmpty();
        assertThat(after.streams()).as("stream scopes held").isEqualTo(baseline.streams());
        assertThat(after.reservedBytes()).as("bytes reserved").isEqualTo(baseline.reservedBytes());
        flooder.interrupt();
    }

    private static void write(OutputStream out, FrameHeader frame, byte[] payload) throws IOException {
        byte[] bytes = new byte[FrameHeader.LENGTH];
        frame.encode(bytes, 0);
        out.write(bytes);
        out.write(payload);
        out.flush();
    }
}
