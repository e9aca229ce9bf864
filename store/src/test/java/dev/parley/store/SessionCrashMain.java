package dev.parley.store;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The child JVM of {@link SessionCrashTest}: one thread per peer does what the app does for each message, until it
 * is killed: stage the session's next state (here its number), queue the outbox entry sealed with it, and, once that
 * entry's future completed, "send" the envelope, printing {@code sent <peer> <number>}. Each thread keeps a burst of
 * entries in flight, so the writer is always mid-batch.
 */
public final class SessionCrashMain {
    static final int PEERS = 4;
    static final int BURST = 32;

    public static void main(String[] args) throws Exception {
        SqliteStore store = SqliteStore.open(Path.of(args[0]));
        PrintStream out = System.out;
        out.println("ready");
        out.flush();
        List<Thread> peers = new ArrayList<>();
        for (int p = 0; p < PEERS; p++) {
            String peer = peer(p);
            peers.add(Thread.ofPlatform().start(() -> {
                for (long first = 0; ; first += BURST) {
                    List<CompletableFuture<Long>> burst = new ArrayList<>();
                    for (long number = first; number < first + BURST; number++) {
                        long sealedWith = number;
                        store.sessions().stage(peer, record(number));
                        burst.add(store.outbox().addAsync(peer + "-" + number, peer, new byte[] {1}, Instant.EPOCH)
                                .thenApply(outcome -> sealedWith));
                    }
                    for (CompletableFuture<Long> entry : burst) {
                        report(out, peer, entry.join());
                    }
                }
            }));
        }
        for (Thread peer : peers) {
            peer.join();
        }
    }

    static String peer(int index) {
        return "12D3KooWPeer" + index;
    }

    static byte[] record(long number) {
        return ByteBuffer.allocate(Long.BYTES).putLong(number).array();
    }

    static long number(byte[] record) {
        return ByteBuffer.wrap(record).getLong();
    }

    private static void report(PrintStream out, String peer, long number) {
        synchronized (out) {
            out.println("sent " + peer + " " + number);
            out.flush();
        }
    }
}
