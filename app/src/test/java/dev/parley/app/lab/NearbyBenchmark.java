package dev.parley.app.lab;

import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NetworkLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Time from start to seeing a nearby peer, in a lab LAN of two hosts: Ada's {@code parley chat} runs throughout;
 * for each run a new Bo starts with a new profile, and the time until Bo lists Ada as nearby (mDNS answer, a
 * connection and Ada's contact card over {@code /parley/profile}) is measured from the launch of Bo's JVM and from
 * Bo's {@code ready} line. Needs root ({@code ip netns}).
 *
 * <p>Arguments: {@code [runs (20)]}.
 */
public final class NearbyBenchmark {
    private NearbyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path profiles = Files.createTempDirectory("parley-nearby-benchmark");
        List<Double> fromLaunch = new ArrayList<>();
        List<Double> fromReady = new ArrayList<>();
        try (NetworkLab lab = NetworkLab.create()) {
            List<LabHost> lan = lab.addLan(2);
            try (LabChat ada = LabChat.start(lab, lan.get(0), profiles.resolve("ada"), "Ada")) {
                for (int run = 0; run < runs; run++) {
                    long launched = System.nanoTime();
                    try (LabChat bo = LabChat.start(lab, lan.get(1), profiles.resolve("bo-" + run), "Bo")) {
                        long ready = System.nanoTime();
                        bo.awaitNearby(ada);
                        long seen = System.nanoTime();
                        fromLaunch.add((seen - launched) / 1e6);
                        fromReady.add((seen - ready) / 1e6);
                    }
                }
            }
        } finally {
            deleteTree(profiles);
        }
        System.out.printf("%d runs: time until a new parley chat lists a running one as nearby%n", runs);
        print("from its ready line", fromReady);
        print("from launching its JVM", fromLaunch);
    }

    private static void print(String what, List<Double> millis) {
        List<Double> sorted = millis.stream().sorted(Comparator.naturalOrder()).toList();
        System.out.printf("  %-24s p50 %6.0f ms, p95 %6.0f ms, max %6.0f ms%n", what, percentile(sorted, 50),
                percentile(sorted, 95), sorted.getLast());
    }

    private static double percentile(List<Double> sorted, int percent) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
