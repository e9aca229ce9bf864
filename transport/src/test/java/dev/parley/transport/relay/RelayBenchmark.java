package dev.parley.transport.relay;

import static dev.parley.transport.TestProtocols.ECHO;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.Stream;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.perf.PerfResult;
import dev.parley.transport.perf.PerfService;
import dev.parley.transport.spi.CircuitLimit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Java to Java through a Java relay on loopback: time from starting a dial of a circuit address (fresh
 * dialler, so it includes connecting to the relay) to the first byte echoed back, and relayed throughput.
 * Arguments: [runs, default 20] [MiB each way for throughput, default 64].
 */
public final class RelayBenchmark {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");

    private RelayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 64;
        try (Host relay = host(); Host listener = host()) {
            RelayService.start(relay, RelayLimits.defaults().withCircuit(CircuitLimit.UNLIMITED));
            Multiaddr relayAddress = relay.listen(LOOPBACK).withPeerId(relay.peerId());
            RelayTransport.install(listener, false);
            PerfService.enable(listener);
            listener.listen(relayAddress.encapsulate(CIRCUIT));
            Multiaddr circuit = relayAddress.encapsulate(CIRCUIT).withPeerId(listener.peerId());

            List<Double> firstByteMillis = new ArrayList<>();
            for (int i = 0; i < runs + 3; i++) {
                double millis = timeToFirstEchoedByte(circuit);
                if (i >= 3) {
                    firstByteMillis.add(millis);
                }
            }
            firstByteMillis.sort(null);
            System.out.printf(Locale.ROOT, "dial through relay to first echoed byte over %d runs (3 warm-up runs"
                            + " dropped): p50 %.2f ms, p90 %.2f ms, min %.2f ms, max %.2f ms%n", runs,
                    percentile(firstByteMillis, 50), percentile(firstByteMillis, 90), firstByteMillis.getFirst(),
                    firstByteMillis.getLast());

            try (Host dialler = host()) {
                RelayTransport.install(dialler, false);
                Connection connection = dialler.dial(circuit);
                PerfService.run(connection, 16L << 20, 16L << 20);
                PerfResult result = PerfService.run(connection, mib << 20, mib << 20);
                System.out.printf(Locale.ROOT, "relayed throughput (perf, %d MiB each way, after a 16 MiB warm-up):"
                        + " upload %.1f MiB/s, download %.1f MiB/s%n", mib, result.uploadMibPerSecond(),
                        result.downloadMibPerSecond());
            }
        }
    }

    private static Host host() {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        host.setHandler(ECHO, TestProtocols::echo);
        return host;
    }

    private static double timeToFirstEchoedByte(Multiaddr circuit) throws IOException {
        try (Host dialler = host()) {
            RelayTransport.install(dialler, false);
            long start = System.nanoTime();
            Connection connection = dialler.dial(circuit);
            try (Stream stream = connection.newStream(ECHO)) {
                stream.out().write(42);
                stream.out().flush();
                if (stream.in().read() != 42) {
                    throw new IOException("echo through the relay returned another byte");
                }
                return (System.nanoTime() - start) / 1e6;
            }
        }
    }

    private static double percentile(List<Double> sorted, int percent) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }
}
