package dev.parley.transport.attack;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multistream.MultistreamSelect;
import dev.parley.transport.noise.HostilePayload;
import dev.parley.transport.noise.NoiseHandshake;
import dev.parley.transport.noise.SecureChannel;
import dev.parley.transport.yamux.YamuxSession;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A stranger dialling the node from one loopback address, a few dials at a time, again and again until closed, each
 * time under a new key: multistream-select and Noise as an honest dialler does them, but for the payload of message
 * 3, which lies as its {@link HostilePayload} says. Then it asks for Yamux, as an honest dialler would: a node that
 * believed the lie answers, one that refused it has closed the connection. Counts how each dial ended, and remembers
 * the peers it claimed to be.
 */
final class LyingDialer implements AutoCloseable {
    /**
     * How long a dial waits for the node's next word. Not a deadline the test waits on: a node that neither refuses
     * nor answers within it is holding a liar's connection open, which the test reports.
     */
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    private final InetAddress from;
    private final InetSocketAddress target;
    private final PeerId node;
    private final HostilePayload lie;
    private final Set<PeerId> claimed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refusedAfterTheLie = new AtomicInteger();
    private final AtomicInteger believed = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Thread> dialers;
    private volatile boolean stopped;

    /** Starts {@code concurrentDials} dialers from {@code from} to {@code node} at {@code target}. */
    LyingDialer(InetAddress from, InetSocketAddress target, PeerId node, HostilePayload lie, int concurrentDials) {
        this.from = from;
        this.target = target;
        this.node = node;
        this.lie = lie;
        this.dialers = IntStream.range(0, concurrentDials)
                .mapToObj(i -> Thread.ofVirtual().name("liar " + i + " from " + from).start(this::dialUntilStopped))
                .toList();
    }

    private void dialUntilStopped() {
        while (!stopped) {
            Ed25519PrivateKey identity = Ed25519PrivateKey.generate();
            claimed.add(PeerId.fromPublicKey(identity.publicKey()));
            try (Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(from, 0));
                socket.connect(target, READ_TIMEOUT_MILLIS);
                socket.setSoTimeout(READ_TIMEOUT_MILLIS);
                dial(socket, identity);
            } catch (IOException e) {
                failures.add("before the handshake was done: " + e);
            }
        }
    }

    private void dial(Socket socket, Ed25519PrivateKey identity) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = new BufferedOutputStream(socket.getOutputStream());
        MultistreamSelect.select(in, out, List.of(NoiseHandshake.PROTOCOL_ID));
        SecureChannel channel = lie.initiate(in, out, identity, node);
        try {
            MultistreamSelect.select(channel.in(), channel.out(), List.of(YamuxSession.PROTOCOL_ID));
            believed.incrementAndGet();
        } catch (SocketTimeoutException e) {
            failures.add("held open after the lie for " + READ_TIMEOUT_MILLIS + " ms");
        } catch (IOException e) {
            refusedAfterTheLie.incrementAndGet();
        }
    }

    /** Dials done so far, however they ended. */
    int dials() {
        return refusedAfterTheLie.get() + believed.get() + failures.size();
    }

    /** Dials the node answered up to Noise's message 2 and closed after the lie, without a word more. */
    int refusedAfterTheLie() {
        return refusedAfterTheLie.get();
    }

    /** Dials whose lie the node took: it negotiated Yamux with a peer it should have refused. */
    int believed() {
        return believed.get();
    }

    /** How each dial that ended otherwise ended: refused before the lie, or not refused at all. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** The peers this stranger claimed to be, one per dial. */
    Set<PeerId> claimed() {
        return Set.copyOf(claimed);
    }

    /** Stops dialling; returns once every dial under way has ended. */
    void stop() {
        stopped = true;
        Await.ended(dialers);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "liar from " + from + " (" + lie + "): " + dials() + " dials, " + refusedAfterTheLie
                + " refused after the lie, " + believed + " believed, " + failures.size() + " failed otherwise";
    }
}
