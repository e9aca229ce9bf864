package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.room.SyncFrames;
import dev.parley.app.engine.threads.EngineThreads;
import dev.parley.app.node.Node;
import dev.parley.app.node.NodeOptions;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.InviteCode;
import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.Multiaddr;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What engines leave running once closed, however busy they were (a chat both ways, a room sync that hangs, a dial
 * that hangs): when close returns, none of the threads they started; once their peers are gone too, no thread of any
 * kind that they or their nodes started.
 */
class EngineCloseTest {
    /**
     * Name prefixes of the JDK's threads: the carriers that run virtual threads, their timers and I/O pollers, and
     * the reaper of child processes (SQLite's native library loader runs one while it looks at the machine).
     */
    private static final List<String> JDK_THREADS = List.of("ForkJoinPool-1-worker-", "ForkJoinPool-1-delayScheduler",
            "VirtualThread-unblocker", "VirtualThread-unparker", "MasterPoller", "SubPoller-", "process reaper");

    @TempDir
    Path folder;
    private int dumps;

    @Test
    void afterCloseNoThreadTheEnginesStartedIsAlive() throws Exception {
        Map<Long, String> before = threads();
        TestEngine alice = TestEngine.start(folder, "Alice");
        TestEngine bob = TestEngine.start(folder, "Bob");
        // Carol is a bare node that takes streams and never answers: Alice's sync with her waits on its answer.
        // Dave's address takes connections and never says a word: Alice's dial of him waits on the handshake.
        Identity carol = Identity.generate();
        Identity dave = Identity.generate();
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        Node silentCarol = new Node(carol.transportKey(), NodeOptions.lanOnly());
        ServerSocket mutedDave = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread daveAnswers = Thread.ofVirtual().name("muted Dave").start(() -> holdConnections(mutedDave));
        try {
            silentCarol.host().setHandler(SyncFrames.PROTOCOL_ID, stream -> {
                asked.countDown();
                holdUntil(released);
            });
            silentCarol.host().setHandler(ChatFrames.PROTOCOL_ID, stream -> holdUntil(released));
            silentCarol.listen(List.of(TestEngine.LOOPBACK));

            TestEngine.befriend(alice, bob);
            alice.engine.chat().send(bob.peerId(), "hello Bob");
            bob.events.await(EngineEvent.MessageReceived.class, 1);
            bob.engine.chat().send(alice.peerId(), "hello Alice");
            alice.events.await(EngineEvent.MessageReceived.class, 1);
            alice.engine.contacts().add(InviteCode.create(ContactCard.create(carol, "Carol"), List.of()).toText());
            alice.engine.contacts().add(InviteCode.create(ContactCard.create(dave, "Dave"), List.of(Multiaddr.parse(
                    "/ip4/127.0.0.1/tcp/" + mutedDave.getLocalPort()))).toText());
            RoomId room = alice.engine.rooms().create("Climbing club").id();
            alice.engine.rooms().invite(room, carol.peerId());
            alice.engine.rooms().invite(room, dave.peerId());
            silentCarol.host().dial(alice.engine.listenAddresses().getFirst());
            assertThat(asked.await(EventLog.WAIT.toSeconds(), TimeUnit.SECONDS)).as("Alice syncs with Carol")
                    .isTrue();
            // Her first message waits a moment for the members' log, and dials Dave for it.
            alice.engine.rooms().say(room, "anyone there?");

            assertThat(started(before).values()).as("running before close").contains(
                    EngineThreads.SCHEDULER_THREAD, EngineThreads.CRYPTO_THREAD_PREFIX + 0,
                    "chat-link " + bob.peerId(), "chat-link " + alice.peerId(),
                    "room-sync " + carol.peerId(), "room-reach " + dave.peerId());
            alice.close();
            bob.close();
            // Carol still holds Alice's sync and Dave her dial: close itself must have ended the threads blocked on
            // them, not the end of those connections afterwards.
            assertThat(started(before).values()).as("the engines' threads alive once close returned")
                    .noneMatch(EngineCloseTest::startedByAnEngine);
        } finally {
            released.countDown();
            alice.close();
            bob.close();
            silentCarol.close();
            mutedDave.close();
            daveAnswers.join();
        }
        assertThat(started(before)).as("alive once everything closed: threads started since the test began").isEmpty();
    }

    /** Takes every connection and keeps it open, silent, until the socket closes. */
    private static void holdConnections(ServerSocket server) {
        List<Socket> held = new ArrayList<>();
        try {
            while (true) {
                held.add(server.accept());
            }
        } catch (IOException closed) {
            held.forEach(socket -> {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing what the test held
                }
            });
        }
    }

    private static void holdUntil(CountDownLatch released) {
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a thread is one of those an engine names: its tasks, crypto pool, scheduler, events, store writer. */
    private static boolean startedByAnEngine(String name) {
        return Stream.of("engine-", "chat-", "room-", "contact-", "nearby-", "parley-store-writer")
                .anyMatch(name::startsWith);
    }

    /**
     * The threads started since {@code before} and still alive, but for the JDK's own, which it starts on first use
     * and keeps for the life of the process.
     */
    private Map<Long, String> started(Map<Long, String> before) throws IOException {
        Map<Long, String> started = new HashMap<>(threads());
        started.keySet().removeAll(before.keySet());
        started.values().removeIf(name -> JDK_THREADS.stream().anyMatch(name::startsWith));
        return started;
    }

    /**
     * Every thread alive, virtual ones included, by id: a thread dump, since {@link Thread#getAllStackTraces} leaves
     * virtual threads out.
     */
    private Map<Long, String> threads() throws IOException {
        Path dump = folder.resolve("threads-" + ++dumps + ".json");
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpThreads(dump.toString(),
                HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        Map<Long, String> threads = new HashMap<>();
        for (JsonNode container : new ObjectMapper().readTree(dump.toFile()).at("/threadDump/threadContainers")) {
            for (JsonNode thread : container.get("threads")) {
                threads.put(Long.parseLong(thread.get("tid").asText()), thread.get("name").asText());
            }
        }
        return threads;
    }
}
