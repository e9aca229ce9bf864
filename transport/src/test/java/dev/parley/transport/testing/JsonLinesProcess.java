package dev.parley.transport.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A child process that prints one JSON object per line: every line is kept, and tests wait for the line they
 * expect; a line that is not JSON is kept as a text node. Its last lines of standard error go into every failure
 * message.
 */
public final class JsonLinesProcess {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STDERR_LINES = 300;

    private final Process process;
    private final String label;
    private final Writer input;
    private final List<JsonNode> lines = new ArrayList<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean outputEnded;

    public JsonLinesProcess(Process process, String label) {
        this.process = process;
        this.label = label;
        this.input = process.outputWriter(UTF_8);
        Thread.ofVirtual().name(label + "-stdout").start(this::readStdout);
        Thread.ofVirtual().name(label + "-stderr").start(this::readStderr);
    }

    public Process process() {
        return process;
    }

    /** Writes one line of JSON to the process's standard input. */
    public void send(JsonNode line) {
        sendLine(line.toString());
    }

    /** Writes one line of text to the process's standard input. */
    public void sendLine(String line) {
        try {
            input.write(line + "\n");
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + this + "; stderr:\n" + stderrTail(), e);
        }
    }

    /** Ends the process's standard input. */
    public void closeInput() {
        try {
            input.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the input of " + this, e);
        }
    }

    /**
     * The first line since start that matches; waits for it up to {@code timeout}.
     *
     * @throws AssertionError naming {@code expected}, with every line seen and the end of stderr, if none comes
     */
    public JsonNode await(String expected, Predicate<JsonNode> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                for (JsonNode line : lines) {
                    if (matching.test(line)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (outputEnded || left <= 0) {
                    throw new AssertionError(this + (outputEnded ? " ended its output" : " printed nothing within "
                            + timeout) + " matching " + expected + "; lines: " + lines + "; stderr:\n" + stderrTail());
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + expected + " from " + this, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a line of standard error that contains {@code text} (among the last lines kept).
     *
     * @throws AssertionError with the end of stderr if none comes within {@code timeout}
     */
    public void awaitStderr(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (stderr.stream().noneMatch(line -> line.contains(text))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(this + " wrote no stderr line containing '" + text + "' within "
                            + timeout + "; stderr:\n" + stderrTail());
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for stderr of " + this, e);
        } finally {
            lock.unlock();
        }
    }

    /** Every line so far, oldest first. */
    public List<JsonNode> lines() {
        lock.lock();
        try {
            return List.copyOf(lines);
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the process to exit; false if it still runs after {@code timeout}. */
    public boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until standard output has ended and every line of it is kept; false if it goes on after {@code timeout}. */
    public boolean awaitOutputEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!outputEnded) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    public String stderrTail() {
        lock.lock();
        try {
            return stderr.isEmpty() ? "(nothing)" : String.join("\n", stderr);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return label + " (pid " + process.pid() + ")";
    }

    private void readStdout() {
        readLines(process.inputReader(UTF_8), "stdout", this::add);
        lock.lock();
        try {
            outputEnded = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void readStderr() {
        readLines(process.errorReader(UTF_8), "stderr", this::addStderr);
    }

    private void readLines(BufferedReader reader, String stream, Consumer<String> consumer) {
        try (reader) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                consumer.accept(line);
            }
        } catch (IOException e) {
            addStderr("[" + stream + " failed: " + e.getMessage() + "]");
        }
    }

    /** Keeps a line of standard output: parsed when it is JSON, else as a text node (a human-readable mode). */
    private void add(String text) {
        JsonNode line;
        try {
            line = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            line = TextNode.valueOf(text);
        }
        lock.lock();
        try {
            lines.add(line);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void addStderr(String line) {
        lock.lock();
        try {
            if (stderr.size() == STDERR_LINES) {
                stderr.removeFirst();
            }
            stderr.addLast(line);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
