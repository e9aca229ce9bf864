package dev.parley.transport;

import com.google.protobuf.ByteString;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.kad.KadDht;
import dev.parley.transport.kad.KadMode;
import dev.parley.transport.kad.KadOptions;
import dev.parley.transport.kad.pb.KadProtos.Message;
import dev.parley.transport.kad.pb.KadProtos.Message.MessageType;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import dev.parley.transport.ping.PingService;
import dev.parley.transport.relay.RelayLimits;
import dev.parley.transport.relay.RelayRefusedException;
import dev.parley.transport.relay.RelayService;
import dev.parley.transport.relay.RelayTransport;
import dev.parley.transport.tcp.TcpTransport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What strangers cost a node, printed (transport/README.md, "Per-peer state"): for a churn of fresh PeerIds, a
 * relay reservation flood and a FIND_NODE flood, whether an honest peer was answered throughout, and the live heap
 * (after a full GC) and RSS of this JVM before, during and after. Attackers run in this JVM too, so "during"
 * counts their side as well. Arguments: strangers in the churn (3000), reservers (400), FIND_NODE streams (128).
 */
public final class PeerStateAttackBenchmark {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final Duration GRACE = Duration.ofSeconds(2);

    private PeerStateAttackBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int churn = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int reservers = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        int streams = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        System.out.printf("%-28s %-9s %-24s %-24s %-24s%n", "attack", "answered", "before (heap / RSS)",
                "during", "after");
        churn(churn);
        reservationFlood(reservers);
        findNodeFlood(streams);
    }

    private record Figures(String attack, boolean answered, String before, String during, String after) {
        void print() {
            System.out.printf("%-28s %-9s %-24s %-24s %-24s%n", attack, answered ? "yes" : "NO", before, during,
                    after);
        }
    }

    private static Host target(List<Host> hosts) {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate())
                .withPeerState(PeerStateLimits.defaults().withGrace(GRACE)));
        hosts.add(host);
        new PingService(host);
        return host;
    }

    private static void churn(int count) throws Exception {
        List<Host> hosts = new ArrayList<>();
        try {
            Host target = target(hosts);
            IdentifyService identify = new IdentifyService(target, "target/1");
            Multiaddr address = target.listen(LOOPBACK).withPeerId(target.peerId());
            Set<PeerId> forgotten = ConcurrentHashMap.newKeySet();
            target.addressBook().onForgotten(forgotten::add);
            Host honest = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
            hosts.add(honest);
            PingService ping = new PingService(honest);
            Connection honestConnection = honest.dial(address);
            String before = memory();
            String[] during = new String[1];
            AtomicBoolean answered = new AtomicBoolean(true);
            List<PeerId> strangers = Strangers.churn(address, count, 16,
                    stranger -> identify.awaitInfo(stranger, Duration.ofSeconds(30)), Math.max(1, count / 10), done -> {
                        answered.compareAndSet(true, pings(ping, honestConnection));
                        if (done == count / 2) {
                            during[0] = memory();
                        }
                    });
            while (!forgotten.containsAll(strangers)) {
                Thread.sleep(100);
            }
            answered.compareAndSet(true, pings(ping, honestConnection));
            new Figures(count + " strangers churning", answered.get(), before, during[0], memory()).print();
        } finally {
            hosts.forEach(Host::close);
        }
    }

    private static void reservationFlood(int count) throws Exception {
        List<Host> hosts = new ArrayList<>();
        try {
            Host relay = target(hosts);
            RelayService.start(relay, RelayLimits.defaults());
            Multiaddr address = relay.listen(LOOPBACK).withPeerId(relay.peerId());
            Set<PeerId> forgotten = ConcurrentHashMap.newKeySet();
            relay.addressBook().onForgotten(forgotten::add);
            String before = memory();
            List<Host> flood = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Host stranger = connectedFrom("127.0.0." + (1 + i % 200), address);
                flood.add(stranger);
                try {
                    RelayTransport.install(stranger, false).reservations().reserve(address);
                } catch (RelayRefusedException refused) {
                    // The limits at work.
                }
            }
            String during = memory();
            Host honest = connectedFrom("127.0.1.1", address);
            hosts.add(honest);
            boolean answered;
            try {
                RelayTransport.install(honest, false).reservations().reserve(address);
                answered = true;
            } catch (RelayRefusedException refused) {
                answered = false;
            }
            flood.forEach(Host::close);
            while (!flood.stream().map(Host::peerId).allMatch(forgotten::contains)) {
                Thread.sleep(100);
            }
            new Figures(count + " fresh ids reserving", answered, before, during, memory()).print();
        } finally {
            hosts.forEach(Host::close);
        }
    }

    private static Host connectedFrom(String localIp, Multiaddr to) throws IOException {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        host.upgrade(new TcpTransport().dialFrom(new InetSocketAddress(localIp, 0), to.withoutPeerId(),
                Duration.ofSeconds(10)), Direction.OUTBOUND, to.peerId().orElseThrow());
        return host;
    }

    private static void findNodeFlood(int streams) throws Exception {
        List<Host> hosts = new ArrayList<>();
        try {
            Host server = target(hosts);
            KadDht dht = new KadDht(server, new IdentifyService(server, "target/1"), KadMode.SERVER,
                    KadOptions.defaults());
            Multiaddr address = server.listen(LOOPBACK).withPeerId(server.peerId());
            Host honest = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
            hosts.add(honest);
            Connection honestConnection = honest.dial(address);
            String before = memory();
            AtomicBoolean answered = new AtomicBoolean(true);
            String during;
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> floods = new ArrayList<>();
                for (int i = 0; i < streams; i += 32) {
                    Host stranger = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
                    hosts.add(stranger);
                    Connection connection = stranger.dial(address);
                    for (int s = i; s < Math.min(streams, i + 32); s++) {
                        floods.add(threads.submit(() -> findNodes(connection, 300)));
                    }
                }
                during = memory();
                while (floods.stream().anyMatch(f -> !f.isDone())) {
                    answered.compareAndSet(true, findNodes(honestConnection, 1) == 1);
                }
            }
            hosts.subList(2, hosts.size()).forEach(Host::close);
            while (dht.streamsServed() > 0) {
                Thread.sleep(100);
            }
            new Figures(streams + " FIND_NODE streams", answered.get(), before, during, memory()).print();
            dht.close();
        } finally {
            hosts.forEach(Host::close);
        }
    }

    /** Pipelines {@code count} FIND_NODE queries on a new stream; returns how many were answered. */
    private static int findNodes(Connection connection, int count) {
        Random random = new Random();
        try (Stream stream = connection.newStream(KadDht.PROTOCOL_ID)) {
            byte[] key = new byte[32];
            for (int i = 0; i < count; i++) {
                random.nextBytes(key);
                byte[] request = Message.newBuilder().setType(MessageType.FIND_NODE).setKey(ByteString.copyFrom(key))
                        .build().toByteArray();
                Varint.write(request.length, stream.out());
                stream.out().write(request);
            }
            stream.out().flush();
            int answered = 0;
            while (answered < count) {
                long length = Varint.read(stream.in());
                if (stream.in().readNBytes((int) length).length < length) {
                    break;
                }
                answered++;
            }
            return answered;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static boolean pings(PingService ping, Connection connection) {
        try {
            ping.ping(connection);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Live heap after a full GC, and the process's resident set, in MiB. */
    private static String memory() throws IOException {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long rssKib = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmRSS:")).map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong).findFirst().orElse(0);
        return String.format("%.1f / %.0f MiB", heap / 1048576.0, rssKib / 1024.0);
    }
}
