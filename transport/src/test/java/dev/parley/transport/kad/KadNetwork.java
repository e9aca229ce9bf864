package dev.parley.transport.kad;

import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.ping.PingService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Java hosts on loopback, each running identify, ping and a DHT, closed together. */
final class KadNetwork implements AutoCloseable {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    record Node(Host host, KadDht dht, Multiaddr address) {
    }

    private final List<Node> nodes = new ArrayList<>();
    private final KadOptions options;

    KadNetwork(KadOptions options) {
        this.options = options;
    }

    /** A new node listening on loopback, not bootstrapped yet. */
    Node start(KadMode mode) throws IOException {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        // js-libp2p pings a peer before taking it into its routing table.
        new PingService(host);
        KadDht dht = new KadDht(host, new IdentifyService(host, "parley-kad-test"), mode, options);
        Multiaddr address = host.listen(LOOPBACK).withPeerId(host.peerId());
        Node node = new Node(host, dht, address);
        nodes.add(node);
        return node;
    }

    /**
     * Starts {@code count} servers; each after the first bootstraps from 1 to {@code maxBootstraps} random
     * nodes started before it.
     */
    List<Node> startServers(int count, int maxBootstraps, Random random) throws IOException {
        List<Node> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Node node = start(KadMode.SERVER);
            if (!started.isEmpty()) {
                List<Multiaddr> bootstraps = new ArrayList<>();
                int wanted = Math.min(started.size(), 1 + random.nextInt(maxBootstraps));
                while (bootstraps.size() < wanted) {
                    Multiaddr address = started.get(random.nextInt(started.size())).address();
                    if (!bootstraps.contains(address)) {
                        bootstraps.add(address);
                    }
                }
                node.dht().bootstrap(bootstraps);
            }
            started.add(node);
        }
        awaitAdmissions(started);
        return started;
    }

    /**
     * Waits until every node has taken each peer that connected to it into its routing table (after that peer's
     * identify): until then a lookup can miss a node that joined last.
     */
    static void awaitAdmissions(List<Node> nodes) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (nodes.stream().anyMatch(node -> node.dht().admissionsUnderWay() > 0)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("DHT nodes still admitting peers after 30 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the DHT settled", e);
            }
        }
    }

    @Override
    public void close() {
        for (Node node : nodes.reversed()) {
            node.dht().close();
            node.host().close();
        }
    }
}
