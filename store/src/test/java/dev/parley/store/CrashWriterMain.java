package dev.parley.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The child JVM of {@link CrashSafetyTest}: writes messages to the store at {@code args[0]} from several threads
 * until it is killed, printing {@code committed <id>} for every insert that returned. Half the threads insert one
 * message at a time, half queue bursts of asynchronous inserts, so the writer is always mid-batch.
 */
public final class CrashWriterMain {
    static final int THREADS = 6;
    static final int BURST = 40;

    public static void main(String[] args) throws Exception {
        SqliteStore store = SqliteStore.open(Path.of(args[0]));
        TestData.addAliceChat(store);
        PrintStream out = System.out;
        out.println("ready");
        out.flush();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            writers.add(Thread.ofPlatform().start(() -> {
                for (long n = 0; ; n += BURST) {
                    if (thread % 2 == 0) {
                        insertOneByOne(store, out, thread, n);
                    } else {
                        insertBurst(store, out, thread, n);
                    }
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }
    }

    private static void insertOneByOne(SqliteStore store, PrintStream out, int thread, long first) {
        for (long n = first; n < first + BURST; n++) {
            String id = id(thread, n);
            store.messages().insert(TestData.incoming(TestData.CHAT, id, n, "crash test message " + id));
            report(out, id);
        }
    }

    private static void insertBurst(SqliteStore store, PrintStream out, int thread, long first) {
        List<CompletableFuture<String>> burst = new ArrayList<>();
        for (long n = first; n < first + BURST; n++) {
            String id = id(thread, n);
            burst.add(store.messages().insertAsync(TestData.incoming(TestData.CHAT, id, n, "burst message " + id))
                    .thenApply(outcome -> id));
        }
        for (CompletableFuture<String> insert : burst) {
            report(out, insert.join());
        }
    }

    private static String id(int thread, long n) {
        return "t" + thread + "-" + n;
    }

    private static void report(PrintStream out, String id) {
        synchronized (out) {
            out.println("committed " + id);
            out.flush();
        }
    }
}
