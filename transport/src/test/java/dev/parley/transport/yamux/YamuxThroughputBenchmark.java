package dev.parley.transport.yamux;

import dev.parley.transport.testing.InMemoryPipe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Prints the throughput of one Yamux stream between two sessions over an in-memory pipe, next to the pipe on
 * its own, so the muxer's share of the cost is visible. Arguments: megabytes per run (default 256), runs
 * (default 5; the first ones warm up the JIT).
 */
public final class YamuxThroughputBenchmark {
    private static final int WRITE_SIZE = 256 * 1024;

    private YamuxThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long bytes = (args.length > 0 ? Long.parseLong(args[0]) : 256) << 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        for (int run = 1; run <= runs; run++) {
            double pipe = pipeAlone(bytes);
            double yamux = overYamux(bytes);
            System.out.printf("run %d: %d MiB  pipe alone %,.0f MiB/s  yamux stream %,.0f MiB/s%n",
                    run, bytes >> 20, pipe, yamux);
        }
    }

    private static double pipeAlone(long bytes) throws Exception {
        try (InMemoryPipe pipe = InMemoryPipe.open()) {
            return timeTransfer(bytes, pipe.dialer().out(), pipe.listener().in());
        }
    }

    private static double overYamux(long bytes) throws Exception {
        BlockingQueue<YamuxStream> accepted = new LinkedBlockingQueue<>();
        try (SessionPair pair = SessionPair.start(YamuxConfig.defaults(), accepted::add)) {
            pair.client().ping();
            YamuxStream stream = pair.client().openStream();
            stream.out().write(0);
            YamuxStream remote = accepted.take();
            remote.in().read();
            return timeTransfer(bytes, stream.out(), remote.in());
        }
    }

    /** Writes {@code bytes} into {@code out} on another thread while reading them from {@code in}; MiB/s. */
    private static double timeTransfer(long bytes, OutputStream out, InputStream in) throws Exception {
        long start = System.nanoTime();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                byte[] buffer = new byte[WRITE_SIZE];
                for (long sent = 0; sent < bytes; sent += buffer.length) {
                    out.write(buffer, 0, (int) Math.min(buffer.length, bytes - sent));
                }
                out.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, Thread::startVirtualThread);
        byte[] buffer = new byte[WRITE_SIZE];
        long received = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            received += n;
        }
        writer.get();
        if (received != bytes) {
            throw new IllegalStateException("received " + received + " of " + bytes + " bytes");
        }
        return bytes / 1048576.0 / ((System.nanoTime() - start) / 1e9);
    }
}
