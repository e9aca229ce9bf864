package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.Varint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer speaking /parley/chat badly, from a raw libp2p host: only its stream is reset, nothing is stored, and
 * the engine goes on serving its contacts.
 */
class EngineHostileInputTest {
    @TempDir
    Path temp;

    private TestEngine alice;
    private TestEngine bob;
    private final Identity mallory = Identity.generate();
    private Host malloryHost;

    @BeforeEach
    void start() throws Exception {
        alice = TestEngine.start(temp, "Alice");
        bob = TestEngine.start(temp, "Bob");
        TestEngine.befriend(alice, bob);
        malloryHost = new Host(HostConfig.of(mallory.transportKey()));
    }

    @AfterEach
    void stop() {
        malloryHost.close();
        alice.close();
        bob.close();
    }

    private Stream chatStreamToBob() throws IOException {
        return malloryHost.dial(bob.engine.listenAddresses().getFirst()).newStream(ChatFrames.PROTOCOL_ID);
    }

    /** The stream must be reset by Bob: reading fails rather than ending cleanly or hanging. */
    private static void assertResetByPeer(Stream stream) {
        assertThatThrownBy(() -> stream.in().read()).isInstanceOf(IOException.class).hasMessageContaining("reset");
    }

    private void assertBobStillChats() throws Exception {
        alice.engine.send(bob.peerId(), "still there?");
        assertThat(bob.events.await(EngineEvent.MessageReceived.class, 1).getFirst().message().text())
                .isEqualTo("still there?");
        assertThat(bob.engine.requests()).isEmpty();
    }

    @Test
    void anOversizedFrameResetsOnlyThatStream() throws Exception {
        Stream stream = chatStreamToBob();
        Varint.write(ChatFrames.MAX_FRAME_BYTES + 1, stream.out());

        assertResetByPeer(stream);
        assertBobStillChats();
    }

    @Test
    void aHugeVarintLengthResetsTheStream() throws Exception {
        Stream stream = chatStreamToBob();
        stream.out().write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});

        assertResetByPeer(stream);
        assertBobStillChats();
    }

    @Test
    void garbageInAnEnvelopeFrameResetsTheStream() throws Exception {
        Stream stream = chatStreamToBob();
        ChatFrames.write(ChatFrames.envelope(new byte[] {1, 2, 3, 4, 5}), stream.out());

        assertResetByPeer(stream);
        assertBobStillChats();
    }

    @Test
    void anEnvelopeCarriedForSomeoneElseIsRefused() throws Exception {
        Stream stream = chatStreamToBob();
        // A genuine envelope from Alice to Bob, replayed by Mallory: the carrier is not the sender.
        byte[] alicesEnvelope = new TinkEnvelopeSealer().sealDirect(alice.identity, bob.engine.card(),
                HeaderFields.of(ConversationId.direct(alice.peerId(), bob.peerId()), 1, EnvelopeKind.TEXT),
                Text.newBuilder().setBody("not from Mallory").build().toByteArray()).encode();
        writeEnvelope(stream.out(), alicesEnvelope);

        assertResetByPeer(stream);
        assertBobStillChats();
        assertThat(bob.engine.history(alice.peerId(), 10).messages()).extracting(ChatMessage::text)
                .containsExactly("still there?");
    }

    @Test
    void anEnvelopeWithABadSignatureIsRefused() throws Exception {
        Stream stream = chatStreamToBob();
        byte[] envelope = new TinkEnvelopeSealer().sealDirect(mallory, bob.engine.card(),
                HeaderFields.of(ConversationId.direct(mallory.peerId(), bob.peerId()), 1, EnvelopeKind.TEXT),
                Text.newBuilder().setBody("tampered").build().toByteArray()).encode();
        envelope[envelope.length - 1] ^= 1;
        writeEnvelope(stream.out(), envelope);

        assertResetByPeer(stream);
        assertBobStillChats();
    }

    @Test
    void anEnvelopeSealedToAnotherPeerIsRefused() throws Exception {
        Stream stream = chatStreamToBob();
        ContactCard alicesCard = alice.engine.card();
        byte[] envelope = new TinkEnvelopeSealer().sealDirect(mallory, alicesCard,
                HeaderFields.of(ConversationId.direct(mallory.peerId(), alice.peerId()), 1, EnvelopeKind.TEXT),
                Text.newBuilder().setBody("for Alice").build().toByteArray()).encode();
        writeEnvelope(stream.out(), envelope);

        assertResetByPeer(stream);
        assertBobStillChats();
    }

    @Test
    void aMalformedPayloadFromAStrangerIsRefusedAndMakesNoRequest() throws Exception {
        Stream stream = chatStreamToBob();
        byte[] envelope = new TinkEnvelopeSealer().sealDirect(mallory, bob.engine.card(),
                HeaderFields.of(ConversationId.direct(mallory.peerId(), bob.peerId()), 1, EnvelopeKind.TEXT),
                new byte[] {(byte) 0xFF, 0x01}).encode();
        writeEnvelope(stream.out(), envelope);

        assertResetByPeer(stream);
        assertBobStillChats();
    }

    private static void writeEnvelope(OutputStream out, byte[] envelope) throws IOException {
        ChatFrames.write(ChatFrames.envelope(envelope), out);
        out.flush();
    }
}
