package dev.parley.transport.ws;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.Stream;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * Prints the throughput of one stream between two Java hosts on loopback over {@code /ws} next to plain TCP, the
 * whole stack each time (Noise and Yamux on top), so the cost of WebSocket framing and Jetty is visible. Arguments:
 * megabytes per run (default 256), runs (default 3; the first ones warm up the JIT). Run:
 * <pre>
 * mvn -q -B -pl transport test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath dev.parley.transport.ws.WebSocketThroughputBenchmark [MiB runs]"
 * </pre>
 */
public final class WebSocketThroughputBenchmark {
    private static final String SINK = "/parley-bench/sink/1.0.0";
    private static final int WRITE_SIZE = 256 * 1024;

    private WebSocketThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long bytes = (args.length > 0 ? Long.parseLong(args[0]) : 256) << 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("JDK %s, %d cores%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
        for (int run = 1; run <= runs; run++) {
            double tcp = throughput(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), bytes);
            double ws = throughput(Multiaddr.parse("/ip4/127.0.0.1/tcp/0/ws"), bytes);
            System.out.printf("run %d: %d MiB through one stream  tcp %,.0f MiB/s  ws %,.0f MiB/s%n",
                    run, bytes >> 20, tcp, ws);
        }
    }

    /** MiB/s of {@code bytes} written on one stream to a host listening on {@code listen}, until it has read them. */
    private static double throughput(Multiaddr listen, long bytes) throws Exception {
        try (Host server = host(); Host client = host()) {
            CompletableFuture<Long> received = new CompletableFuture<>();
            server.setHandler(SINK, stream ->
                    received.complete(stream.in().transferTo(OutputStream.nullOutputStream())));
            Connection connection = client.dial(server.listen(listen).withPeerId(server.peerId()));
            try (Stream stream = connection.newStream(SINK)) {
                byte[] buffer = new byte[WRITE_SIZE];
                long start = System.nanoTime();
                for (long sent = 0; sent < bytes; sent += buffer.length) {
                    stream.out().write(buffer, 0, (int) Math.min(buffer.length, bytes - sent));
                }
                stream.out().flush();
                stream.closeWrite();
                long got = received.get();
                double seconds = (System.nanoTime() - start) / 1e9;
                if (got != bytes) {
                    throw new IllegalStateException("received " + got + " of " + bytes + " bytes over " + listen);
                }
                return bytes / 1048576.0 / seconds;
            }
        }
    }

    private static Host host() {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        host.addTransport(new WebSocketTransport());
        return host;
    }
}
