package dev.parley.transport.mdns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.testing.ChildJvm;
import dev.parley.transport.testing.JsonLinesProcess;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NetworkLab;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Parley node with mDNS discovery in its own JVM inside a lab host ({@link MdnsProbeMain} documents what it
 * prints), for tests and the benchmark.
 */
final class MdnsProbe implements AutoCloseable {
    /** A JVM with a cold class cache takes a few seconds to start on a busy 2-core machine. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonLinesProcess process;
    private final JsonNode ready;
    private final PeerId peerId;

    private MdnsProbe(JsonLinesProcess process) {
        this.process = process;
        this.ready = process.await("the ready line", line -> "ready".equals(line.path("event").asText()), START_TIMEOUT);
        this.peerId = PeerId.parse(ready.path("peerId").asText());
    }

    /**
     * Starts a probe in {@code host}, listening on the host's address and running mDNS on its {@code eth0}
     * with the given query interval and record TTL.
     */
    static MdnsProbe start(NetworkLab lab, LabHost host, Duration queryInterval, Duration ttl) throws IOException {
        return start(lab, host, List.of("--listen", host.tcpMultiaddr(0)), queryInterval, ttl);
    }

    static MdnsProbe start(NetworkLab lab, LabHost host, List<String> listenOptions, Duration queryInterval,
            Duration ttl) throws IOException {
        List<String> options = new ArrayList<>(listenOptions);
        options.addAll(List.of("--interface", LabHost.INTERFACE,
                "--query-interval-ms", Long.toString(queryInterval.toMillis()),
                "--ttl-s", Long.toString(ttl.toSeconds())));
        ProcessBuilder command = new ProcessBuilder(ChildJvm.command(MdnsProbeMain.class, options));
        return new MdnsProbe(new JsonLinesProcess(lab.start(host, command), "mdns probe in " + host.name()));
    }

    PeerId peerId() {
        return peerId;
    }

    /** The listen addresses, each ending in {@code /p2p/<peer id>}. */
    List<String> addrs() {
        return JsPeer.texts(ready.path("addrs"));
    }

    /** Epoch milliseconds just before its discovery started. */
    long startedAt() {
        return ready.path("startedAt").asLong();
    }

    /** The first {@code found} line for {@code peer}; waits for it. */
    JsonNode awaitFound(PeerId peer, Duration timeout) {
        return awaitEvent("found", peer, timeout);
    }

    /** The first {@code lost} line for {@code peer}; waits for it. */
    JsonNode awaitLost(PeerId peer, Duration timeout) {
        return awaitEvent("lost", peer, timeout);
    }

    /** Dials {@code peer} by PeerId (addresses from the address book) and returns the {@code dialed} line. */
    JsonNode dial(PeerId peer, Duration timeout) {
        process.send(JSON.createObjectNode().put("cmd", "dial").put("peerId", peer.toBase58()));
        return awaitEvent("dialed", peer, timeout);
    }

    /** Waits for a line of its stderr (its log) that contains {@code text}. */
    void awaitLog(String text, Duration timeout) {
        process.awaitStderr(text, timeout);
    }

    /** Every line with that event name, oldest first. */
    List<JsonNode> events(String event) {
        return process.lines().stream().filter(line -> event.equals(line.path("event").asText())).toList();
    }

    /** Ends its input, so that it says goodbye and exits; waits for that. */
    void stop() {
        process.closeInput();
        process.await("the closed line", line -> "closed".equals(line.path("event").asText()), EXIT_TIMEOUT);
        if (!process.waitForExit(EXIT_TIMEOUT)) {
            throw new AssertionError(process + " said it closed but did not exit within " + EXIT_TIMEOUT);
        }
    }

    /** SIGKILL: no goodbye. */
    void kill() {
        process.process().destroyForcibly();
        if (!process.waitForExit(EXIT_TIMEOUT)) {
            throw new AssertionError(process + " still runs " + EXIT_TIMEOUT + " after SIGKILL");
        }
    }

    /** Stops it if it still runs; the lab ends whatever is left. */
    @Override
    public void close() {
        if (process.process().isAlive()) {
            process.closeInput();
            process.waitForExit(EXIT_TIMEOUT);
        }
    }

    @Override
    public String toString() {
        return process.toString();
    }

    private JsonNode awaitEvent(String event, PeerId peer, Duration timeout) {
        return process.await(event + " for " + peer, line -> event.equals(line.path("event").asText())
                && peer.toBase58().equals(line.path("peerId").asText()), timeout);
    }
}
