package dev.parley.transport.yamux;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.ping.PingService;
import dev.parley.transport.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What strangers cost a node (transport/README.md, "Memory and deadlines"): a {@link BenchmarkNode} in a child JVM
 * is given idle authenticated connections, then attacked as {@link StreamsAttackTest} does; for each it prints the
 * node's live heap and RSS before, during and after, and whether a fresh peer dialling in was answered throughout.
 * Figures, not a test. Arguments: the number of idle connections (default 10000), from distinct loopback source
 * addresses 127.0.x.y, and the child's maximum heap (default 1g).
 */
public final class StreamsAttackBenchmark {
    private static final int WINDOW = YamuxConfig.SPEC_INITIAL_WINDOW;
    private static final long MIB = 1024 * 1024;

    private final PrintWriter commands;
    private final BufferedReader answers;
    private final Multiaddr address;

    private StreamsAttackBenchmark(Process node) throws IOException {
        this.commands = new PrintWriter(node.getOutputStream(), true);
        this.answers = new BufferedReader(new InputStreamReader(node.getInputStream()));
        String first = answers.readLine();
        if (first == null || !first.startsWith("listening ")) {
            throw new IOException("benchmark node did not start: " + first);
        }
        this.address = Multiaddr.parse(first.substring("listening ".length()));
    }

