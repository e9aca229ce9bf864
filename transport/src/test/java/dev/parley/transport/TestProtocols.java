package dev.parley.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Protocols the tests serve, matching the js test peer's (transport/src/test/js/protocols.mjs). */
public final class TestProtocols {
    public static final String ECHO = "/parley-test/echo/1.0.0";

    private TestProtocols() {
    }

    /** Writes back everything it reads, then half-closes. */
    public static void echo(Stream stream) throws IOException {
        stream.in().transferTo(stream.out());
        stream.out().flush();
        stream.closeWrite();
    }

    /**
     * Opens {@code streams} echo streams at once (each waits until all are open), sends distinct data on
     * each, and reports per stream whether the echo matched.
     */
    public static List<Boolean> echoOnConcurrentStreams(Connection connection, int streams, Duration timeout)
            throws Exception {
        CountDownLatch allOpen = new CountDownLatch(streams);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                byte[] data = ("stream " + i + ";").repeat(200).getBytes(StandardCharsets.UTF_8);
                results.add(pool.submit(() -> {
                    try (Stream stream = connection.newStream(ECHO)) {
                        allOpen.countDown();
                        allOpen.await();
                        stream.out().write(data);
                        stream.out().flush();
                        stream.closeWrite();
                        return Arrays.equals(stream.in().readAllBytes(), data);
                    }
                }));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            List<Boolean> echoed = new ArrayList<>();
            for (Future<Boolean> result : results) {
                echoed.add(result.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS));
            }
            return echoed;
        }
    }

    /**
     * Sends {@code data} on a new echo stream, half-closes, and returns what came back. Writing runs on a
     * thread of its own: the echo comes back while we still send, and flow control stops both sides if
     * nobody reads it.
     */
    public static byte[] echoOver(Connection connection, byte[] data) throws IOException {
        try (Stream stream = connection.newStream(ECHO)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    stream.out().write(data);
                    stream.out().flush();
                    stream.closeWrite();
                } catch (IOException e) {
                    stream.reset();
                }
            });
            byte[] echoed = stream.in().readAllBytes();
            writer.join();
            return echoed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while echoing", e);
        }
    }
}
