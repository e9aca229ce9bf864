package dev.parley.transport.kad;

import dev.parley.transport.kad.KadNetwork.Node;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Lookup time and hops in a DHT of Java hosts on loopback, each bootstrapped from 1 to 3 random others.
 * Arguments: [hosts, default 50] [lookups, default 200].
 */
public final class KadLookupBenchmark {
    private KadLookupBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int lookups = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Random random = new Random(42);
        try (KadNetwork network = new KadNetwork(KadOptions.defaults())) {
            long start = System.nanoTime();
            List<Node> nodes = network.startServers(hosts, 3, random);
            System.out.printf("%d hosts started and bootstrapped in %.1f s%n", hosts, (System.nanoTime() - start) / 1e9);
            List<Double> millis = new ArrayList<>();
            List<Integer> hops = new ArrayList<>();
            int notFound = 0;
            for (int i = 0; i < lookups; i++) {
                Node asker = nodes.get(random.nextInt(hosts));
                Node target = nodes.get(random.nextInt(hosts));
                if (asker == target) {
                    i--;
                    continue;
                }
                long began = System.nanoTime();
                var found = asker.dht().findPeer(target.host().peerId());
                millis.add((System.nanoTime() - began) / 1e6);
                if (found.isPresent()) {
                    hops.add(found.get().hops());
                } else {
                    notFound++;
                }
            }
            Collections.sort(millis);
            Collections.sort(hops);
            System.out.printf("%d lookups, %d not found%n", lookups, notFound);
            System.out.printf("lookup time: p50 %.2f ms, p95 %.2f ms%n", percentile(millis, 50), percentile(millis, 95));
            System.out.printf("hops: p50 %d, max %d%n", hops.get(hops.size() / 2), hops.getLast());
        }
    }

    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