    public static void main(String[] args) throws Exception {
        int idle = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String heap = args.length > 1 ? args[1] : "1g";
        List<String> command = new ArrayList<>(ChildJvm.command(BenchmarkNode.class,
                List.of(String.valueOf(idle + 1024))));
        command.replaceAll(option -> option.startsWith("-Xmx") ? "-Xmx" + heap : option);
        Process node = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            StreamsAttackBenchmark bench = new StreamsAttackBenchmark(node);
            bench.idleConnections(idle);
            bench.attack("never-read streams, 8 connections x 64 streams x 256 KiB", bench::neverRead);
            bench.attack("ping echo to a peer that grants no window, 64 streams", bench::echoWithoutWindow);
            bench.attack("open-then-reset churn, 20000 streams of 60 KiB", bench::churn);
            bench.attack("window update to 0xFFFFFFFF, 100 connections", () -> bench.protocolErrors(false));
            bench.attack("first frame larger than the window, 100 connections", () -> bench.protocolErrors(true));
        } finally {
            node.destroy();
            node.waitFor();
        }
    }

    private void idleConnections(int count) throws Exception {
        Figures before = measure();
        List<HostileClient> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            HostileClient client = HostileClient.connect(address, HostileClient.loopbackSource(i));
            client.drain(frame -> { });
            clients.add(client);
        }
        long opened = System.nanoTime() - start;
        Figures with = measure();
        System.out.printf("%d idle authenticated connections (opened in %.1f s): node live heap %s -> %s"
                        + " (%.1f KiB per connection), RSS %s -> %s (%.1f KiB per connection)%n",
                count, opened / 1e9, mib(before.heap), mib(with.heap), (with.heap - before.heap) / 1024.0 / count,
                mib(before.rss), mib(with.rss), (with.rss - before.rss) / 1024.0 / count);
        for (HostileClient client : clients) {
            client.close();
        }
        Figures after = awaitSettled(before);
        System.out.printf("  after they closed: live heap %s, RSS %s, %d connections%n", mib(after.heap),
                mib(after.rss), after.connections);
    }

    private interface Attack {
        List<HostileClient> start() throws Exception;
    }

    /** Runs an attack while a fresh peer dials in and pings every few milliseconds; prints the figures. */
    private void attack(String name, Attack attack) throws Exception {
        Figures before = measure();
        AtomicBoolean running = new AtomicBoolean(true);
        CompletableFuture<String> answered = CompletableFuture.supplyAsync(() -> freshPeerPings(running),
                Thread::startVirtualThread);
        List<HostileClient> strangers = attack.start();
        Figures during = measure();
        running.set(false);
        String fresh = answered.get();
        for (HostileClient stranger : strangers) {
            stranger.close();
        }
        Figures after = awaitSettled(before);
        System.out.printf("%s: fresh peer answered throughout: %s; live heap %s / %s / %s, RSS %s / %s / %s"
                        + " (before / during / after), budget reserved during %s%n", name, fresh,
                mib(before.heap), mib(during.heap), mib(after.heap), mib(before.rss), mib(during.rss),
                mib(after.rss), mib(during.reserved));
    }

    private List<HostileClient> neverRead() throws Exception {
        List<HostileClient> strangers = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            HostileClient stranger = HostileClient.connect(address, HostileClient.loopbackSource(c));
            stranger.drain(frame -> { });
            strangers.add(stranger);
            for (int s = 0; s < 64; s++) {
                int id = stranger.openStream(BenchmarkNode.SINK, new byte[0]);
                stranger.sendData(id, new byte[WINDOW - HostileClient.negotiation(BenchmarkNode.SINK).length],
                        16 * 1024);
            }
            stranger.pingAndAwait();
        }
        return strangers;
    }

    private List<HostileClient> echoWithoutWindow() throws Exception {
        HostileClient stranger = HostileClient.connect(address, HostileClient.loopbackSource(0));
        stranger.drain(frame -> { });
        for (int s = 0; s < 64; s++) {
            int id = stranger.openStream(PingService.PROTOCOL_ID, new byte[0]);
            stranger.sendData(id, new byte[WINDOW - HostileClient.negotiation(PingService.PROTOCOL_ID).length],
                    16 * 1024);
        }
        stranger.pingAndAwait();
        return List.of(stranger);
    }

    private List<HostileClient> churn() throws Exception {
        HostileClient stranger = HostileClient.connect(address, HostileClient.loopbackSource(0));
        stranger.drain(frame -> { });
        byte[] data = new byte[60 * 1024];
        for (int i = 0; i < 20_000; i++) {
            int id = stranger.openStream(PingService.PROTOCOL_ID, data);
            stranger.send(FrameHeader.windowUpdate(id, FrameHeader.RST, 0));
        }
        stranger.pingAndAwait();
        return List.of(stranger);
    }

    private List<HostileClient> protocolErrors(boolean oversizedFrame) throws Exception {
        List<HostileClient> strangers = new ArrayList<>();
        for (int c = 0; c < 100; c++) {
            HostileClient stranger = HostileClient.connect(address, HostileClient.loopbackSource(c));
            stranger.drain(frame -> { });
            strangers.add(stranger);
            try {
                if (oversizedFrame) {
                    stranger.send(FrameHeader.data(1, FrameHeader.SYN, WINDOW + 1), new byte[WINDOW + 1]);
                } else {
                    stranger.send(FrameHeader.windowUpdate(1, FrameHeader.SYN, 0xFFFF_FFFFL));
                }
            } catch (IOException closedByTheNode) {
                // What the attack should get.
            }
            stranger.awaitEnd();
        }
        return strangers;
    }

    /** "yes" if every ping of a fresh peer, dialled from a source of its own, was answered within 5 s. */
    private String freshPeerPings(AtomicBoolean running) {
        try (Host fresh = new Host(HostConfig.of(Ed25519PrivateKey.generate()))) {
            PingService ping = new PingService(fresh);
            Connection connection = fresh.dial(address);
            int pings = 0;
            do {
                if (ping.ping(connection).compareTo(Duration.ofSeconds(5)) > 0) {
                    return "no (a ping took over 5 s)";
                }
                pings++;
            } while (running.get());
            return "yes (" + pings + " pings)";
        } catch (IOException e) {
            return "no (" + e.getMessage() + ")";
        }
    }

    private Figures awaitSettled(Figures before) throws IOException {
        Figures now = measure();
        for (int i = 0; i < 100 && (now.connections > before.connections || now.streams > before.streams
                || now.reserved > before.reserved); i++) {
            now = measure();
        }
        return now;
    }

    private Figures measure() throws IOException {
        commands.println("measure");
        String[] f = answers.readLine().split(" ");
        return new Figures(Long.parseLong(f[1]), Long.parseLong(f[3]), Long.parseLong(f[5]),
                Integer.parseInt(f[7]), Integer.parseInt(f[9]));
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (double) MIB);
    }

    private record Figures(long heap, long rss, long reserved, int connections, int streams) {
    }
}
