package dev.parley.transport.relay;

import dev.parley.transport.Stream;
import dev.parley.transport.spi.CircuitLimit;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins a relay's hop stream (from the source) and stop stream (to the target) into one relayed connection:
 * bytes flow both ways, an end of input is passed on as a half-close, and going over the circuit's limit
 * resets both streams, as the spec asks.
 */
final class Splice {
    private static final Logger log = LoggerFactory.getLogger(Splice.class);
    private static final int BUFFER = 16 * 1024;

    private final Stream source;
    private final Stream target;
    private final CircuitLimit limit;

    Splice(Stream source, Stream target, CircuitLimit limit) {
        this.source = source;
        this.target = target;
        this.limit = limit;
    }

    /** Relays until both directions have ended or the limit is hit; returns then. */
    void run() throws InterruptedException {
        Deadline deadline = limit.duration().isZero() ? null : Deadline.after(limit.duration(), () -> {
            log.debug("circuit {} -> {} reached its duration limit of {}", source.remotePeer(), target.remotePeer(),
                    limit.duration());
            resetBoth();
        });
        try {
            Thread backwards = Thread.ofVirtual().name("relay " + target.remotePeer() + " -> " + source.remotePeer())
                    .start(() -> pump(target, source));
            pump(source, target);
            backwards.join();
        } finally {
            if (deadline != null) {
                deadline.close();
            }
            target.close();
        }
    }

    private void pump(Stream from, Stream to) {
        byte[] buffer = new byte[BUFFER];
        long carried = 0;
        try {
            InputStream in = from.in();
            OutputStream out = to.out();
            while (true) {
                int read = in.read(buffer);
                if (read < 0) {
                    to.closeWrite();
                    return;
                }
                if (limit.dataBytes() > 0 && carried + read > limit.dataBytes()) {
                    out.write(buffer, 0, (int) (limit.dataBytes() - carried));
                    out.flush();
                    log.debug("circuit {} -> {} reached its data limit of {} bytes", from.remotePeer(),
                            to.remotePeer(), limit.dataBytes());
                    resetBoth();
                    return;
                }
                out.write(buffer, 0, read);
                out.flush();
                carried += read;
            }
        } catch (IOException e) {
            log.debug("circuit {} -> {} ended: {}", from.remotePeer(), to.remotePeer(), e.getMessage());
            resetBoth();
        }
    }

    private void resetBoth() {
        source.reset();
        target.reset();
    }
}
