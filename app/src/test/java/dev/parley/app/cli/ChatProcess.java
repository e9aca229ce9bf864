package dev.parley.app.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.app.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A {@code parley chat} child process on this test's class path, on loopback: commands go to its standard
 * input; each line it prints is kept, parsed as JSON with {@code --json}, for the test to wait for.
 */
final class ChatProcess implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path stderr;
    private final PrintWriter in;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition printed = lock.newCondition();
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    ChatProcess(Path profile, String name, String... extraArgs) throws IOException {
        stderr = Files.createTempFile(profile.getParent(), "chat-stderr", ".txt");
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "chat", "--profile", profile.toString(), "--name", name, "--listen", "/ip4/127.0.0.1/tcp/0",
                "--bootstrap", "none", "--no-mdns"));
        command.addAll(List.of(extraArgs));
        process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        in = new PrintWriter(process.outputWriter(UTF_8), true);
        Thread.ofVirtual().name("chat-process-output").start(this::collect);
    }

    private void collect() {
        try (BufferedReader out = process.inputReader(UTF_8)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lock.lock();
                try {
                    lines.add(line);
                    printed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException e) {
            // The process ended; what it printed is kept.
        } finally {
            lock.lock();
            try {
                ended = true;
                printed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    void send(String line) {
        in.println(line);
    }

    /** Every line printed so far. */
    List<String> lines() {
        lock.lock();
        try {
            return List.copyOf(lines);
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the first line that matches; lines are never consumed, so earlier ones match again. */
    String awaitLine(Predicate<String> matching) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        lock.lock();
        try {
            while (true) {
                for (String line : lines) {
                    if (matching.test(line)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new AssertionError("no matching line " + (ended ? "before the process ended" : "within "
                            + WAIT.toSeconds() + " s") + "; it printed " + lines + "\nstderr: " + stderrText());
                }
                printed.await(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the first JSON event of this name whose fields match. */
    JsonNode await(String event, Predicate<JsonNode> matching) throws InterruptedException {
        return parse(awaitLine(line -> {
            JsonNode node = parse(line);
            return node.path("event").asText().equals(event) && matching.test(node);
        }));
    }

    JsonNode await(String event) throws InterruptedException {
        return await(event, node -> true);
    }

    /** The JSON events of this name printed so far. */
    List<JsonNode> events(String event) {
        return lines().stream().map(ChatProcess::parse).filter(node -> node.path("event").asText().equals(event))
                .toList();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("parley chat --json printed a line that is not JSON: " + line, e);
        }
    }

    /** Closes standard input, which ends the session; returns the exit code. */
    int endInput() throws InterruptedException {
        in.close();
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("parley chat did not stop within " + WAIT.toSeconds() + " s of the end of input");
        }
        return process.exitValue();
    }

    Process process() {
        return process;
    }

    private String stderrText() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
