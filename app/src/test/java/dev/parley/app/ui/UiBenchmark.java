package dev.parley.app.ui;

import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.profile.Profile;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.IdentityFiles;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.store.Direction;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.StoredMessage;
import dev.parley.transport.testing.ProcessLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.swing.SwingUtilities;

/**
 * Figures for the desktop app on a profile whose conversation with Bob holds 100,000 messages (and a short one
 * with Carol): (a) cold start of {@code parley} in a child JVM until the window shows the conversation list, p50 of
 * N runs; (b) opening the 100,000-message conversation in a window in this JVM, until its first paint; (c) resident
 * memory of a {@code parley} process with that conversation open. Then a room of Alice, Bob and Carol holding
 * 100,000 lines (and a small room beside it): (d) opening it in a window in this JVM until its first paint, and (e)
 * the resident memory of this JVM (Alice's engine and the window; Bob's and Carol's engines closed) with it open.
 * (a) and (c) start {@code bin/parley}, so package first; needs a display (run under xvfb-run). From the app
 * module, with the class path written by {@code dependency:build-classpath}, {@code UiBenchmark RUNS
 * [room|conversation]} ({@code room}: the room figures only; {@code conversation}: (b) alone, which needs no
 * packaging):
 * <pre>
 * xvfb-run -a -s "-screen 0 1280x900x24" java --enable-native-access=ALL-UNNAMED \
 *     -cp target/test-classes:target/classes:$(cat target/classpath.txt) dev.parley.app.ui.UiBenchmark 7
 * </pre>
 */
