package dev.parley.app.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.app.Main;
import dev.parley.crypto.InvalidInviteException;
import dev.parley.crypto.InviteCode;
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
import java.util.stream.IntStream;

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
        return await(event, matching, WAIT);
    }

    /** The first event of this kind since start whose fields match; waits up to {@code timeout}. */
    JsonNode await(String event, Predicate<JsonNode> matching, Duration timeout) {
        return process.await(name + "'s " + event + " event",
                line -> line.path("event").asText().equals(event) && matching.test(line), timeout);
    }

    /**
     * {@code asking}, knowing only {@code answering}'s card (no addresses: it is found through the DHT or the LAN),
     * writes; {@code answering} accepts and answers: contacts both ways, who have just talked.
     */
    static void befriend(LabChat asking, LabChat answering) throws InvalidInviteException {
        answering.send("/invite");
        InviteCode invite = InviteCode.parse(answering.await("invite", event -> true).path("code").asText());
        asking.send("/add " + InviteCode.create(invite.card(), List.of()).toText());
        String hello = "hello from " + asking.name;
        asking.send("/msg " + answering.name + " " + hello);
        answering.await("request", event -> event.path("peerId").asText().equals(asking.peerId)
                && event.path("text").asText().equals(hello));
        answering.send("/accept " + asking.peerId);
        String answer = "and hello from " + answering.name;
        answering.send("/msg " + asking.name + " " + answer);
        asking.await("message", event -> event.path("peerId").asText().equals(answering.peerId)
                && event.path("text").asText().equals(answer));
    }

    /**
     * Waits up to {@code timeout} for "{@code prefix}{@code count - 1}", then checks that "{@code prefix}0" to it
     * arrived each once and in order.
     */
    void awaitReceivedInOrder(String prefix, int count, Duration timeout) {
        await("message", event -> event.path("text").asText().equals(prefix + (count - 1)), timeout);
        assertThat(events("message")).extracting(event -> event.path("text").asText())
                .filteredOn(text -> text.startsWith(prefix)).as("each once, in order")
                .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> prefix + i).toList());
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
