package dev.parley.transport.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.testing.ProcessLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A js-libp2p 3 peer in its own Node process ({@code transport/src/test/js/peer.mjs}) for interop tests:
 * TCP, Noise, Yamux, identify and identify-push, ping, perf and the test echo protocol
 * {@code /parley-test/echo/1.0.0}, listening on {@code /ip4/127.0.0.1/tcp/0}.
 *
 * <p>The test sends it JSON commands and gets one JSON reply per command; commands may run concurrently
 * from several threads. {@link #call} returns any reply, {@link #callOk} throws {@link JsCommandException}
 * for an {@code ok:false} one, and the typed helpers below use {@code callOk}. Besides replies the peer
 * reports what it sees as events ({@code connection:open}, {@code connection:close}, {@code peer:identify},
 * {@code error}), which {@link #awaitEvent} waits for. peer.mjs documents every command and field.
 *
 * <p>Set {@code DEBUG=libp2p:*} in the test's environment for js-libp2p's log; the peer's stderr goes to
 * this class's logger at debug level, and its last lines into every failure message.
 */
public final class JsPeer implements AutoCloseable {
    public static final String ECHO_PROTOCOL = TestProtocols.ECHO;
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(JsPeer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DESTROY_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration STDERR_DRAIN_TIMEOUT = Duration.ofSeconds(2);
    private static final int STDERR_LINES = 200;

    private final Process process;
    private final Writer commands;
    private final ReentrantLock commandLock = new ReentrantLock();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
    private final List<JsonNode> events = new ArrayList<>();
    private final ReentrantLock eventLock = new ReentrantLock();
    private final Condition eventArrived = eventLock.newCondition();
    private final OutputTail stderr = new OutputTail(STDERR_LINES);
    private final Thread stderrReader;
    private volatile JsPeerException ended;
    private final PeerId peerId;
    private final List<String> addrs;

    private JsPeer(Process process) {
        this.process = process;
        this.commands = process.outputWriter(UTF_8);
        this.stderrReader = Thread.ofVirtual().name("js-peer-" + process.pid() + "-stderr").start(this::readStderr);
        Thread.ofVirtual().name("js-peer-" + process.pid() + "-stdout").start(this::readStdout);
        JsonNode readyLine = awaitReady();
        this.peerId = PeerId.parse(readyLine.path("peerId").asText());
        this.addrs = StreamSupport.stream(readyLine.path("addrs").spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    /** Starts a peer with a fresh Ed25519 identity. Skips the test if Node or the js peer is missing. */
    public static JsPeer start() {
        return start(List.of(), ProcessLauncher.LOCAL);
    }

    /** Starts a peer with the given identity, a private key in the libp2p protobuf form. */
    public static JsPeer start(byte[] privateKeyProtobuf) {
        return start(List.of("--key", HexFormat.of().formatHex(privateKeyProtobuf)), ProcessLauncher.LOCAL);
    }

    /** Skips the calling test unless Node and the js peer are installed; under {@code CI=true} fails it. */
    public static void assumeNodeAvailable() {
        NodeRuntime.require();
    }

    /**
     * Starts a peer with the given peer.mjs options through {@code launcher}, for instance inside a network lab
     * host. Skips the test if Node or the js peer is missing.
     */
    public static JsPeer start(List<String> options, ProcessLauncher launcher) {
        ProcessBuilder peer = NodeRuntime.require().script("peer.mjs", options);
        try {
            return new JsPeer(launcher.start(peer));
        } catch (IOException e) {
            throw new JsPeerException("cannot run " + peer.command() + " in " + peer.directory(), e);
        }
    }

    public PeerId peerId() {
        return peerId;
    }

    /** The listen addresses, each ending in {@code /p2p/<peer id>}. */
    public List<String> addrs() {
        return addrs;
    }

    /** The first listen address: {@code /ip4/127.0.0.1/tcp/<port>/p2p/<peer id>}. */
    public String address() {
        return addrs.getFirst();
    }

    /** Sends a command and returns the peer's reply, {@code ok} true or false. */
    public JsonNode call(Map<String, ?> command) {
        return call(command, CALL_TIMEOUT);
    }

    public JsonNode call(Map<String, ?> command, Duration timeout) {
        ObjectNode message = JSON.valueToTree(command);
        long id = nextId.getAndIncrement();
        message.put("id", id);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        JsPeerException end = ended;
        if (end != null) {
            reply.completeExceptionally(end);
        }
        send(message);
        try {
            return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new JsPeerException(this + " did not answer " + message + " within " + timeout
                    + "; stderr:\n" + stderr, e);
        } catch (ExecutionException e) {
            throw new JsPeerException(this + " ended while answering " + message + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JsPeerException("interrupted waiting for " + this + " to answer " + message, e);
        } finally {
            pending.remove(id);
        }
    }

    /** Sends a command and returns its {@code ok:true} reply; throws {@link JsCommandException} otherwise. */
    public JsonNode callOk(Map<String, ?> command) {
        JsonNode reply = call(command);
        if (!reply.path("ok").asBoolean()) {
            throw new JsCommandException(JSON.valueToTree(command), reply);
        }
        return reply;
    }

    /** Connects to addr (or reuses a connection); the reply has remotePeer, remoteAddr, encryption, multiplexer. */
    public JsonNode dial(String addr) {
        return callOk(Map.of("cmd", "dial", "addr", addr));
    }

    /** Pings count times with js-libp2p's ping service, one stream per ping; round trips in whole ms. */
    public List<Double> ping(String addr, int count) {
        JsonNode reply = callOk(Map.of("cmd", "ping", "addr", addr, "count", count));
        return StreamSupport.stream(reply.path("rtts").spliterator(), false).map(JsonNode::asDouble).toList();
    }

    /** Runs identify; the reply has peerId, protocols, listenAddrs, observedAddr, agentVersion, protocolVersion,
     * publicKey (protobuf, hex) and signedPeerRecord. */
    public JsonNode identify(String addr) {
        return callOk(Map.of("cmd", "identify", "addr", addr));
    }

    /** Sends bytes random bytes on each of streams concurrent echo streams and checks what comes back. */
    public JsonNode echo(String addr, int bytes, int streams) {
        return callOk(Map.of("cmd", "echo", "addr", addr, "bytes", bytes, "streams", streams));
    }

    /** One perf exchange as the client; the reply has uploadBytes, downloadBytes and seconds. */
    public JsonNode perf(String addr, long upload, long download) {
        return callOk(Map.of("cmd", "perf", "addr", addr, "upload", upload, "download", download));
    }

    /** The open connections: an array of {remotePeer, remoteAddr, direction, status, …}. */
    public JsonNode connections() {
        return callOk(Map.of("cmd", "connections")).path("connections");
    }

    /** The PeerIds of the peers it has open connections to. */
    public List<String> connectedPeers() {
        return StreamSupport.stream(connections().spliterator(), false)
                .map(connection -> connection.path("remotePeer").asText())
                .toList();
    }

    /** The text of each element of a JSON array. */
    public static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** Closes every connection to the peer at addr. */
    public void hangup(String addr) {
        callOk(Map.of("cmd", "hangup", "addr", addr));
    }

    /**
     * Returns the first event of that name, seen since start, that matches; waits for it if there is none
     * yet.
     */
    public JsonNode awaitEvent(String event, Predicate<JsonNode> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        eventLock.lock();
        try {
            while (true) {
                for (JsonNode candidate : events) {
                    if (event.equals(candidate.path("event").asText()) && matching.test(candidate)) {
                        return candidate;
                    }
                }
                if (ended != null) {
                    throw new JsPeerException("no matching " + event + " event before " + ended.getMessage());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new JsPeerException("no matching " + event + " event from " + this + " within " + timeout
                            + "; events: " + events);
                }
                eventArrived.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JsPeerException("interrupted waiting for " + event + " from " + this, e);
        } finally {
            eventLock.unlock();
        }
    }

    /** Every event seen since start, oldest first. */
    public List<JsonNode> events() {
        eventLock.lock();
        try {
            return List.copyOf(events);
        } finally {
            eventLock.unlock();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Asks the peer to quit, and ends the process by its handle if it has not exited within 10 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            long id = nextId.getAndIncrement();
            // Registered so that its reply is expected, though nobody waits for it: the exit is the answer.
            pending.put(id, new CompletableFuture<>());
            try {
                send(JSON.createObjectNode().put("id", id).put("cmd", "quit"));
                commands.close();
            } catch (JsPeerException | IOException e) {
                log.debug("{} no longer reads commands: {}", this, e.getMessage());
            }
        }
        try {
            if (!process.waitFor(QUIT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("{} did not quit within {}; destroying it. stderr:\n{}", this, QUIT_TIMEOUT, stderr);
                process.destroy();
                if (!process.waitFor(DESTROY_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "js peer (pid " + process.pid() + ")";
    }

    private JsonNode awaitReady() {
        try {
            return ready.get(READY_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            close();
            throw new JsPeerException(this + " printed no ready line within " + READY_TIMEOUT + "; stderr:\n" + stderr);
        } catch (ExecutionException e) {
            close();
            throw new JsPeerException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new JsPeerException("interrupted waiting for " + this + " to start", e);
        }
    }

    private void send(JsonNode message) {
        commandLock.lock();
        try {
            commands.write(JSON.writeValueAsString(message));
            commands.write('\n');
            commands.flush();
        } catch (IOException e) {
            throw new JsPeerException("cannot send " + message + " to " + this + "; stderr:\n" + stderr, e);
        } finally {
            commandLock.unlock();
        }
    }

    private void readStdout() {
        try (BufferedReader lines = process.inputReader(UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                dispatch(line);
            }
        } catch (IOException e) {
            log.debug("{} stdout failed: {}", this, e.getMessage());
        } finally {
            end();
        }
    }

    private void dispatch(String line) {
        JsonNode message;
        try {
            message = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            log.warn("{} wrote a line that is not JSON: {}", this, line);
            stderr.add("[stdout, not JSON] " + line);
            return;
        }
        JsonNode id = message.path("id");
        if (id.canConvertToLong()) {
            CompletableFuture<JsonNode> reply = pending.get(id.asLong());
            if (reply == null) {
                log.warn("{} answered a command nobody waits for: {}", this, line);
            } else {
                reply.complete(message);
            }
        } else if ("ready".equals(message.path("event").asText())) {
            ready.complete(message);
        } else if (message.has("event")) {
            recordEvent(message);
        } else {
            log.warn("{} wrote a line that is neither a reply nor an event: {}", this, line);
        }
    }

    private void recordEvent(JsonNode event) {
        eventLock.lock();
        try {
            events.add(event);
            eventArrived.signalAll();
        } finally {
            eventLock.unlock();
        }
    }

    private void readStderr() {
        try (BufferedReader lines = process.errorReader(UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                stderr.add(line);
                log.debug("{}: {}", this, line);
            }
        } catch (IOException e) {
            log.debug("{} stderr failed: {}", this, e.getMessage());
        }
    }

    /** Fails whoever still waits on the peer, with how it ended and what it last wrote to stderr. */
    private void end() {
        String exit;
        try {
            exit = process.waitFor(QUIT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                    ? "exited with code " + process.exitValue()
                    : "closed its stdout";
            stderrReader.join(STDERR_DRAIN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit = "closed its stdout";
        }
        JsPeerException end = new JsPeerException(this + " " + exit + "; stderr:\n" + stderr);
        ended = end;
        ready.completeExceptionally(end);
        pending.values().forEach(reply -> reply.completeExceptionally(end));
        eventLock.lock();
        try {
            eventArrived.signalAll();
        } finally {
            eventLock.unlock();
        }
    }
}
