package dev.parley.transport.attack;

import dev.parley.transport.multiformats.Multiaddr;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the four attacks of the attack tests, one after the other, against one node with the default limits, with
 * a newcomer dialling and pinging it afresh throughout, and prints for each whether every fresh ping was answered
 * and the JVM's live heap and RSS before, during (at the end of the attack, while it still runs) and after (once
 * the node's counts are back to nothing). The attackers run in this JVM too; their share of the figures is their
 * sockets' and threads'. Argument: seconds each flood runs (default 15).
 */
public final class AdmissionBenchmark {
    private AdmissionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration floodFor = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 15);
        try (AttackedNode node = new AttackedNode()) {
            System.out.printf("%-44s | %-9s | %-22s | %-22s | %-22s | %s%n", "attack", "answered", "before: heap / RSS",
                    "during", "after", "refused at accept");
            run(node, "silent sockets, 1 address, 500/s", node.tcp, floodFor, () -> Flood.silent(
                    AttackedNode.attacker(2), node.tcpSocket(), Integer.MAX_VALUE, 500));
            runFreshPeers(node);
            run(node, "10,000 silent sockets, 1 address, at once", node.tcp, floodFor, () -> Flood.silent(
                    AttackedNode.attacker(4), node.tcpSocket(), 10_000, 20_000));
            InetSocketAddress ws = node.webSocketSocket();
            run(node, "WebSocket upgrades then silence, 500/s", node.webSocket, floodFor, () -> Flood.opening(
                    AttackedNode.attacker(5), ws, WebSocketUpgradeFloodTest.upgradeRequest(ws), Integer.MAX_VALUE,
                    500));
        }
    }

    /** Starts an attack that runs until closed. */
    private interface AttackStarter {
        AutoCloseable start() throws Exception;
    }

    private static void run(AttackedNode node, String name, Multiaddr honestTarget,
                            Duration floodFor, AttackStarter attack) throws Exception {
        NodeMemory before = NodeMemory.now();
        long refusedBefore = node.usage().refusedInAll();
        NodeMemory during;
        HonestPeer honest = new HonestPeer(honestTarget);
        AutoCloseable running = attack.start();
        try (running) {
            // The benchmark's measure is a flood of a given length; the tests wait on events instead.
            LockSupport.parkNanos(floodFor.toNanos());
            during = NodeMemory.now();
            honest.stop();
        }
        Await.until(node::atBaseline, AttackedNode.BACK_TO_BASELINE, () -> node.usage().toString());
        print(name, honest, before, during, NodeMemory.now(), node.usage().refusedInAll() - refusedBefore);
    }

    private static void runFreshPeers(AttackedNode node) throws Exception {
        NodeMemory before = NodeMemory.now();
        long refusedBefore = node.usage().refusedInAll();
        NodeMemory during;
        HonestPeer honest = new HonestPeer(node.tcp);
        FreshPeerFlood flood = FreshPeerFlood.run(AttackedNode.attacker(3), node.tcpSocket(), node.host.peerId(),
                1_100);
        try (flood) {
            Await.until(() -> honest.answered() >= 20, Duration.ofMinutes(1), () -> honest.failures().toString());
            during = NodeMemory.now();
            honest.stop();
        }
        Await.until(node::atBaseline, AttackedNode.BACK_TO_BASELINE, () -> node.usage().toString());
        print("1,100 fresh PeerIds, 1 address", honest, before, during, NodeMemory.now(),
                node.usage().refusedInAll() - refusedBefore);
    }

    private static void print(String name, HonestPeer honest, NodeMemory before, NodeMemory during,
                              NodeMemory after, long refused) {
        List<String> failures = honest.failures();
        System.out.printf("%-44s | %-9s | %-22s | %-22s | %-22s | %d%n", name,
                failures.isEmpty() ? "all " + honest.answered() : failures.size() + " failed",
                brief(before), brief(during), brief(after), refused);
        failures.stream().limit(3).forEach(failure -> System.out.println("    " + failure));
    }

    private static String brief(NodeMemory memory) {
        return memory.liveHeapMiB() + " / " + memory.rssMiB() + " MiB";
    }
}
