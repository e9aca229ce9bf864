package dev.parley.transport.perf;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The libp2p perf protocol (specs: perf/perf.md). The client sends the number of bytes it wants back as a
 * big-endian uint64, uploads its bytes and half-closes; the server reads to the end, then sends the bytes
 * asked for and closes. It lets a client make the server do a lot of work, so it is served only when the
 * node is started with perf enabled.
 */
public final class PerfService {
    public static final String PROTOCOL_ID = "/perf/1.0.0";
    /**
     * Bytes per write. Large, so the muxer cuts it into full frames: a 64 KiB write would leave a small frame
     * behind every full one and double the frames to encrypt.
     */
    private static final int CHUNK = 1024 * 1024;
    /** Zeros are as good as any bytes here, and cost nothing to make. */
    private static final byte[] ZEROS = new byte[CHUNK];

    private PerfService() {
    }

    /** Serves perf on {@code host}. */
    public static void enable(Host host) {
        host.setHandler(PROTOCOL_ID, PerfService::serve);
    }

    /** Runs one perf exchange as the client. */
    public static PerfResult run(Connection connection, long uploadBytes, long downloadBytes) throws IOException {
        if (uploadBytes < 0 || downloadBytes < 0) {
            throw new IllegalArgumentException("byte counts must not be negative");
        }
        long start = System.nanoTime();
        try (Stream stream = connection.newStream(PROTOCOL_ID)) {
            OutputStream out = stream.out();
            out.write(ByteBuffer.allocate(Long.BYTES).putLong(downloadBytes).array());
            send(out, uploadBytes);
            stream.closeWrite();
            long uploaded = System.nanoTime();
            long received = discard(stream.in());
            long downloaded = System.nanoTime();
            if (received != downloadBytes) {
                throw new EOFException("perf server sent " + received + " bytes, asked for " + downloadBytes);
            }
            return new PerfResult(uploadBytes, Duration.ofNanos(uploaded - start),
                    received, Duration.ofNanos(downloaded - uploaded));
        }
    }

    private static void serve(Stream stream) throws IOException {
        long toSend = new DataInputStream(stream.in()).readLong();
        if (toSend < 0) {
            throw new IOException("perf client asked for " + Long.toUnsignedString(toSend)
                    + " bytes; more than 2^63-1 is not served");
        }
        discard(stream.in());
        send(stream.out(), toSend);
        stream.closeWrite();
    }

    private static void send(OutputStream out, long bytes) throws IOException {
        for (long left = bytes; left > 0; left -= CHUNK) {
            out.write(ZEROS, 0, (int) Math.min(CHUNK, left));
        }
        out.flush();
    }

    private static long discard(InputStream in) throws IOException {
        byte[] sink = new byte[CHUNK];
        long total = 0;
        for (int n; (n = in.read(sink)) >= 0; ) {
            total += n;
        }
        return total;
    }
}
