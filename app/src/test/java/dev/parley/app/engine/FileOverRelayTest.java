package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.crypto.MessageId;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.relay.RelayLimits;
import dev.parley.transport.relay.RelayService;
import dev.parley.transport.spi.CircuitLimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files between two engines that reach each other only through a relay. Through one with relay v2's default circuit
 * (128 KiB, 2 minutes) a small file goes; a large one waits for a direct connection, and starts by itself once there
 * is one. Through a contact relaying for its contacts (64 MiB, an hour) a large one goes too.
 */
class FileOverRelayTest {
    private static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");

    @TempDir
    Path temp;

    @Test
    void aSmallFileGoesThroughARelayAndALargeOneWaitsForADirectConnection() throws Exception {
        Host relay = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        RelayService relayService = RelayService.start(relay, RelayLimits.defaults());
        try {
            relay.listen(TestEngine.LOOPBACK);
            Multiaddr circuit = relay.listenAddresses().getFirst().withPeerId(relay.peerId()).encapsulate(CIRCUIT);
            try (TestEngine alice = TestEngine.start(temp, "Alice", config -> config.withListenAddresses(
                    List.of(circuit)));
                 TestEngine bob = TestEngine.start(temp, "Bob", config -> config.withListenAddresses(
                         List.of(circuit)))) {
                assertThat(alice.engine.listenAddresses()).isNotEmpty().allMatch(Multiaddr::isCircuit);
                TestEngine.befriend(alice, bob);

                Path small = randomFile("note.txt", 40 * 1024);
                MessageRef smallAtBob = sendAndReceive(alice, bob, small);
                bob.engine.files().download(smallAtBob);
                awaitState(bob, smallAtBob, FileTransfer.State.COMPLETE);
                assertThat(bob.engine.host().connection(alice.peerId())).hasValueSatisfying(connection ->
                        assertThat(connection.relayLimit()).contains(RelayLimits.DEFAULT_CIRCUIT));
                assertThat(Files.readAllBytes(bob.engine.files().stored(smallAtBob)))
                        .isEqualTo(Files.readAllBytes(small));

                Path large = randomFile("holiday.mov", 3L * 1024 * 1024);
                MessageRef largeAtBob = sendAndReceive(alice, bob, large);
                bob.engine.files().download(largeAtBob);
                FileTransfer waiting = bob.events.await(EngineEvent.FileProgress.class, progress ->
                        progress.message().equals(largeAtBob) && progress.transfer().problem().isPresent())
                        .transfer();
                assertThat(waiting.state()).isEqualTo(FileTransfer.State.WAITING);
                assertThat(waiting.problem()).contains("waiting for a direct connection");
                assertThat(alice.engine.fileBytesServed()).as("nothing of the large file went through the relay")
                        .isLessThan(64 * 1024);

                // A direct connection appears (as hole punching would make one): the fetch starts by itself.
                bob.engine.host().listen(TestEngine.LOOPBACK);
                Multiaddr bobDirect = bob.engine.host().listenAddresses().stream()
                        .filter(address -> !address.isCircuit()).findFirst().orElseThrow();
                alice.engine.host().dial(bobDirect.withPeerId(bob.peerId()));
                awaitState(bob, largeAtBob, FileTransfer.State.COMPLETE);
                assertThat(Files.readAllBytes(bob.engine.files().stored(largeAtBob)))
                        .isEqualTo(Files.readAllBytes(large));
            }
        } finally {
            relayService.close();
            relay.close();
        }
    }

    @Test
    void betweenTwoContactsRelayedByAThirdContactALargeFileGoesOverTheRelay() throws Exception {
        try (TestEngine carol = TestEngine.start(temp, "Carol");
             TestEngine alice = TestEngine.start(temp, "Alice", config -> config.withListenAddresses(List.of()));
             TestEngine bob = TestEngine.start(temp, "Bob", config -> config.withListenAddresses(List.of()))) {
            TestEngine.befriend(alice, carol);
            TestEngine.befriend(bob, carol);
            Multiaddr viaCarol = carol.engine.listenAddresses().getFirst().encapsulate(CIRCUIT);
            alice.engine.host().listen(viaCarol);
            bob.engine.host().listen(viaCarol);
            // Befriended now, their invites carry only their circuit addresses through Carol.
            TestEngine.befriend(alice, bob);
            assertThat(alice.engine.listenAddresses()).isNotEmpty().allMatch(Multiaddr::isCircuit);

            Path large = randomFile("holiday.mov", 10L * 1024 * 1024);
            MessageRef largeAtBob = sendAndReceive(alice, bob, large);
            bob.engine.files().download(largeAtBob);
            awaitState(bob, largeAtBob, FileTransfer.State.COMPLETE);
            assertThat(bob.engine.host().connection(alice.peerId())).hasValueSatisfying(connection ->
                    assertThat(connection.relayLimit()).as("Carol gives her contacts' circuits an hour and 64 MiB")
                            .contains(new CircuitLimit(Duration.ofHours(1), 64L << 20)));
            assertThat(Files.readAllBytes(bob.engine.files().stored(largeAtBob))).isEqualTo(Files.readAllBytes(large));
        }
    }

    private static MessageRef sendAndReceive(TestEngine from, TestEngine to, Path file) throws Exception {
        MessageId id = from.engine.files().send(new ConversationRef.Direct(to.peerId()), file, "", copied -> { });
        to.events.await(EngineEvent.MessageReceived.class, event -> event.message().id().equals(id));
        return new MessageRef(new ConversationRef.Direct(from.peerId()), from.peerId(), id);
    }

    private static void awaitState(TestEngine engine, MessageRef message, FileTransfer.State state)
            throws InterruptedException {
        engine.events.await(EngineEvent.FileProgress.class, progress -> progress.message().equals(message)
                && progress.transfer().state() == state);
    }

    private Path randomFile(String name, long size) throws Exception {
        return TestFiles.random(temp.resolve(name), size, size);
    }
}
