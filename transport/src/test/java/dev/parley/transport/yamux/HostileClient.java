package dev.parley.transport.yamux;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Varint;
import dev.parley.transport.multistream.MultistreamSelect;
import dev.parley.transport.noise.NoiseHandshake;
import dev.parley.transport.noise.SecureChannel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A stranger speaking raw Yamux to a host over a real socket: TCP from a loopback source address of its choice
 * (so per-IP admission limits see distinct strangers), multistream-select, Noise with a fresh identity, Yamux,
 * and then whatever frames a test wants, hostile ones included. It dials, so it opens odd stream ids.
 *
 * <p>It reads nothing unless told to {@link #drain}: draining reads every frame, discards data, answers pings
 * (so the host's keep-alive does not end the attack early) and reports resets, but never grants window.
 */
final class HostileClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final CompletableFuture<FrameHeader> goAway = new CompletableFuture<>();
    private final Map<Integer, CompletableFuture<Void>> pings = new ConcurrentHashMap<>();
    private final AtomicInteger nextPing = new AtomicInteger();
    private final byte[] header = new byte[FrameHeader.LENGTH];
    private int nextStreamId = 1;

    private HostileClient(Socket socket, SecureChannel channel) {
        this.socket = socket;
        this.in = channel.in();
        this.out = channel.out();
    }

    /** Connects from {@code source} (any 127.x.y.z) to the host at {@code address}, which ends in its /p2p/ id. */
    static HostileClient connect(Multiaddr address, InetAddress source) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(address.toSocketAddress(), 10_000);
            InputStream rawIn = new BufferedInputStream(socket.getInputStream());
            OutputStream rawOut = new BufferedOutputStream(socket.getOutputStream());
            MultistreamSelect.select(rawIn, rawOut, List.of(NoiseHandshake.PROTOCOL_ID));
            SecureChannel channel = NoiseHandshake.initiate(rawIn, rawOut, Ed25519PrivateKey.generate(),
                    address.peerId().orElse(null));
            MultistreamSelect.select(channel.in(), channel.out(), List.of(YamuxSession.PROTOCOL_ID));
            return new HostileClient(socket, channel);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The i-th of many distinct loopback source addresses, 127.0.x.y with y from 1 to 250. */
    static InetAddress loopbackSource(int i) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, (byte) (1 + i / 250), (byte) (1 + i % 250)});
    }

    /**
     * Opens a stream and names {@code protocol} in the SYN frame itself, with {@code data} behind it, as a
     * dialer that does not wait for the answer does. Returns the stream id.
     */
    int openStream(String protocol, byte[] data) throws IOException {
        int id = nextStreamId;
        nextStreamId += 2;
        byte[] negotiation = negotiation(protocol);
        byte[] payload = new byte[negotiation.length + data.length];
        System.arraycopy(negotiation, 0, payload, 0, negotiation.length);
        System.arraycopy(data, 0, payload, negotiation.length, data.length);
        send(FrameHeader.data(id, FrameHeader.SYN, payload.length), payload);
        return id;
    }

    /** The bytes that name {@code protocol} on a new stream. */
    static byte[] negotiation(String protocol) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String line : List.of(MultistreamSelect.PROTOCOL_ID, protocol)) {
            byte[] text = (line + "\n").getBytes(UTF_8);
            bytes.writeBytes(Varint.encode(text.length));
            bytes.writeBytes(text);
        }
        return bytes.toByteArray();
    }

    /** Sends {@code data} on stream {@code id} in DATA frames of at most {@code frameSize} bytes. */
    void sendData(int id, byte[] data, int frameSize) throws IOException {
        for (int offset = 0; offset < data.length; offset += frameSize) {
            int length = Math.min(frameSize, data.length - offset);
            byte[] payload = new byte[length];
            System.arraycopy(data, offset, payload, 0, length);
            send(FrameHeader.data(id, 0, length), payload);
        }
    }

    void send(FrameHeader frame) throws IOException {
        send(frame, new byte[0]);
    }

    void send(FrameHeader frame, byte[] payload) throws IOException {
        writeLock.lock();
        try {
            byte[] bytes = new byte[FrameHeader.LENGTH];
            frame.encode(bytes, 0);
            out.write(bytes);
            out.write(payload);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Reads every frame from now on, on a virtual thread: data is discarded, pings answered, a go-away kept for
     * {@link #awaitEnd}, and the header of every stream frame (data, window update, reset) handed to
     * {@code streamFrames}, on this thread.
     */
    void drain(Consumer<FrameHeader> streamFrames) {
        Thread.ofVirtual().name("hostile-drain").start(() -> {
            try {
                FrameHeader frame;
                while ((frame = next()) != null) {
                    switch (frame.type()) {
                        case PING -> onPing(frame);
                        case GO_AWAY -> goAway.complete(frame);
                        case DATA, WINDOW_UPDATE -> streamFrames.accept(frame);
                    }
                }
            } catch (IOException e) {
                // The host closed the connection: what the tests wait for with awaitEnd.
            } finally {
                goAway.complete(null);
                pings.values().forEach(answer -> answer.completeExceptionally(
                        new IOException("the host closed the connection before answering a ping")));
            }
        });
    }

    /**
     * Waits, while draining, until the host says go-away or closes the connection; returns the go-away, or null if
     * the connection ended without one.
     */
    FrameHeader awaitEnd() throws InterruptedException, ExecutionException {
        return goAway.get();
    }

    /**
     * Sends a Yamux ping and waits for its answer (while draining). The host reads frames in order, so once it
     * answers, it has handled every frame sent before the ping.
     */
    void pingAndAwait() throws IOException, InterruptedException, ExecutionException {
        int opaque = nextPing.incrementAndGet();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        pings.put(opaque, answered);
        send(FrameHeader.ping(FrameHeader.SYN, opaque));
        answered.get();
    }

    private void onPing(FrameHeader frame) throws IOException {
        int opaque = (int) frame.length();
        if (frame.has(FrameHeader.SYN)) {
            send(FrameHeader.ping(FrameHeader.ACK, opaque));
        } else {
            CompletableFuture<Void> answered = pings.remove(opaque);
            if (answered != null) {
                answered.complete(null);
            }
        }
    }

    private FrameHeader next() throws IOException {
        if (in.readNBytes(header, 0, FrameHeader.LENGTH) < FrameHeader.LENGTH) {
            return null;
        }
        FrameHeader frame = FrameHeader.decode(header, 0);
        if (frame.type() == FrameType.DATA) {
            in.skipNBytes(frame.length());
        }
        return frame;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
