package dev.parley.transport.mdns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NetworkLab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Time from start to seeing a nearby peer, in a network lab: one Parley node runs on a LAN host, and a second
 * is started on another host {@code runs} times (a fresh JVM and identity each time). For each run it takes
 * the time from the newcomer's discovery start to its PeerFound for the first node, and to the first node's
 * PeerFound for it, and the time from launching the newcomer's JVM to its PeerFound. Both nodes use the default
 * query interval and TTL unless told otherwise. Needs root.
 *
 * <pre>
 * MdnsDiscoveryBenchmark [runs=20] [query interval ms=10000]
 * </pre>
 */
public final class MdnsDiscoveryBenchmark {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private MdnsDiscoveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Duration interval = args.length > 1 ? Duration.ofMillis(Long.parseLong(args[1])) : MdnsConfig.DEFAULT_QUERY_INTERVAL;
        Duration ttl = MdnsConfig.DEFAULT_RECORD_TTL.compareTo(interval.multipliedBy(2)) >= 0
                ? MdnsConfig.DEFAULT_RECORD_TTL
                : interval.multipliedBy(2);
        List<Long> newcomerFinds = new ArrayList<>();
        List<Long> residentFinds = new ArrayList<>();
        List<Long> fromLaunch = new ArrayList<>();
        try (NetworkLab lab = NetworkLab.create()) {
            List<LabHost> lan = lab.addLan(2);
            try (MdnsProbe resident = MdnsProbe.start(lab, lan.get(0), interval, ttl)) {
                System.out.printf("mDNS discovery, %d runs, query interval %d ms, TTL %d s%n", runs,
                        interval.toMillis(), ttl.toSeconds());
                for (int run = 1; run <= runs; run++) {
                    long launchedAt = System.currentTimeMillis();
                    try (MdnsProbe newcomer = MdnsProbe.start(lab, lan.get(1), interval, ttl)) {
                        JsonNode sawResident = newcomer.awaitFound(resident.peerId(), WAIT);
                        JsonNode sawNewcomer = resident.awaitFound(newcomer.peerId(), WAIT);
                        newcomerFinds.add(sawResident.path("at").asLong() - newcomer.startedAt());
                        residentFinds.add(sawNewcomer.path("at").asLong() - newcomer.startedAt());
                        fromLaunch.add(sawResident.path("at").asLong() - launchedAt);
                        System.out.printf("run %2d: newcomer found resident %4d ms after its start, resident found"
                                + " newcomer %4d ms after it; %5d ms from JVM launch%n", run,
                                newcomerFinds.getLast(), residentFinds.getLast(), fromLaunch.getLast());
                        newcomer.stop();
                        resident.awaitLost(newcomer.peerId(), WAIT);
                    }
                }
            }
        }
        report("newcomer finds resident, from discovery start", newcomerFinds);
        report("resident finds newcomer, from newcomer's discovery start", residentFinds);
        report("newcomer finds resident, from JVM launch", fromLaunch);
    }

    private static void report(String what, List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.printf("%-58s p50 %5d ms  p95 %5d ms  max %5d ms%n", what, percentile(sorted, 50),
                percentile(sorted, 95), sorted.getLast());
    }

    /** The nearest-rank percentile of sorted values. */
    private static long percentile(List<Long> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
