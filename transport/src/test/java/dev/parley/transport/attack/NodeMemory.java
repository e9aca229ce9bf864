package dev.parley.transport.attack;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory of this JVM, where the attacked node runs (beside its attackers, whose own share is small: sockets and
 * a thread each).
 *
 * @param liveHeapMiB heap in use after a full collection
 * @param rssMiB      resident set size, from /proc/self/status (-1 where there is none)
 */
record NodeMemory(long liveHeapMiB, long rssMiB) {
    static NodeMemory now() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new NodeMemory(heap >> 20, rssKiB() >> 10);
    }

    private static long rssKiB() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                    .findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return "live heap " + liveHeapMiB + " MiB, RSS " + rssMiB + " MiB";
    }
}
