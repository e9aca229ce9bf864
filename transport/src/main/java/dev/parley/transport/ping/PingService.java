package dev.parley.transport.ping;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The libp2p ping protocol (specs: ping/ping.md): the dialer sends 32 random bytes, the listener echoes them,
 * as many times as the dialer likes on one stream. The round trip is the figure.
 *
 * <p>The echo waits at most {@link #IDLE_TIMEOUT} for each next ping, and its writes at most the stall timeout
 * for the dialer to read (transport/README.md, "Memory and deadlines"): a dialer that goes silent or never reads
 * its echoes has its stream reset, and the handler and its buffers are freed.
 */
public final class PingService {
    public static final String PROTOCOL_ID = "/ipfs/ping/1.0.0";
    static final int PAYLOAD_SIZE = 32;
    /** How long the echo waits for the next ping on a stream. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

    private final SecureRandom random = new SecureRandom();

    /** Registers the responder on {@code host}. */
    public PingService(Host host) {
        host.setHandler(PROTOCOL_ID, PingService::echo);
    }

    /** Sends {@code count} pings over one stream and returns each round trip. */
    public List<Duration> ping(Connection connection, int count) throws IOException {
        try (Stream stream = connection.newStream(PROTOCOL_ID)) {
            List<Duration> rtts = new ArrayList<>(count);
            byte[] sent = new byte[PAYLOAD_SIZE];
            for (int i = 0; i < count; i++) {
                random.nextBytes(sent);
                long start = System.nanoTime();
                stream.out().write(sent);
                stream.out().flush();
                byte[] echoed = stream.in().readNBytes(PAYLOAD_SIZE);
                long elapsed = System.nanoTime() - start;
                if (!Arrays.equals(sent, echoed)) {
                    throw new IOException("ping reply from " + connection.remotePeer() + " did not match what was sent");
                }
                rtts.add(Duration.ofNanos(elapsed));
            }
            stream.closeWrite();
            return rtts;
        }
    }

    public Duration ping(Connection connection) throws IOException {
        return ping(connection, 1).get(0);
    }

    private static void echo(Stream stream) throws IOException {
        InputStream in = stream.in();
        OutputStream out = stream.out();
        byte[] payload = new byte[PAYLOAD_SIZE];
        while (true) {
            stream.setReadDeadline(IDLE_TIMEOUT);
            int n = in.readNBytes(payload, 0, PAYLOAD_SIZE);
            if (n == 0) {
                return;
            }
            if (n < PAYLOAD_SIZE) {
                throw new EOFException("ping of " + n + " bytes, expected " + PAYLOAD_SIZE);
            }
            out.write(payload);
            out.flush();
        }
    }
}
