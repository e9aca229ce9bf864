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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files between two engines that reach each other only through a relay with relay v2's default circuit (128 KiB,
 * 2 minutes): a small file goes through it; a large one waits for a direct connection, and starts by itself once
 * there is one.
 */
class FileOverRelayTest {
    @TempDir
    Path temp;

    @Test
    void aSmallFileGoesThroughARelayAndALargeOneWaitsForADirectConnection() throws Exception {
        Host relay = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        RelayService relayService = RelayService.start(relay, RelayLimits.defaults());
        try {
            relay.listen(TestEngine.LOOPBACK);
            Multiaddr circuit = relay.listenAddresses().getFirst().withPeerId(relay.peerId())
                    .encapsulate(Multiaddr.parse("/p2p-circuit"));
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
                        assertThat(connection.isRelayed()).isTrue());
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