public final class UiBenchmark {
    private static final int MESSAGES = 100_000;
    private static final String READY = "window ready";
    /** Paths from the app module's folder, where the exec plugin runs this. */
    private static final Path LAUNCHER = Path.of("bin", "parley");
    private static final Path PACKAGED_JAR = Path.of("target", "parley.jar");

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        boolean roomOnly = args.length > 1 && args[1].equals("room");
        boolean conversationOnly = args.length > 1 && args[1].equals("conversation");
        Path folder = Files.createTempDirectory("parley-ui-bench");
        try {
            if (roomOnly) {
                theLongRoom(folder, runs);
            } else {
                theLongConversation(folder, runs, conversationOnly);
            }
        } finally {
            deleteTree(folder);
        }
        // The windows' AWT threads would otherwise keep the JVM alive.
        System.exit(0);
    }

    /** (a) to (c), then (d) and (e) unless {@code conversationOnly}, which runs (b) alone. */
    private static void theLongConversation(Path folder, int runs, boolean conversationOnly) throws Exception {
        TestPeer alice = TestPeer.start(folder, "Alice");
        TestPeer bob = TestPeer.start(folder, "Bob");
        TestPeer carol = TestPeer.start(folder, "Carol");
        TestPeer.befriend(alice, bob);
        TestPeer.befriend(alice, carol);
        bob.close();
        carol.close();
        alice.stopEngine();
        long filling = System.nanoTime();
        alice.insertHistory(LongConversationTest.longHistory(alice, bob, MESSAGES));
        alice.insertHistory(List.of(alice.message(carol, false, "see you tomorrow", Instant.now(), 0,
                MessageState.READ)));
        System.out.printf(Locale.ROOT, "profile: %,d messages with Bob stored in %.1f s%n", MESSAGES,
                (System.nanoTime() - filling) / 1e9);
        IdentityFiles.save(alice.identity, alice.profile, null);
        new Profile(alice.profile).setDisplayName(alice.name);

        if (conversationOnly) {
            openingTheLongConversation(alice, bob, carol, runs);
            return;
        }
        coldStart(alice.profile, runs);
        openingTheLongConversation(alice, bob, carol, runs);
        residentMemory(alice.profile, bob);
        theLongRoom(folder.resolve("rooms"), runs);
    }

    /** (a) */
    private static void coldStart(Path profile, int runs) throws Exception {
        prepareClassData(profile);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            millis.add(timedStart(profile));
        }
        System.out.printf(Locale.ROOT, "(a) cold start to a usable window (list shown), %d runs: p50 %.0f ms, min %.0f"
                + " ms, max %.0f ms (target < 1500 ms)%n", runs, percentile(millis, 50), percentile(millis, 0),
                percentile(millis, 100));
    }

    /**
     * The first starts after a build make the window's class data (bin/class-data.bash): on Java 25 the first records
     * the classes, the second makes the cache in the background; on older ones the first writes an archive. They are
     * reported apart, and the runs measured begin once the data is made.
     */
    private static void prepareClassData(Path profile) throws Exception {
        Path target = PACKAGED_JAR.getParent();
        for (String start : List.of("first", "second")) {
            if (!windowClassData(target, ".aot").isEmpty() || !windowClassData(target, ".jsa").isEmpty()) {
                return;
            }
            System.out.printf(Locale.ROOT, "(a) %s start after the build, while the class data is made: %.0f ms%n",
                    start, timedStart(profile));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!windowClassData(target, ".aot.making").isEmpty() || !windowClassData(target, ".aotconf").isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("bin/parley made no class data in 120 s");
            }
            Thread.sleep(50);
        }
    }

    /** The files in {@code target} named parley-MAJOR-window{@code suffix}. */
    private static List<Path> windowClassData(Path target, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().matches("parley-\\d+-window"
                    + Pattern.quote(suffix))).toList();
        }
    }

    private static double timedStart(Path profile) throws Exception {
        long started = System.nanoTime();
        Process parley = launch(profile);
        try {
            awaitReady(parley);
            return (System.nanoTime() - started) / 1e6;
        } finally {
            stop(parley);
        }
    }

    /** (b) */
    private static void openingTheLongConversation(TestPeer alice, TestPeer bob, TestPeer carol, int runs)
            throws Exception {
        alice.startEngine();
        UiSettings settings = UiSettings.load(Files.createTempDirectory("parley-ui-bench-window"));
        MainWindow[] window = new MainWindow[1];
        SwingUtilities.invokeAndWait(() -> {
            Theme.install(false);
            window[0] = new MainWindow(alice.engine(), settings, () -> { });
            window[0].setSize(1040, 700);
            window[0].showAndLoad(() -> { });
        });
        waitUntil(() -> window[0].conversationList().model().getSize() == 2);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < runs + 1; i++) {
            SwingUtilities.invokeAndWait(() -> window[0].openConversation(carol.peerId()));
            waitUntil(() -> window[0].conversationPanel().timeline().nanosToFirstPaint() > 0);
            SwingUtilities.invokeAndWait(() -> window[0].openConversation(bob.peerId()));
            waitUntil(() -> window[0].conversationPanel().timeline().nanosToFirstPaint() > 0);
            double took = window[0].conversationPanel().timeline().nanosToFirstPaint() / 1e6;
            if (i > 0) {
                millis.add(took);
            } else {
                System.out.printf(Locale.ROOT, "(b) first opening of the %,d-message conversation in this JVM"
                        + " (cold code): %.0f ms%n", MESSAGES, took);
            }
        }
        System.out.printf(Locale.ROOT, "(b) opening the %,d-message conversation until its first paint, %d runs:"
                + " p50 %.0f ms, max %.0f ms (target < 200 ms)%n", MESSAGES, runs, percentile(millis, 50),
                percentile(millis, 100));
        SwingUtilities.invokeAndWait(window[0]::dispose);
        alice.close();
    }

    /** (c) */
    private static void residentMemory(Path profile, TestPeer bob) throws Exception {
        UiSettings settings = UiSettings.load(profile);
        settings.setLastConversation(bob.peerId().toBase58());
        settings.save();
        Process parley = launch(profile);
        try {
            awaitReady(parley);
            Thread.sleep(3_000);
            System.out.printf(Locale.ROOT, "(c) resident memory of parley with the %,d-message conversation open:"
                    + " %.0f MiB (target < 300 MB)%n", MESSAGES, residentMib(parley.pid()));
        } finally {
            stop(parley);
        }
    }

    /** (d) and (e): a room of 100,000 lines, stored as the 1:1 case's are, opened in a window in this JVM. */
    private static void theLongRoom(Path folder, int runs) throws Exception {
        TestPeer alice = TestPeer.start(folder, "Alice");
        TestPeer bob = TestPeer.start(folder, "Bob");
        TestPeer carol = TestPeer.start(folder, "Carol");
        TestPeer.befriend(alice, bob);
        TestPeer.befriend(alice, carol);
        RoomId longRoom = roomWith(alice, "Book club", List.of(bob, carol));
        RoomId smallRoom = roomWith(alice, "Small room", List.of(bob));
        bob.close();
        carol.close();
        alice.stopEngine();
        long filling = System.nanoTime();
        alice.insertHistory(roomHistory(longRoom, List.of(alice, bob, carol), MESSAGES));
        System.out.printf(Locale.ROOT, "room: %,d lines stored in %.1f s%n", MESSAGES,
                (System.nanoTime() - filling) / 1e9);
        alice.startEngine();
        UiSettings settings = UiSettings.load(Files.createTempDirectory("parley-ui-bench-room-window"));
        MainWindow[] window = new MainWindow[1];
        SwingUtilities.invokeAndWait(() -> {
            Theme.install(false);
            window[0] = new MainWindow(alice.engine(), settings, () -> { });
            window[0].setSize(1040, 700);
            window[0].showAndLoad(() -> { });
        });
        waitUntil(() -> window[0].roomList().rooms().size() == 2);
        double before = residentMib(ProcessHandle.current().pid());
        Timeline timeline = window[0].roomPanel().conversation().timeline();
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < runs + 1; i++) {
            // Opening the room shown already only updates it: each run opens the small room first.
            SwingUtilities.invokeAndWait(() -> window[0].openRoom(smallRoom));
            waitUntil(() -> window[0].roomPanel().room().map(room -> room.id().equals(smallRoom)).orElse(false)
                    && timeline.nanosToFirstPaint() > 0);
            SwingUtilities.invokeAndWait(() -> window[0].openRoom(longRoom));
            waitUntil(() -> window[0].roomPanel().room().map(room -> room.id().equals(longRoom)).orElse(false)
                    && timeline.nanosToFirstPaint() > 0);
            double took = timeline.nanosToFirstPaint() / 1e6;
            if (i > 0) {
                millis.add(took);
            } else {
                System.out.printf(Locale.ROOT, "(d) first opening of the %,d-line room in this JVM (cold code):"
                        + " %.0f ms%n", MESSAGES, took);
            }
        }
        List<Double> reading = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long started = System.nanoTime();
            alice.engine().rooms().newest(longRoom, RoomConversation.PAGE);
            reading.add((System.nanoTime() - started) / 1e6);
        }
        System.out.printf(Locale.ROOT, "(d) of which the engine reading the newest page (rooms().newest), %d runs:"
                + " p50 %.0f ms, max %.0f ms%n", runs, percentile(reading, 50), percentile(reading, 100));
        int loaded = onEdt(() -> window[0].roomPanel().conversation().loadedLines());
        System.out.printf(Locale.ROOT, "(d) opening the %,d-line room until its first paint, %d runs: p50 %.0f ms,"
                + " max %.0f ms, %d lines loaded (target < 200 ms)%n", MESSAGES, runs, percentile(millis, 50),
                percentile(millis, 100), loaded);
        System.gc();
        System.out.printf(Locale.ROOT, "(e) resident memory of this JVM (Alice's engine and window) with the room"
                + " open: %.0f MiB (%.0f MiB before it was first opened; target < 300 MB)%n",
                residentMib(ProcessHandle.current().pid()), before);
        SwingUtilities.invokeAndWait(window[0]::dispose);
        alice.close();
    }

    /** Alice's room {@code name} with {@code members} in it, each having accepted. */
    private static RoomId roomWith(TestPeer alice, String name, List<TestPeer> members) throws Exception {
        RoomId room = alice.engine().rooms().create(name).id();
        for (TestPeer member : members) {
            alice.engine().rooms().invite(room, member.peerId());
            waitUntil(() -> member.engine().rooms().get(room).map(RoomInfo::status)
                    .equals(Optional.of(RoomStatus.INVITED)));
            member.engine().rooms().accept(room);
        }
        waitUntil(() -> alice.engine().rooms().get(room).orElseThrow().members().size() == members.size() + 1);
        return room;
    }

    /** {@code count} lines of the room, a minute apart, written by each of {@code members} in turn; ours read. */
    private static List<StoredMessage> roomHistory(RoomId room, List<TestPeer> members, int count) {
        TestPeer me = members.getFirst();
        Instant start = Instant.now().minusSeconds(60L * count);
        List<StoredMessage> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            TestPeer sender = members.get(i % members.size());
            Instant at = start.plusSeconds(60L * i);
            boolean ours = sender == me;
            lines.add(new StoredMessage(MessageId.timeOrdered(at.toEpochMilli()).toString(),
                    ConversationId.of(room).toString(), sender.peerId().toBase58(), at.toEpochMilli() << 16, at, at,
                    ours ? Direction.OUTGOING : Direction.INCOMING, MessageKind.TEXT, LongConversationTest.text(i),
                    MessageState.READ));
        }
        return lines;
    }

    private static <T> T onEdt(Callable<T> read) throws Exception {
        Object[] value = new Object[1];
        SwingUtilities.invokeAndWait(() -> {
            try {
                value[0] = read.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        @SuppressWarnings("unchecked")
        T typed = (T) value[0];
        return typed;
    }

    /**
     * Starts {@code parley} the way a user does, through {@code bin/parley} and the packaged jar, so the JVM's
     * options (collector, heap) are the product's, not a test peer's.
     */
    private static Process launch(Path profile) throws IOException {
        if (!Files.isRegularFile(PACKAGED_JAR)) {
            throw new IllegalStateException(PACKAGED_JAR.toAbsolutePath() + " is missing: run mvn -q -B package"
                    + " -DskipTests first");
        }
        ProcessBuilder command = new ProcessBuilder(List.of(LAUNCHER.toString(), "--profile", profile.toString(),
                "--bootstrap", "none", "--no-mdns", "--listen", "/ip4/127.0.0.1/tcp/0"));
        command.environment().put("parley.ui.reportReady", "1");
        command.redirectError(ProcessBuilder.Redirect.DISCARD);
        return ProcessLauncher.LOCAL.start(command);
    }

    private static void awaitReady(Process parley) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(parley.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.equals(READY)) {
                return;
            }
        }
        throw new IOException("parley ended (exit " + parley.onExit().join().exitValue() + ") before its window was ready");
    }

    private static void stop(Process parley) throws InterruptedException {
        parley.destroy();
        if (!parley.waitFor(10, TimeUnit.SECONDS)) {
            parley.destroyForcibly().waitFor();
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean[] held = new boolean[1];
        while (System.nanoTime() < deadline) {
            SwingUtilities.invokeAndWait(() -> {
                try {
                    held[0] = check.holds();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            if (held[0]) {
                return;
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("waited 30 s in vain");
    }

    private static double percentile(List<Double> values, int percent) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[(int) Math.round((sorted.length - 1) * percent / 100.0)];
    }

    private static double residentMib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private UiBenchmark() {
    }
}
