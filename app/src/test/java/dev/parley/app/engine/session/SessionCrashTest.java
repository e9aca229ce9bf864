package dev.parley.app.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real engines, each in a JVM of its own ({@link SessionCrashPeer}), befriended over loopback, send numbered
 * messages to each other under forward-secret sessions while the test kills one of them with SIGKILL at chosen moments
 * (right after the very first message, whose INIT is then in flight; right after a send completed; while a burst is
 * being received; while acknowledgements come in) and starts it again on the same profile. In the end every message
 * whose send completed is in the receiver's history exactly once, each was reported received at most once, and
 * nothing is left undelivered: a kill never loses a message nor leaves one that cannot be opened (it would stay
 * undelivered), and never makes a receiver take one twice.
 */
class SessionCrashTest {
    /** Kills after the first one, alternating between the two sides. */
    private static final int KILLS = 6;
    /** Messages each side sends per round. */
    private static final int BURST = 12;
    /** How long any one awaited report may take on a busy machine (a child JVM's start included). */
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A process killed by SIGKILL exits with 128 + 9. */
    private static final int SIGKILL_EXIT = 128 + 9;

    // Kept when the test fails: the children's logs are in it.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path folder;

    /** What the children reported; guarded by its own monitor, which is notified on every report. */
    private final Object reports = new Object();
    private final List<Child> children = new ArrayList<>();

    /** Where the killing moment is chosen from. */
    private enum Moment {
        /** Right after the victim's own sends began to complete: the rest of its burst is being sealed and written. */
        AFTER_SEND,
        /** While the victim receives the other's burst. */
        DURING_RECEIVE,
        /** While the victim's own messages are being acknowledged. */
        DURING_ACKNOWLEDGEMENTS
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyMessageArrivesOnceThoughEitherSideIsKilledAtAnyStep() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String run = "seed " + seed + ", logs in " + folder;
        Child alice = new Child("alice");
        Child bob = new Child("bob");
        alice.start();
        bob.start();
        alice.command("add " + bob.awaitInvite());
        bob.command("add " + alice.awaitInvite());
        await(() -> alice.added && bob.added, "both sides added the other");

        // The very first message: its INIT is on its way (or not yet) when the sender dies.
        alice.killWhen(() -> alice.sentCount >= 1);
        alice.send(1);
        alice.awaitKilledAndRestart();

        for (int kill = 0; kill < KILLS; kill++) {
            Child victim = kill % 2 == 0 ? bob : alice;
            Child survivor = victim == alice ? bob : alice;
            Moment moment = Moment.values()[kill % Moment.values().length];
            int after = 1 + random.nextInt(BURST / 2);
            synchronized (reports) {
                int sentBefore = victim.sentCount;
                int receivedBefore = victim.receivedCount;
                int deliveredBefore = victim.deliveredCount;
                victim.killWhen(switch (moment) {
                    case AFTER_SEND -> () -> victim.sentCount >= sentBefore + after;
                    case DURING_RECEIVE -> () -> victim.receivedCount >= receivedBefore + after;
                    case DURING_ACKNOWLEDGEMENTS -> () -> victim.deliveredCount >= deliveredBefore + after;
                });
            }
            victim.send(BURST);
            survivor.send(BURST);
            victim.awaitKilledAndRestart();
        }
        alice.send(BURST);
        bob.send(BURST);

        for (Child child : List.of(alice, bob)) {
            Child receiver = child == alice ? bob : alice;
            child.awaitNothingUndelivered(() -> receiver.name + " has not reported " + receiver.missing(child) + " ("
                    + run + ")");
        }
        for (Child child : List.of(alice, bob)) {
            Child sender = child == alice ? bob : alice;
            List<String> history = child.history();
            assertThat(history).as("%s's history of %s's messages (%s)", child.name, sender.name, run)
                    .doesNotHaveDuplicates()
                    .containsAll(sender.sent)
                    .allSatisfy(text -> assertThat(sender.issued(text)).as("%s was sent by %s", text, sender.name)
                            .isTrue());
            synchronized (reports) {
                assertThat(child.received).as("how often %s reported each message received (%s)", child.name, run)
                        .allSatisfy((text, times) -> assertThat(times).isOne());
            }
        }
        for (Child child : List.of(alice, bob)) {
            child.quit();
            assertThat(child.errorLines()).as("errors logged by %s (%s)", child.name, run).isEmpty();
        }
    }

    @AfterEach
    void killTheChildrenLeft() throws InterruptedException {
        for (Child child : children) {
            child.kill();
        }
    }

