package dev.parley.transport.yamux;

import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.ResourceLimits;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.memory.MemorySnapshot;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.ping.PingService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The node under attack in {@link StreamsAttackBenchmark}, in a JVM of its own so its heap and RSS are its own:
 * a host on loopback serving ping and a handler that never reads, with default limits but for the per-peer and
 * total connection counts, which the benchmark's count of strangers must not hit. Prints {@code listening
 * <address>}, then answers each {@code measure} line on stdin with {@code heap <bytes> rss <bytes> reserved
 * <bytes> connections <n> streams <n>}; ends at {@code quit} or the end of stdin.
 */
public final class BenchmarkNode {
    static final String SINK = "/parley-bench/never-reads/1.0.0";

    public static void main(String[] args) throws IOException {
        int maxConnections = Integer.parseInt(args[0]);
        ResourceLimits d = ResourceLimits.defaults();
        ResourceLimits limits = new ResourceLimits(maxConnections, d.maxConnectionsPerPeer(), d.maxPendingUpgrades(),
                d.maxInboundStreams(), d.maxInboundStreamsPerProtocol(), d.maxStreamWindow(), d.upgradeTimeout(),
                d.negotiationTimeout(), d.inbound(), d.memory(), d.deadlines());
        CountDownLatch over = new CountDownLatch(1);
        try (Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()).withLimits(limits))) {
            new PingService(host);
            host.setHandler(SINK, stream -> {
                try {
                    over.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Multiaddr address = host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).withPeerId(host.peerId());
            System.out.println("listening " + address);
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in));
            String line;
            while ((line = commands.readLine()) != null && !line.equals("quit")) {
                if (line.equals("measure")) {
                    MemorySnapshot budget = host.memory().snapshot();
                    System.out.println("heap " + StreamsAttackTest.liveHeap() + " rss " + rss() + " reserved "
                            + budget.reservedBytes() + " connections " + host.connections().size() + " streams "
                            + budget.streams());
                }
            }
            over.countDown();
        }
    }

    /** Resident set size from /proc, in bytes. */
    private static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
