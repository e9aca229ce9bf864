package dev.parley.app.mailbox;

import dev.parley.app.mailbox.MailboxFixture.Owner;
import dev.parley.store.MailboxLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Mailbox figures on loopback (app/README.md, Performance): deposits and fetches a second, disk bytes per stored
 * envelope, and the process's RSS and live heap holding 100,000 envelopes for 10 owners. The mailbox, its owners and
 * the depositors share one JVM, so RSS and heap are upper bounds for the mailbox alone.
 *
 * <pre>
 * mvn -q -B -pl app test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath dev.parley.app.mailbox.MailboxBenchmark [envelopes] [envelope bytes] [streams]"
 * </pre>
 */
public final class MailboxBenchmark {
    private static final int OWNERS = 10;

    private MailboxBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int envelopes = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int envelopeBytes = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int streams = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Path folder = Files.createTempDirectory("parley-mailbox-benchmark");
        MailboxLimits limits = new MailboxLimits(envelopes, 1L << 40, envelopes, 1L << 40, Duration.ofDays(14), 4_096);
        try (MailboxFixture mailbox = new MailboxFixture(folder, limits, OWNERS, Clock.systemUTC())) {
            List<Owner> owners = new ArrayList<>();
            List<DepositCapability> capabilities = new ArrayList<>();
            for (int i = 0; i < OWNERS; i++) {
                owners.add(mailbox.owner());
                capabilities.add(owners.getLast().capability(mailbox));
            }
            long started = System.nanoTime();
            deposit(mailbox, capabilities, envelopes, envelopeBytes, streams);
            double depositSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("deposits: %,d envelopes of %,d bytes over %d streams in %.1f s: %,.0f/s%n", envelopes,
                    envelopeBytes, streams, depositSeconds, envelopes / depositSeconds);

            started = System.nanoTime();
            long fetched = fetchAll(owners);
            double fetchSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("fetches: %,d envelopes by %d owners in batches of 256 in %.1f s: %,.0f/s%n", fetched,
                    OWNERS, fetchSeconds, fetched / fetchSeconds);

            long database = Files.size(mailbox.file);
            long disk = folderBytes(folder);
            System.out.printf("disk: %,d bytes of database = %,.0f bytes per envelope of %,d bytes; %,d with its WAL%n",
                    database, (double) database / envelopes, envelopeBytes, disk);
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            System.out.printf("memory holding %,d envelopes for %d owners: RSS %s, live heap %,d MiB%n", envelopes,
                    OWNERS, rss(), (runtime.totalMemory() - runtime.freeMemory()) >> 20);
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void deposit(MailboxFixture mailbox, List<DepositCapability> capabilities, int envelopes,
                                int envelopeBytes, int streams) throws Exception {
        try (ExecutorService depositors = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                int stream = s;
                DepositCapability capability = capabilities.get(s % capabilities.size());
                MailboxClient client = mailbox.depositor(capability);
                done.add(depositors.submit(() -> {
                    try (MailboxClient.Depositor depositor = client.depositor()) {
                        for (int i = stream; i < envelopes; i += streams) {
                            byte[] envelope = new byte[envelopeBytes];
                            ThreadLocalRandom.current().nextBytes(envelope);
                            depositor.deposit(capabilities.get(i % capabilities.size()), envelope);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> stream : done) {
                stream.get();
            }
        }
    }

    private static long fetchAll(List<Owner> owners) throws Exception {
        try (ExecutorService fetchers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> counts = new ArrayList<>();
            for (Owner owner : owners) {
                counts.add(fetchers.submit(() -> {
                    long count = 0;
                    long after = 0;
                    MailboxClient.FetchedBatch batch;
                    do {
                        batch = owner.client().fetch(after, 256);
                        count += batch.envelopes().size();
                        after = batch.envelopes().isEmpty() ? after : batch.envelopes().getLast().seq();
                    } while (batch.more());
                    return count;
                }));
            }
            long total = 0;
            for (Future<Long> count : counts) {
                total += count.get();
            }
            return total;
        }
    }

    private static long folderBytes(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.mapToLong(path -> path.toFile().length()).sum();
        }
    }

    private static String rss() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(line -> line.startsWith("VmRSS:"))
                .map(line -> line.substring(6).trim()).findFirst().orElse("unknown");
    }
}
