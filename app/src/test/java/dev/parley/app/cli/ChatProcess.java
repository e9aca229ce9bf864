package dev.parley.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.app.Main;
import dev.parley.transport.testing.JsonLinesProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@code parley chat} child process on this test's class path, on loopback: commands go to its standard
 * input; each line it prints is kept (parsed as JSON with {@code --json}) for the test to wait for.
 */
final class ChatProcess implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    private final JsonLinesProcess process;
    private final String name;

    ChatProcess(Path profile, String name, String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "chat", "--profile", profile.toString(), "--name", name, "--listen", "/ip4/127.0.0.1/tcp/0",
                "--no-mdns"));
        if (!List.of(extraArgs).contains("--bootstrap")) {
            command.addAll(List.of("--bootstrap", "none"));
        }
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command);
        // The engine's own story (streams refused, links retried) is what a failure between two chats needs.
        builder.environment().put("PARLEY_ENGINE_LOG_LEVEL", "DEBUG");
        process = new JsonLinesProcess(builder.start(), "parley chat as " + name);
        this.name = name;
    }

    /**
     * Runs {@code steps}; if one fails, the failure carries every line each of {@code chats} printed and the end of
     * its log, since what one chat waits for in vain is often decided in the other.
     */
    static void withTranscripts(List<ChatProcess> chats, Steps steps) throws Exception {
        try {
            steps.run();
        } catch (AssertionError e) {
            StringBuilder transcript = new StringBuilder(e.getMessage());
            for (ChatProcess chat : chats) {
                transcript.append("\n--- ").append(chat.name).append(" printed:\n")
                        .append(String.join("\n", chat.lines())).append("\n--- ").append(chat.name)
                        .append(" logged:\n").append(chat.process.stderrTail());
            }
            throw new AssertionError(transcript.toString(), e);
        }
    }

    /** Test steps that may throw. */
    @FunctionalInterface
    interface Steps {
        void run() throws Exception;
    }

    void send(String line) {
        process.sendLine(line);
    }

    /** Every line printed so far, as printed. */
    List<String> lines() {
        return process.lines().stream().map(ChatProcess::text).toList();
    }

    /** Waits for the first line that matches; lines are never consumed, so earlier ones match again. */
    String awaitLine(Predicate<String> matching) {
        return text(process.await("a matching line", line -> matching.test(text(line)), WAIT));
    }

    /** Waits for the first JSON event of this name whose fields match. */
    JsonNode await(String event, Predicate<JsonNode> matching) {
        return await(event, matching, WAIT);
    }

    /** Like {@link #await(String, Predicate)}, for what takes longer than {@link #WAIT} (a large file). */
    JsonNode await(String event, Predicate<JsonNode> matching, Duration timeout) {
        return process.await("a " + event + " event", line -> isEvent(line, event) && matching.test(line), timeout);
    }

    JsonNode await(String event) {
        return await(event, line -> true);
    }

    /** The JSON events of this name printed so far. */
    List<JsonNode> events(String event) {
        return process.lines().stream().filter(line -> isEvent(line, event)).toList();
    }

    /** Closes standard input, which ends the session; returns the exit code. */
    int endInput() {
        process.closeInput();
        if (!process.waitForExit(WAIT)) {
            throw new AssertionError("parley chat did not stop within " + WAIT.toSeconds() + " s of the end of input");
        }
        return process.process().exitValue();
    }

    /** Waits until every line the process printed is kept, once it ended; false if its output goes on. */
    boolean awaitOutputEnd() {
        return process.awaitOutputEnd(WAIT);
    }

    Process process() {
        return process.process();
    }

    private static boolean isEvent(JsonNode line, String event) {
        return line.path("event").asText().equals(event);
    }

    private static String text(JsonNode line) {
        return line.isTextual() ? line.asText() : line.toString();
    }

    @Override
    public void close() {
        NodeProcess.stop(process.process());
    }
}
