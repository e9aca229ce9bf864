package dev.parley.app.engine;

import com.sun.management.OperatingSystemMXBean;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.store.StoreStats;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Two engines in this JVM on loopback, each with its durable SQLite store in a temporary folder, contacts of each
 * other. Every message is sealed (under the contacts' session), opened and committed (fsync) on both sides before it
 * counts.
 *
 * <ol>
 *   <li>latency: one message at a time, from calling {@code send} to the Delivered event (the peer's ack of its
 *   durable commit, recorded durably by the sender); also how long {@code send} itself takes (seal, commit);</li>
 *   <li>throughput: a burst of messages handed to {@code sendAsync} at once, until every one is delivered;</li>
 *   <li>session start: the first message to a new contact, already connected, from {@code send} to Delivered (the
 *   session's handshake round trip included), one new contact after another.</li>
 * </ol>
 *
 * Arguments: {@code [latency messages (2000)] [burst messages (50000)] [new contacts (40)] [phases]}, the last a
 * comma-separated choice of {@code latency,throughput,start} (all three unless given), to profile one phase alone.
 * Prints figures; asserts nothing.
 */
public final class ChatBenchmark {
    /** The JIT settles only after a few thousand messages (the CPU a message costs halves until then). */
    private static final int WARM_UP = 3_000;

    /** Records when each Delivered and MessageReceived event arrives. */
    private static final class Arrivals implements Consumer<EngineEvent> {
        final Map<MessageId, Long> delivered = new ConcurrentHashMap<>();
        final AtomicInteger received = new AtomicInteger();
        volatile long lastReceivedNanos;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition arrived = lock.newCondition();

        @Override
        public void accept(EngineEvent event) {
            long now = System.nanoTime();
            switch (event) {
                case EngineEvent.Delivered d -> delivered.put(d.id(), now);
                case EngineEvent.MessageReceived m -> {
                    received.incrementAndGet();
                    lastReceivedNanos = now;
                }
                default -> {
                    return;
                }
            }
            lock.lock();
            try {
                arrived.signalAll();
            } finally {
                lock.unlock();
            }
        }

        long awaitDelivered(MessageId id) throws InterruptedException {
            lock.lock();
            try {
                while (!delivered.containsKey(id)) {
                    if (!arrived.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("message " + id + " not delivered within 30 s");
                    }
                }
                return delivered.get(id);
            } finally {
                lock.unlock();
            }
        }

        void awaitDeliveredCount(int count) throws InterruptedException {
            lock.lock();
            try {
                while (delivered.size() < count) {
                    if (!arrived.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("only " + delivered.size() + " of " + count
                                + " delivered after a minute without progress");
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private ChatBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int latencyMessages = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int burstMessages = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int newContacts = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        List<String> phases = List.of((args.length > 3 ? args[3] : "latency,throughput,start").split(","));
        System.out.printf("ChatBenchmark: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        Path folder = Files.createTempDirectory("parley-chat-benchmark");
        try {
            if (phases.contains("latency")) {
                latency(folder.resolve("latency"), latencyMessages);
            }
            if (phases.contains("throughput")) {
                throughput(folder.resolve("throughput"), burstMessages);
            }
            if (phases.contains("start")) {
                sessionStart(folder.resolve("session-start"), newContacts);
            }
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** An engine that stores what its contact sends as fast as it comes: the burst measures the pipeline, not the rate. */
    private static Engine start(Path folder, String name) throws IOException {
        return Engine.start(EngineConfig.of(folder.resolve(name), Identity.generate(), name,
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).withInboundRate(InboundRate.UNLIMITED));
    }

    private static void befriend(Engine a, Engine b) throws EngineException {
        a.contacts().add(b.invite());
        b.contacts().add(a.invite());
    }

    private static void latency(Path folder, int messages) throws Exception {
        try (Engine alice = start(folder, "Alice"); Engine bob = start(folder, "Bob")) {
            befriend(alice, bob);
            Arrivals arrivals = new Arrivals();
            alice.subscribe(arrivals);
            PeerId to = bob.peerId();
            long[] sendNanos = new long[messages];
            long[] deliveredNanos = new long[messages];
            long cpuBefore = 0;
            for (int i = -WARM_UP; i < messages; i++) {
                if (i == 0) {
                    cpuBefore = processCpuNanos();
                }
                long start = System.nanoTime();
                MessageId id = alice.chat()
                        .send(to, "latency message " + i + " with about the length of a chat line");
                long sent = System.nanoTime();
                long delivered = arrivals.awaitDelivered(id);
                if (i >= 0) {
                    sendNanos[i] = sent - start;
                    deliveredNanos[i] = delivered - start;
                }
            }
            System.out.printf("latency, %d messages one at a time (after %d to warm up):%n", messages, WARM_UP);
            System.out.printf("  send -> Delivered event: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    percentile(deliveredNanos, 50), percentile(deliveredNanos, 90), percentile(deliveredNanos, 99),
                    percentile(deliveredNanos, 100));
            long cpu = processCpuNanos() - cpuBefore;
            System.out.printf("  send() call (seal, commit message and outbox entry): p50 %.2f ms, p99 %.2f ms%n",
                    percentile(sendNanos, 50), percentile(sendNanos, 99));
            System.out.printf("  process CPU for both engines: %.0f µs a message%n", cpu / 1e3 / messages);
            printStats("Alice", alice.store().stats());
            printStats("Bob", bob.store().stats());
        }
    }

    private static void throughput(Path folder, int messages) throws Exception {
        try (Engine alice = start(folder, "Alice"); Engine bob = start(folder, "Bob")) {
            befriend(alice, bob);
            Arrivals atAlice = new Arrivals();
            Arrivals atBob = new Arrivals();
            alice.subscribe(atAlice);
            bob.subscribe(atBob);
            PeerId to = bob.peerId();
            List<CompletableFuture<MessageId>> warmUp = new ArrayList<>(WARM_UP);
            for (int i = 0; i < WARM_UP; i++) {
                warmUp.add(alice.chat().sendAsync(to, "warm-up " + i));
            }
            CompletableFuture.allOf(warmUp.toArray(CompletableFuture[]::new)).join();
            atAlice.awaitDeliveredCount(WARM_UP);
            StoreStats aliceBefore = alice.store().stats();
            StoreStats bobBefore = bob.store().stats();
            long cpuBefore = processCpuNanos();

            long start = System.nanoTime();
            List<CompletableFuture<MessageId>> sent = new ArrayList<>(messages);
            for (int i = 0; i < messages; i++) {
                sent.add(alice.chat().sendAsync(to, "burst message " + i + " with about the length of a chat line"));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            long queued = System.nanoTime();
            atAlice.awaitDeliveredCount(WARM_UP + messages);
            long done = System.nanoTime();
            long cpu = processCpuNanos() - cpuBefore;

            double seconds = (done - start) / 1e9;
            System.out.printf("throughput, a burst of %d messages handed to sendAsync at once:%n", messages);
            System.out.printf("  all sealed and queued durably after %.2f s (%.0f messages/s)%n", (queued - start) / 1e9,
                    messages / ((queued - start) / 1e9));
            System.out.printf("  all received by Bob after %.2f s, all delivered (acked, recorded) after %.2f s:"
                            + " %.0f messages/s%n", (atBob.lastReceivedNanos - start) / 1e9, seconds,
                    messages / seconds);
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf("  process CPU %.1f s for both engines: %.0f µs a message (%.0f%% of %d cores)%n",
                    cpu / 1e9, cpu / 1e3 / messages, 100.0 * cpu / (done - start) / cores, cores);
            printStats("Alice", minus(alice.store().stats(), aliceBefore));
            printStats("Bob", minus(bob.store().stats(), bobBefore));
            if (atBob.received.get() != WARM_UP + messages) {
                System.out.printf("  Bob reported %d messages, expected %d%n", atBob.received.get(), WARM_UP + messages);
            }
        }
    }

    private static void sessionStart(Path folder, int contacts) throws Exception {
        try (Engine alice = start(folder, "Alice")) {
            Arrivals arrivals = new Arrivals();
            alice.subscribe(arrivals);
            long[] firstNanos = new long[contacts];
            long[] secondNanos = new long[contacts];
            for (int i = 0; i < contacts; i++) {
                try (Engine bob = start(folder, "Bob" + i)) {
                    CompletableFuture<Void> online = new CompletableFuture<>();
                    alice.subscribe(event -> {
                        if (event instanceof EngineEvent.Presence presence && presence.online()
                                && presence.peer().equals(bob.peerId())) {
                            online.complete(null);
                        }
                    });
                    befriend(alice, bob);
                    online.get(30, TimeUnit.SECONDS);
                    long start = System.nanoTime();
                    MessageId first = alice.chat().send(bob.peerId(), "the first message to a new contact");
                    firstNanos[i] = arrivals.awaitDelivered(first) - start;
                    start = System.nanoTime();
                    MessageId second = alice.chat().send(bob.peerId(), "and the second");
                    secondNanos[i] = arrivals.awaitDelivered(second) - start;
                }
            }
            System.out.printf("session start, %d new contacts, each connected before the first message:%n", contacts);
            System.out.printf("  first message send -> Delivered: p50 %.2f ms, p90 %.2f ms, max %.2f ms%n",
                    percentile(firstNanos, 50), percentile(firstNanos, 90), percentile(firstNanos, 100));
            System.out.printf("  second message send -> Delivered: p50 %.2f ms, p90 %.2f ms%n",
                    percentile(secondNanos, 50), percentile(secondNanos, 90));
        }
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static StoreStats minus(StoreStats after, StoreStats before) {
        return new StoreStats(after.commits() - before.commits(), after.writes() - before.writes(),
                after.largestBatch());
    }

    private static void printStats(String who, StoreStats stats) {
        System.out.printf("  %s's store: %d writes in %d commits (%.1f a commit), largest batch %d%n", who,
                stats.writes(), stats.commits(), stats.commits() == 0 ? 0.0 : (double) stats.writes() / stats.commits(),
                stats.largestBatch());
    }

    private static double percentile(long[] nanos, int percent) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
