package dev.parley.transport.yamux;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Our pings awaiting their answer, keyed by the opaque value the peer must echo. */
final class PingTracker {
    private static final Logger log = LoggerFactory.getLogger(PingTracker.class);

    record Outstanding(int opaque, CompletableFuture<Void> answer) {
    }

    private final AtomicInteger nextOpaque = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Void>> outstanding = new ConcurrentHashMap<>();

    Outstanding register() {
        int opaque = nextOpaque.getAndIncrement();
        CompletableFuture<Void> answer = new CompletableFuture<>();
        outstanding.put(opaque, answer);
        return new Outstanding(opaque, answer);
    }

    void answered(int opaque) {
        CompletableFuture<Void> answer = outstanding.remove(opaque);
        if (answer == null) {
            // Lenient like go-yamux: a late answer to a ping that timed out is no reason to drop the connection.
            log.debug("yamux ping answer {} matches no ping of ours", Integer.toUnsignedLong(opaque));
        } else {
            answer.complete(null);
        }
    }

    void abandon(int opaque) {
        outstanding.remove(opaque);
    }

    void failAll(IOException cause) {
        outstanding.values().forEach(answer -> answer.completeExceptionally(cause));
        outstanding.clear();
    }
}
