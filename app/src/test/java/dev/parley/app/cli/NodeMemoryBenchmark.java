package dev.parley.app.cli;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.ping.PingService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resident memory of a {@code parley node} process: idle, then with 100 peers connected to it (each a
 * separate host in this JVM that dials it and pings it once; identify runs both ways as usual). Run:
 * <pre>
 * mvn -q -B install -DskipTests && mvn -q -B -pl app test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath dev.parley.app.cli.NodeMemoryBenchmark"
 * </pre>
 */
public final class NodeMemoryBenchmark {
    private static final int PEERS = 100;
    private static final long SETTLE_MILLIS = 5_000;

    public static void main(String[] args) throws Exception {
        Path profile = Files.createTempDirectory("parley-bench");
        try (NodeProcess node = new NodeProcess(profile)) {
            Thread.sleep(SETTLE_MILLIS);
            long pid = node.process().pid();
            System.out.printf("parley node pid %d, idle: RSS %.1f MiB%n", pid, residentMib(pid));

            Multiaddr target = Multiaddr.parse(node.addresses().get(0));
            List<Host> peers = new ArrayList<>();
            try {
                for (int i = 0; i < PEERS; i++) {
                    Host peer = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
                    peers.add(peer);
                    PingService ping = new PingService(peer);
                    Connection connection = peer.dial(target);
                    ping.ping(connection);
                }
                Thread.sleep(SETTLE_MILLIS);
                System.out.printf("with %d connected peers: RSS %.1f MiB%n", PEERS, residentMib(pid));
            } finally {
                peers.forEach(Host::close);
            }
            node.endInput();
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** VmRSS of a process, from /proc. */
    private static double residentMib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }
}
