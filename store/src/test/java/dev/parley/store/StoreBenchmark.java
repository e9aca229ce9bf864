package dev.parley.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Prints the store's figures on a temporary file (deleted after): inserting a million messages through the
 * writer, concurrent single inserts, paging the newest 50 of a million-message conversation, and full-text
 * search over the million. Message text is generated from a word list with Zipf-distributed word frequencies,
 * as in natural language, so the search index has realistic long and short posting lists.
 *
 * <p>Arguments: [messages (1000000)] [batch size (10000)] [ids: {@code ordered} (default) or {@code random}].
 * Ordered ids start with the send time, as UUIDv7 and ULID do, so new ids land at the end of the id index;
 * random ids land anywhere in it, and every batch rewrites pages all over the index.
 */
public final class StoreBenchmark {
    // Ids as long as real ones: 128-bit conversation and room ids in hex, Ed25519 PeerIds in base58.
    private static final String CONVERSATION = "c0a8f3e1d2b4c6a8e0f2d4b6a8c0e2f4";
    private static final String ROOM = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b";
    private static final String PEER = "12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo";
    private static final String ME = "12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK";
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static final String[] WORDS = ("""
            the be to of and a in that have I it for not on with he as you do at this but his by from they we say
            her she or an will my one all would there their what so up out if about who get which go me when make
            can like time no just him know take people into year your good some could them see other than then now
            look only come its over think also back after use two how our work first well way even new want because
            any these give day most us is was are were been has had did said went got made came thought took saw
            tomorrow tonight today yesterday morning evening night week weekend monday friday saturday sunday lunch
            dinner breakfast coffee tea beer wine pizza train bus car bike flight airport station hotel office home
            meeting call message photo video link file document report project deadline budget invoice contract
            birthday party concert movie game match ticket holiday trip beach mountain lake river park garden city
            village street house kitchen window door key phone laptop screen battery charger cable router password
            doctor dentist school teacher student exam lesson book library museum gallery theater restaurant cafe
            café shop market bakery pharmacy bank money price cheap expensive late early soon later maybe sure
            thanks thank please sorry okay yes yeah great nice cool awesome perfect fine bad sad happy tired busy
            free ready done finished started waiting coming leaving arriving running walking driving cooking reading
            writing watching listening playing working sleeping eating drinking talking thinking remember forget
            send sent receive received bring brought buy bought pay paid meet met find found lose lost open closed
            weather rain snow sun wind cold warm hot storm cloudy forecast umbrella jacket shoes shirt dress hat
            mother father sister brother daughter son friend neighbour colleague boss team family kids dog cat
            london paris berlin madrid rome tokyo lisbon vienna prague zurich oslo dublin amsterdam brussels
            glacier harbour lighthouse volcano canyon desert island forest meadow waterfall cathedral fortress
            quantum algorithm compiler database kernel protocol encryption signature certificate bandwidth latency
            """).strip().split("\\s+");

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        boolean orderedIds = args.length <= 2 || args[2].equals("ordered");
        Path folder = Files.createTempDirectory("parley-store-benchmark");
        Path file = folder.resolve("benchmark.db");
        try {
            run(file, count, batch, orderedIds);
        } finally {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
            Files.deleteIfExists(folder);
        }
    }

    private static void run(Path file, int count, int batch, boolean orderedIds) throws Exception {
        TextGenerator text = new TextGenerator(new SplittableRandom(42), orderedIds);
        System.out.printf(Locale.ROOT, "generating %,d messages (%d-word vocabulary, Zipf frequencies, %s ids)…%n",
                count, WORDS.length, orderedIds ? "time-ordered" : "random");
        List<StoredMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(message(CONVERSATION, text.id(hlc(i)), hlc(i), i % 2 == 0, text.sentence()));
        }

        try (SqliteStore store = SqliteStore.open(file)) {
            store.contacts().put(new Contact(PEER, "Bench", null, null, ContactState.ACCEPTED, T0, null));
            store.conversations().create(Conversation.direct(CONVERSATION, PEER, "Bench", T0));
            store.conversations().create(Conversation.room(ROOM, "room-1", "Room", T0));

            long commitsBefore = store.stats().commits();
            long start = System.nanoTime();
            for (int from = 0; from < count; from += batch) {
                store.messages().insertAll(messages.subList(from, Math.min(count, from + batch)));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "insert %,d messages (insertAll, %,d per call, one thread): %.2f s,"
                            + " %,.0f messages/s, %,d commits%n", count, batch, seconds, count / seconds,
                    store.stats().commits() - commitsBefore);
            System.out.printf(Locale.ROOT, "  database file: %,d MiB%n", Files.size(file) >> 20);

            concurrentInserts(store, text);
            paging(store, messages);
            search(store, text);
        }
    }

    /** Single-message inserts from 8 threads, each waiting for its commit: the writer batches them. */
    private static void concurrentInserts(SqliteStore store, TextGenerator text) throws Exception {
        int threads = 8;
        int perThread = 5_000;
        List<List<StoredMessage>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<StoredMessage> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(message(ROOM, text.id(hlc(i)), hlc(i), true, text.sentence()));
            }
            work.add(mine);
        }
        long commitsBefore = store.stats().commits();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (List<StoredMessage> mine : work) {
                done.add(pool.submit(() -> mine.forEach(store.messages()::insert)));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long commits = store.stats().commits() - commitsBefore;
        System.out.printf(Locale.ROOT, "insert %,d messages one at a time from %d threads: %.2f s, %,.0f messages/s,"
                        + " %,d commits (%.1f inserts per fsync)%n", threads * perThread, threads, seconds,
                threads * perThread / seconds, commits, threads * perThread / (double) commits);
    }

    private static void paging(SqliteStore store, List<StoredMessage> messages) {
        SplittableRandom random = new SplittableRandom(7);
        report("page: newest 50 of the " + String.format(Locale.ROOT, "%,d", messages.size())
                + "-message conversation", 20_000, () -> store.messages().newest(CONVERSATION, 50));
        report("page: 50 before a random cursor", 20_000, () -> store.messages().before(CONVERSATION,
                messages.get(random.nextInt(messages.size())).cursor(), 50));
    }

    private static void search(SqliteStore store, TextGenerator text) {
        report("search: one word (Zipf-chosen), 20 hits", 5_000, () -> store.search().search(text.word(), 20));
        report("search: two words, 20 hits", 5_000,
                () -> store.search().search(text.word() + " " + text.word(), 20));
        report("search: one rare word (least frequent half), 20 hits", 2_000,
                () -> store.search().search(text.rareWord(), 20));
    }

    /** Times {@code runs} calls after as many warm-up calls; prints p50 and p99. */
    private static void report(String what, int runs, Supplier<?> call) {
        for (int i = 0; i < runs; i++) {
            call.get();
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            call.get();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%s: p50 %.3f ms, p99 %.3f ms (%,d runs)%n", what,
                nanos[runs / 2] / 1e6, nanos[runs * 99 / 100] / 1e6, runs);
    }

    private static long hlc(long i) {
        // 48 bits of milliseconds, 16 bits of logical counter, as a hybrid logical clock packs them.
        return (T0.toEpochMilli() + i * 1_000) << 16;
    }

    private static StoredMessage message(String conversation, String id, long hlc, boolean incoming, String body) {
        Instant at = Instant.ofEpochMilli(hlc >>> 16);
        return incoming
                ? new StoredMessage(id, conversation, PEER, hlc, at, at, Direction.INCOMING, MessageKind.TEXT, body,
                MessageState.RECEIVED)
                : new StoredMessage(id, conversation, ME, hlc, at, at, Direction.OUTGOING, MessageKind.TEXT,
                body, MessageState.SENT);
    }

    /** Sentences of 3 to 25 words drawn with Zipf frequencies (word k about 1/k as often as the first). */
    private static final class TextGenerator {
        private final SplittableRandom random;
        private final boolean orderedIds;
        private final double[] cumulative = new double[WORDS.length];
        private final byte[] idBytes = new byte[16];

        TextGenerator(SplittableRandom random, boolean orderedIds) {
            this.random = random;
            this.orderedIds = orderedIds;
            double sum = 0;
            for (int k = 0; k < WORDS.length; k++) {
                sum += 1.0 / (k + 1);
                cumulative[k] = sum;
            }
            for (int k = 0; k < WORDS.length; k++) {
                cumulative[k] /= sum;
            }
        }

        String word() {
            int index = Arrays.binarySearch(cumulative, random.nextDouble());
            return WORDS[Math.min(WORDS.length - 1, index < 0 ? -index - 1 : index)];
        }

        String rareWord() {
            return WORDS[WORDS.length / 2 + random.nextInt(WORDS.length - WORDS.length / 2)];
        }

        String sentence() {
            int length = 3 + random.nextInt(23);
            StringBuilder sentence = new StringBuilder(length * 6);
            for (int i = 0; i < length; i++) {
                String word = word();
                if (i == 0) {
                    sentence.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
                } else {
                    sentence.append(random.nextInt(12) == 0 ? ", " : " ").append(word);
                }
            }
            return sentence.append(random.nextInt(4) == 0 ? "?" : ".").toString();
        }

        /** 128 bits as hex: random, or 48 bits of send time then 80 random (the UUIDv7 layout). */
        String id(long hlc) {
            random.nextBytes(idBytes);
            if (orderedIds) {
                long millis = hlc >>> 16;
                for (int i = 0; i < 6; i++) {
                    idBytes[i] = (byte) (millis >>> (40 - 8 * i));
                }
            }
            return HexFormat.of().formatHex(idBytes);
        }
    }
}
