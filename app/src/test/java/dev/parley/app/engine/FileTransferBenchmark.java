package dev.parley.app.engine;

import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.file.FileChunks;
import dev.parley.transport.perf.PerfResult;
import dev.parley.transport.perf.PerfService;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Files between engines on loopback, timed (app/README.md, "Files").
 *
 * <p>{@code direct [MiB (1024)] [rounds (3)]}: Alice offers a file of that size to Bob, who fetches it; timed from
 * {@code download} to the COMPLETE event (the whole file checked, flushed and hashed), beside {@code /perf/1.0.0}
 * downloading as many bytes over the same connection in the same run. Prints MiB/s for both and the file's share of
 * perf's, the heap's peak during the fetch (both engines share this JVM: run it with a small {@code -Xmx} to see
 * memory stay flat), the live heap after a full collection half way through, and the CPU time both took a MiB
 * (the process's, so both engines', on all cores), which a machine busy with other work changes far less than rates.
 *
 * <p>{@code room [MiB (100)] [members (20)]}: Alice offers a file in a room of that many members besides her, and all
 * fetch it at once; prints the bytes Alice's uplink carried for it as a multiple of the sealed file, and the time.
 */
public final class FileTransferBenchmark {
    private FileTransferBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "direct";
        if (mode.equals("room")) {
            room(args.length > 1 ? Long.parseLong(args[1]) : 100, args.length > 2 ? Integer.parseInt(args[2]) : 20);
            return;
        }
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (int round = 1; round <= rounds; round++) {
            direct(round, mib);
        }
    }

    private static void direct(int round, long mib) throws Exception {
        Path folder = Files.createTempDirectory("parley-file-bench");
        long size = mib << 20;
        Path file = TestFiles.random(folder.resolve("big.bin"), size, round);
        try (TestEngine alice = TestEngine.start(folder, "Alice"); TestEngine bob = TestEngine.start(folder, "Bob")) {
            TestEngine.befriend(alice, bob);
            // Online as a contact says, whichever event said it first (a Presence, or the contact's update).
            TestEngine.awaitCondition(() -> bob.engine.contacts().get(alice.peerId()).map(ContactInfo::online)
                    .orElse(false), "Alice online at Bob's");
            PerfService.enable(alice.engine.host());
            long perfCpuStart = processCpuNanos();
            PerfResult perf = PerfService.run(bob.engine.host().connect(alice.peerId()), 0, size);
            double perfCpuPerMib = (processCpuNanos() - perfCpuStart) / 1e6 / mib;

            long prepareStart = System.nanoTime();
            MessageId id = alice.engine.files().send(new ConversationRef.Direct(bob.peerId()), file, "", copied -> { });
            double prepared = (System.nanoTime() - prepareStart) / 1e9;
            bob.events.await(EngineEvent.MessageReceived.class, event -> event.message().id().equals(id));
            MessageRef offer = new MessageRef(new ConversationRef.Direct(alice.peerId()), alice.peerId(), id);

            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
            System.gc();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            long[] liveHalfWay = {-1};
            bob.engine.subscribe(event -> {
                if (event instanceof EngineEvent.FileProgress progress && liveHalfWay[0] < 0
                        && progress.transfer().bytesHeld() >= size / 2) {
                    System.gc();
                    liveHalfWay[0] = usedHeap();
                }
            });
            long start = System.nanoTime();
            long fileCpuStart = processCpuNanos();
            bob.engine.files().download(offer);
            bob.events.await(EngineEvent.FileProgress.class, progress -> progress.message().equals(offer)
                    && progress.transfer().state() == FileTransfer.State.COMPLETE, Duration.ofMinutes(10));
            double seconds = (System.nanoTime() - start) / 1e9;
            double fileCpuPerMib = (processCpuNanos() - fileCpuStart) / 1e6 / mib;
            long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
            double fileRate = mib / seconds;
            System.out.printf("round %d: %d MiB file in %.2f s = %.0f MiB/s; /perf/1.0.0 %.0f MiB/s on the same"
                            + " connection: %.0f %%; copied into Alice's profile in %.2f s; heap peak during the fetch"
                            + " %d MiB (max %d MiB), live after a full GC half way %d MiB; CPU (both engines, all cores)"
                            + " per MiB: file %.2f ms, perf %.2f ms%n", round, mib, seconds,
                    fileRate, perf.downloadMibPerSecond(), 100 * fileRate / perf.downloadMibPerSecond(), prepared,
                    peak >> 20, Runtime.getRuntime().maxMemory() >> 20, liveHalfWay[0] >> 20, fileCpuPerMib,
                    perfCpuPerMib);
            if (Files.mismatch(file, bob.engine.files().stored(offer)) != -1) {
                throw new AssertionError("the fetched file differs from the sent one");
            }
        }
        deleteTree(folder);
    }

    private static void room(long mib, int members) throws Exception {
        Path folder = Files.createTempDirectory("parley-file-room-bench");
        long size = mib << 20;
        Path file = TestFiles.random(folder.resolve("film.mp4"), size, 7);
        List<TestEngine> started = new ArrayList<>();
        try {
            TestEngine alice = TestEngine.start(folder, "Alice");
            started.add(alice);
            List<TestEngine> others = new ArrayList<>();
            for (int i = 1; i <= members; i++) {
                TestEngine member = TestEngine.start(folder, "Member" + i);
                others.add(member);
                started.add(member);
            }
            RoomId room = RoomChatTest.roomOf(alice, others);
            MessageId id = alice.engine.files().send(new ConversationRef.Room(room), file, "", copied -> { });
            MessageRef offer = new MessageRef(new ConversationRef.Room(room), alice.peerId(), id);
            for (TestEngine member : others) {
                member.events.await(EngineEvent.RoomMessageReceived.class, event -> event.message().id().equals(id),
                        Duration.ofMinutes(2));
            }
            long start = System.nanoTime();
            for (TestEngine member : others) {
                member.engine.files().download(offer);
            }
            for (TestEngine member : others) {
                member.events.await(EngineEvent.FileProgress.class, progress -> progress.message().equals(offer)
                        && progress.transfer().state() == FileTransfer.State.COMPLETE, Duration.ofMinutes(20));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long sealed = size + FileChunks.chunkCount(size, FileChunks.CHUNK_SIZE) * FileChunks.TAG_SIZE;
            long uploaded = alice.engine.fileBytesServed();
            System.out.printf("room of %d members + the sender: %d MiB file to all in %.1f s; the sender uploaded %d"
                            + " bytes = %.2f x the sealed file (%d bytes); the members served %d bytes between them%n",
                    members, mib, seconds, uploaded, (double) uploaded / sealed, sealed,
                    others.stream().mapToLong(member -> member.engine.fileBytesServed()).sum());
        } finally {
            started.forEach(TestEngine::close);
            deleteTree(folder);
        }
    }

    /** CPU time this process used so far, on all its threads: a figure a loaded machine leaves alone, unlike rates. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getUsage().getUsed()).sum();
    }

    private static void deleteTree(Path folder) throws Exception {
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
