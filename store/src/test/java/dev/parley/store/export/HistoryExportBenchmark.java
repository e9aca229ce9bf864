package dev.parley.store.export;

import dev.parley.store.Contact;
import dev.parley.store.ContactState;
import dev.parley.store.Conversation;
import dev.parley.store.Direction;
import dev.parley.store.HistoryScope;
import dev.parley.store.ImportCounts;
import dev.parley.store.MessageKey;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.Receipt;
import dev.parley.store.ReceiptKind;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoredMessage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Prints the export figures: a store of N messages (default 1,000,000) in 20 conversations, exported to JSON and to
 * HTML (time, messages/s, peak heap), then the JSON imported into an empty store (time), and whether exporting the
 * import gives the same bytes. Run it with {@code -Xmx256m} to show the work fits in that heap. Files go to a
 * temporary folder, deleted after.
 *
 * <p>Arguments: [messages (1000000)].
 */
public final class HistoryExportBenchmark {
    private static final int CONVERSATIONS = 20;
    private static final Person ME = new Person("12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK", "Mia");
    private static final Instant T0 = Instant.parse("2026-01-01T08:00:00Z");
    private static final String[] WORDS = ("see you tomorrow at the wall bring the rope and some coffee please"
            + " café naïve 🧗 👍 שלום مرحبا the weather looks fine for climbing this weekend").split(" ");

    private HistoryExportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path folder = Files.createTempDirectory("parley-export-benchmark");
        try {
            run(folder, total);
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static void run(Path folder, int total) throws IOException {
        System.out.printf(Locale.ROOT, "max heap %d MB, %d messages in %d conversations%n",
                Runtime.getRuntime().maxMemory() >> 20, total, CONVERSATIONS);
        Path json = folder.resolve("history.json");
        try (SqliteStore store = SqliteStore.open(folder.resolve("source").resolve("parley.db"))) {
            long start = System.nanoTime();
            fill(store, total);
            System.out.printf(Locale.ROOT, "filled the store in %.1f s%n", seconds(start));
            HistoryExporter exporter = new HistoryExporter(store, ME, peer -> Optional.empty());
            exportTo(exporter, ExportFormat.JSON, json);
            exportTo(exporter, ExportFormat.HTML, folder.resolve("history.html"));
        }
        try (SqliteStore empty = SqliteStore.open(folder.resolve("restored").resolve("parley.db"))) {
            resetPeaks();
            long start = System.nanoTime();
            ImportCounts counts = new HistoryImporter(empty).importFrom(json, ExportProgress.NONE);
            double took = seconds(start);
            System.out.printf(Locale.ROOT, "import JSON: %,d messages in %.1f s = %,.0f messages/s, peak heap %d MB%n",
                    counts.messagesAdded(), took, counts.messagesAdded() / took, peakHeapMegabytes());
            Path again = folder.resolve("again.json");
            new HistoryExporter(empty, ME, peer -> Optional.empty()).export(ExportFormat.JSON,
                    HistoryScope.everything(), ZoneId.of("UTC"), again, false, ExportProgress.NONE);
            System.out.println("export of the import identical: " + (Files.mismatch(json, again) == -1));
        }
    }

    private static void exportTo(HistoryExporter exporter, ExportFormat format, Path file) {
        resetPeaks();
        long start = System.nanoTime();
        HistoryExporter.Summary summary = exporter.export(format, HistoryScope.everything(), ZoneId.of("UTC"), file,
                false, ExportProgress.NONE);
        double took = seconds(start);
        System.out.printf(Locale.ROOT, "export %s: %,d messages in %.1f s = %,.0f messages/s, %,d MB, peak heap %d MB%n",
                format.extension(), summary.messages(), took, summary.messages() / took, summary.bytes() >> 20,
                peakHeapMegabytes());
    }

    private static void fill(SqliteStore store, int total) {
        Random random = new Random(42);
        int perConversation = total / CONVERSATIONS;
        for (int c = 0; c < CONVERSATIONS; c++) {
            String peer = String.format(Locale.ROOT, "12D3KooWPeer%040d", c);
            String conversation = String.format(Locale.ROOT, "%032x", c + 1);
            store.contacts().put(new Contact(peer, "Friend " + c, null, null, ContactState.ACCEPTED, T0, null));
            store.conversations().create(Conversation.direct(conversation, peer, "Friend " + c, T0));
            List<StoredMessage> batch = new ArrayList<>();
            for (int i = 0; i < perConversation; i++) {
                boolean ours = random.nextBoolean();
                Instant sent = T0.plusSeconds(i * 37L);
                StringBuilder text = new StringBuilder();
                for (int w = 2 + random.nextInt(12); w > 0; w--) {
                    text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
                }
                batch.add(new StoredMessage(String.format(Locale.ROOT, "%08x%08x", c, i), conversation,
                        ours ? ME.peerId() : peer, sent.toEpochMilli() << 16, sent, sent.plusMillis(80),
                        ours ? Direction.OUTGOING : Direction.INCOMING, MessageKind.TEXT, text.toString().strip(),
                        ours ? MessageState.SENT : MessageState.READ));
                if (batch.size() == 10_000 || i == perConversation - 1) {
                    store.messages().insertAll(batch);
                    batch.clear();
                }
            }
            // Read receipts on one message in a hundred: the export joins them in.
            for (int i = 0; i < perConversation; i += 100) {
                String id = String.format(Locale.ROOT, "%08x%08x", c, i);
                MessageKey ours = new MessageKey(conversation, ME.peerId(), id);
                store.messages().get(ours).ifPresent(m ->
                        store.receipts().record(ours, new Receipt(peer, ReceiptKind.READ, m.sentAt().plusSeconds(5))));
            }
        }
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeapMegabytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
