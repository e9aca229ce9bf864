package dev.parley.app.lab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.app.Main;
import dev.parley.transport.testing.ChildJvm;
import dev.parley.transport.testing.JsonLinesProcess;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NetworkLab;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code parley chat --json} in a child JVM on one host of a lab LAN, with mDNS on (the namespace is the test's
 * own, so its multicast stays inside): commands go to its standard input, its JSON events are kept for the test
 * to wait for.
 */
final class LabChat implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final int PORT = 4001;

    private final String name;
    private final JsonLinesProcess process;
    private final String peerId;

    private LabChat(String name, JsonLinesProcess process) {
        this.name = name;
        this.process = process;
        this.peerId = process.await("ready", line -> line.path("event").asText().equals("ready"), WAIT)
                .path("peerId").asText();
    }

    /**
     * Starts the chat of profile {@code profile} on {@code host}, listening on its address; with
     * {@code --bootstrap none} unless {@code extraArgs} name bootstrap peers (the lab's own).
     */
    static LabChat start(NetworkLab lab, LabHost host, Path profile, String name, String... extraArgs)
            throws IOException {
        List<String> arguments = new ArrayList<>(List.of("chat", "--json", "--profile", profile.toString(),
                "--name", name, "--listen", host.tcpMultiaddr(PORT)));
        if (!List.of(extraArgs).contains("--bootstrap")) {
            arguments.addAll(List.of("--bootstrap", "none"));
        }
        arguments.addAll(List.of(extraArgs));
        Process process = lab.start(host, new ProcessBuilder(ChildJvm.command(Main.class, arguments)));
        return new LabChat(name, new JsonLinesProcess(process, name));
    }

    String name() {
        return name;
    }

    String peerId() {
        return peerId;
    }

    Process process() {
        return process.process();
    }

    void send(String command) {
        process.sendLine(command);
    }

    /** The first event of this kind since start whose fields match; waits up to {@link #WAIT}. */
    JsonNode await(String event, Predicate<JsonNode> matching) {
        return process.await(name + "'s " + event + " event",
                line -> line.path("event").asText().equals(event) && matching.test(line), WAIT);
    }

    /** Waits until this chat lists {@code other} as nearby, with its display name. */
    JsonNode awaitNearby(LabChat other) {
        return await("nearby", line -> line.path("peerId").asText().equals(other.peerId)
                && line.path("name").asText().equals(other.name) && !line.path("gone").asBoolean());
    }

    /** Every event of this kind printed so far. */
    List<JsonNode> events(String event) {
        return process.lines().stream().filter(line -> line.path("event").asText().equals(event)).toList();
    }

    /** Ends the session as a user would, with the end of input; true if it exited in time. */
    boolean quit() {
        process.closeInput();
        return process.waitForExit(WAIT);
    }

    @Override
    public void close() {
        if (process.process().isAlive()) {
            quit();
        }
        process.process().destroyForcibly();
    }
}
