package dev.parley.transport.attack;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multistream.MultistreamSelect;
import dev.parley.transport.noise.NoiseHandshake;
import dev.parley.transport.noise.SecureChannel;
import dev.parley.transport.yamux.YamuxSession;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stranger opening authenticated connections from one loopback address, each under a key made up for it:
 * multistream-select, Noise and the Yamux choice done right, and then holding the connection open without a word.
 * Counts the connections refused before Noise (the node closed the socket without sending a byte) and holds the
 * others until closed.
 */
final class FreshPeerFlood implements AutoCloseable {
    private static final int CONCURRENT_DIALS = 8;

    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refusedBeforeNoise = new AtomicInteger();
    private final AtomicInteger failedOtherwise = new AtomicInteger();

    /** Opens {@code count} connections from {@code from} to {@code server} at {@code target}; returns when done. */
    static FreshPeerFlood run(InetAddress from, InetSocketAddress target, PeerId server, int count)
            throws InterruptedException {
        FreshPeerFlood flood = new FreshPeerFlood();
        try (ExecutorService dials = Executors.newFixedThreadPool(CONCURRENT_DIALS, Thread.ofVirtual().factory())) {
            for (int i = 0; i < count; i++) {
                dials.execute(() -> flood.connect(from, target, server));
            }
            dials.shutdown();
            if (!dials.awaitTermination(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the flood's dials did not finish within 5 minutes: " + flood);
            }
        }
        return flood;
    }

    private void connect(InetAddress from, InetSocketAddress target, PeerId server) {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(target, 10_000);
            socket.setSoTimeout(30_000);
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            in.mark(1);
            if (in.read() < 0) {
                refusedBeforeNoise.incrementAndGet();
                socket.close();
                return;
            }
            in.reset();
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            MultistreamSelect.select(in, out, List.of(NoiseHandshake.PROTOCOL_ID));
            SecureChannel channel = NoiseHandshake.initiate(in, out, Ed25519PrivateKey.generate(), server);
            MultistreamSelect.select(channel.in(), channel.out(), List.of(YamuxSession.PROTOCOL_ID));
            held.add(socket);
        } catch (IOException e) {
            failedOtherwise.incrementAndGet();
            closeQuietly(socket);
        }
    }

    /** Connections the node closed without sending a byte, before any Noise. */
    int refusedBeforeNoise() {
        return refusedBeforeNoise.get();
    }

    /** Connections the node upgraded and this stranger now holds. */
    int held() {
        return held.size();
    }

    /** Connections that broke off otherwise: mid-handshake, or not connected at all. */
    int failedOtherwise() {
        return failedOtherwise.get();
    }

    @Override
    public void close() {
        held.forEach(FreshPeerFlood::closeQuietly);
        held.clear();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the attacker does not care
        }
    }

    @Override
    public String toString() {
        return held() + " held, " + refusedBeforeNoise + " refused before Noise, " + failedOtherwise
                + " failed otherwise";
    }
}