    /** Waits until {@code condition}, read under the reports' monitor, holds. */
    private void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, () -> what);
    }

    /** Waits until {@code condition}, read under the reports' monitor, holds; {@code what} is told if it never does. */
    private void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (reports) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("not within " + WAIT + ": " + what.get());
                }
                TimeUnit.NANOSECONDS.timedWait(reports, left);
            }
        }
    }

    /**
     * One side: its profile, kept across restarts, and everything its incarnations reported. The fields are guarded by
     * {@link #reports}.
     */
    private final class Child {
        final String name;
        final Path profile;
        int incarnation;
        Process process;
        PrintWriter commands;
        /** Killed by the reader thread right after the report that made it true. */
        BooleanSupplier killTrigger;
        String invite;
        boolean added;
        int nextNumber;
        int sentCount;
        int receivedCount;
        int deliveredCount;
        /** Texts whose send completed, in any incarnation. */
        final Set<String> sent = new LinkedHashSet<>();
        /** Message id → text of what this side sent, for the failure messages. */
        final Map<String, String> ids = new HashMap<>();
        /** Texts from the other side reported received, with how many times, over all incarnations. */
        final Map<String, Integer> received = new HashMap<>();
        Integer undelivered;
        List<String> history;
        boolean historyListed;
        final List<String> failures = new ArrayList<>();

        Child(String name) throws IOException {
            this.name = name;
            this.profile = Files.createDirectories(folder.resolve(name));
            children.add(this);
        }

        void start() throws IOException {
            incarnation++;
            ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                    "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), SessionCrashPeer.class.getName(),
                    profile.toString(), name)
                    .redirectError(folder.resolve(name + "-" + incarnation + ".log").toFile());
            // The engine logs each envelope that does not open at INFO; PARLEY_ENGINE_LOG_LEVEL=DEBUG shows more.
            builder.environment().putIfAbsent("PARLEY_ENGINE_LOG_LEVEL", "INFO");
            Process started = builder.start();
            synchronized (reports) {
                process = started;
                invite = null;
                killTrigger = null;
            }
            commands = new PrintWriter(started.outputWriter(StandardCharsets.UTF_8), true);
            Thread.ofVirtual().name(name + "-" + incarnation + "-reports").start(() -> read(started));
        }

        private void read(Process from) {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(from.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (reports) {
                        take(line);
                        if (killTrigger != null && killTrigger.getAsBoolean()) {
                            killTrigger = null;
                            // Through the handle: destroyForcibly() on the Process would close our end of the pipe.
                            from.toHandle().destroyForcibly();
                        }
                        reports.notifyAll();
                    }
                }
            } catch (IOException e) {
                synchronized (reports) {
                    failures.add("reading the reports: " + e);
                }
            }
        }

        private void take(String line) {
            int space = line.indexOf(' ');
            String word = space < 0 ? line : line.substring(0, space);
            String rest = space < 0 ? "" : line.substring(space + 1);
            switch (word) {
                case "ready" -> invite = rest;
                case "added" -> added = true;
                case "sent" -> {
                    String[] textAndId = rest.split(" ");
                    sent.add(textAndId[0]);
                    ids.put(textAndId[1], textAndId[0]);
                    sentCount++;
                }
                case "received" -> {
                    received.merge(rest, 1, Integer::sum);
                    receivedCount++;
                }
                case "delivered" -> deliveredCount++;
                case "undelivered" -> undelivered = Integer.parseInt(rest);
                case "history" -> history.add(rest);
                case "history-end" -> historyListed = true;
                default -> failures.add(line);
            }
        }

        String awaitInvite() throws InterruptedException {
            await(() -> invite != null, name + " started");
            synchronized (reports) {
                return invite;
            }
        }

        void command(String line) {
            commands.println(line);
        }

        void send(int count) {
            int first;
            synchronized (reports) {
                first = nextNumber;
                nextNumber += count;
            }
            command("send " + name + " " + first + " " + count);
        }

        /** What {@code sender} sent and this side has not reported received, under the reports' monitor. */
        List<String> missing(Child sender) {
            return sender.sent.stream().filter(text -> !received.containsKey(text)).toList();
        }

        /** Whether {@code text} is one this side was asked to send. */
        boolean issued(String text) {
            String prefix = name + "-";
            if (!text.startsWith(prefix)) {
                return false;
            }
            synchronized (reports) {
                return Integer.parseInt(text.substring(prefix.length())) < nextNumber;
            }
        }

        void killWhen(BooleanSupplier trigger) {
            synchronized (reports) {
                killTrigger = trigger;
            }
        }

        /** Waits for the armed kill to happen, checks it was SIGKILL, and starts this side again on its profile. */
        void awaitKilledAndRestart() throws Exception {
            Process killed;
            synchronized (reports) {
                killed = process;
            }
            assertThat(killed.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("%s killed", name).isTrue();
            assertThat(killed.exitValue()).as("%s's exit", name).isEqualTo(SIGKILL_EXIT);
            start();
            awaitInvite();
        }

        void awaitNothingUndelivered(Supplier<String> diagnosis) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                synchronized (reports) {
                    undelivered = null;
                }
                command("undelivered");
                await(() -> undelivered != null, name + " counted its undelivered messages");
                synchronized (reports) {
                    if (undelivered == 0) {
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(name + " still has " + undelivered + " undelivered messages after "
                                + WAIT + "; " + diagnosis.get());
                    }
                    // Asked again once some acknowledgement comes in, or after a moment if none does.
                    int delivered = deliveredCount;
                    long until = System.nanoTime() + Duration.ofMillis(200).toNanos();
                    while (deliveredCount == delivered && System.nanoTime() < until) {
                        TimeUnit.NANOSECONDS.timedWait(reports, until - System.nanoTime());
                    }
                }
            }
        }

        List<String> history() throws InterruptedException {
            synchronized (reports) {
                history = new ArrayList<>();
                historyListed = false;
            }
            command("history");
            await(() -> historyListed, name + " listed its history");
            synchronized (reports) {
                return List.copyOf(history);
            }
        }

        void quit() throws InterruptedException {
            command("quit");
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("%s quit", name).isTrue();
            assertThat(process.exitValue()).as("%s's exit", name).isZero();
            synchronized (reports) {
                assertThat(failures).as("%s's unexpected reports", name).isEmpty();
            }
        }

        /** Lines logged at ERROR by any incarnation. */
        List<String> errorLines() throws IOException {
            List<String> errors = new ArrayList<>();
            for (int each = 1; each <= incarnation; each++) {
                try (Stream<String> lines = Files.lines(folder.resolve(name + "-" + each + ".log"))) {
                    lines.filter(line -> line.contains(" ERROR ")).forEach(errors::add);
                }
            }
            return errors;
        }

        void kill() throws InterruptedException {
            Process last = process;
            if (last != null && last.isAlive()) {
                last.destroyForcibly();
                last.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }
}
