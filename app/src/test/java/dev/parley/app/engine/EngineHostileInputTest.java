package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.InviteCode;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Varint;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer speaking /parley/chat badly, from a raw libp2p host: only its stream is reset, nothing is stored, the
 * engine goes on serving its contacts, and once the peer has gone neither engine holds anything of it: the memory
 * budget and the resource manager count what they counted before it came.
 */
class EngineHostileInputTest extends TwoContactsTest {
    private final Identity mallory = Identity.generate();
    private Host malloryHost;
    private HostHoldings alicesBaseline;
    private HostHoldings bobsBaseline;

    /** Alice and Bob chat (Alice's chat stream to Bob is open from now on), then what each holds is the baseline. */
    @BeforeEach
    void chatThenStartMallory() throws Exception {
        alice.engine.chat().send(bob.peerId(), "hello");
        bob.events.await(EngineEvent.MessageReceived.class, 1);
        alice.events.await(EngineEvent.Delivered.class, 1);
        alicesBaseline = HostHoldings.settled(alice.engine.host());
        bobsBaseline = HostHoldings.settled(bob.engine.host());
        malloryHost = new Host(HostConfig.of(mallory.transportKey()));
    }

    @AfterEach
    void stopMallory() {
        malloryHost.close();
    }

    /** Makes Mallory's host listen on loopback; returns its address. */
    private Multiaddr malloryHostAt() throws IOException {
        return malloryHost.listen(TestEngine.LOOPBACK);
    }

    private Stream chatStreamToBob() throws IOException {
        return malloryHost.dial(bob.engine.listenAddresses().getFirst()).newStream(ChatFrames.PROTOCOL_ID);
    }

    /** The stream must be reset by Bob: reading fails rather than ending cleanly or hanging. */
    private static void assertResetByPeer(Stream stream) {
        assertThatThrownBy(() -> stream.in().read()).isInstanceOf(IOException.class).hasMessageContaining("reset");
    }

    private void assertBobStillChats() throws Exception {
        aliceSendsAndBobReceives("still there?");
        assertThat(bob.events.all(EngineEvent.MessageReceived.class)).extracting(received -> received.message().text())
                .containsExactly("hello", "still there?");
        assertThat(bob.engine.contacts().requests()).isEmpty();
    }

    /** Mallory's host closes; Alice and Bob then hold what they held before it came, and go on chatting. */
    private void assertNothingOfMalloryIsHeldOnceGone() throws Exception {
        malloryHost.close();
        bobsBaseline.awaitBackTo(bob.engine.host(), "Mallory's host closed");
        alicesBaseline.awaitBackTo(alice.engine.host(), "Mallory's host closed");
        aliceSendsAndBobReceives("and now?");
    }

    private void aliceSendsAndBobReceives(String text) throws Exception {
        alice.engine.chat().send(bob.peerId(), text);
        bob.events.await(EngineEvent.MessageReceived.class, received -> received.message().text().equals(text));
    }

    @Test
    void anOversizedFrameResetsOnlyThatStream() throws Exception {
        Stream stream = chatStreamToBob();
        Varint.write(ChatFrames.MAX_FRAME_BYTES + 1, stream.out());

        assertResetByPeer(stream);
        assertBobStillChats();
        assertNothingOfMalloryIsHeldOnceGone();
    }

    @Test
    void anUnfinishedFrameHoldsItsBufferOnlyWhileItsConnectionLasts() throws Exception {
        Stream stream = chatStreamToBob();
        Varint.write(ChatFrames.MAX_FRAME_BYTES, stream.out());
        stream.out().write(new byte[100]);
        stream.out().flush();

        // Bob reserves the frame's buffer once its length has arrived, and waits for the rest of it.
        HostHoldings.await(bob.engine.host(), now -> now.reservedBytes() >= ChatFrames.MAX_FRAME_BYTES,
                now -> "Bob to reserve the frame's buffer: he holds " + now);
        assertBobStillChats();
        assertNothingOfMalloryIsHeldOnceGone();
    }

    @Test
    void aHugeVarintLengthResetsTheStream() throws Exception {
        Stream stream = chatStreamToBob();
        stream.out().write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});

        assertResetByPeer(stream);
        assertBobStillChats();
        assertNothingOfMalloryIsHeldOnceGone();
    }

    @Test
    void garbageInAnEnvelopeFrameResetsTheStream() throws Exception {
        Stream stream = chatStreamToBob();
        ChatFrames.write(ChatFrames.envelope(new byte[] {1, 2, 3, 4, 5}), stream.out());

        assertResetByPeer(stream);
        assertBobStillChats();
        assertNothingOfMalloryIsHeldOnceGone();
    }

    @Test
    void anEnvelopeCarriedForSomeoneElseIsRefused() throws Exception {
        Stream stream = chatStreamToBob();
        // A genuine envelope from Alice to Bob, replayed by Mallory: the carrier is not the sender.
        writeEnvelope(stream.out(), sealed(alice.identity, bob.engine.card(), text("not from Mallory")));

        assertResetByPeer(stream);
        assertBobStillChats();
        assertThat(bob.engine.history().newest(alice.peerId(), 10).messages()).extracting(ChatMessage::text)
                .containsExactly("hello", "still there?");
        assertNothingOfMalloryIsHeldOnceGone();
    }

    @Test
    void anEnvelopeWithABadSignatureIsRefused() throws Exception {
        Stream stream = chatStreamToBob();
        byte[] envelope = sealedByMallory(bob.engine.card(), text("tampered"));
        envelope[envelope.length - 1] ^= 1;
        writeEnvelope(stream.out(), envelope);

        assertResetByPeer(stream);
        assertBobStillChats();
        assertNothingOfMalloryIsHeldOnceGone();
    }

    @Test
    void anEnvelopeSealedToAnotherPeerIsRefused() throws Exception {
        Stream stream = chatStreamToBob();
        writeEnvelope(stream.out(), sealedByMallory(alice.engine.card(), text("for Alice")));

        assertResetByPeer(stream);
        assertBobStillChats();
        assertNothingOfMalloryIsHeldOnceGone();
    }

    @Test
    void aMalformedPayloadFromAStrangerIsRefusedAndMakesNoRequest() throws Exception {
        Stream stream = chatStreamToBob();
        writeEnvelope(stream.out(), sealedByMallory(bob.engine.card(), new byte[] {(byte) 0xFF, 0x01}));

        assertResetByPeer(stream);
        assertBobStillChats();
        assertNothingOfMalloryIsHeldOnceGone();
    }

    @Test
    void aPeerThatResetsEveryChatStreamIsRetriedWithBackOffNotInALoop() throws Exception {
        AtomicInteger streams = new AtomicInteger();
        malloryHost.setHandler(ChatFrames.PROTOCOL_ID, stream -> {
            streams.incrementAndGet();
            stream.in().read();
            stream.reset();
        });
        alice.engine.contacts().add(InviteCode.create(ContactCard.create(mallory, "Mallory"), List.of(malloryHostAt()))
                .toText());

        alice.engine.chat().send(mallory.peerId(), "hello?");
        Thread.sleep(2_500);

        assertThat(streams.get()).as("streams opened in 2.5 s").isBetween(1, 6);
        assertThat(alice.engine.deliveredEverythingTo(mallory.peerId())).isFalse();
        assertBobStillChats();
        assertNothingOfMalloryIsHeldOnceGone();
    }

    @Test
    void aPeerThatNeverSendsItsCardIsGivenUpOn() throws Exception {
        malloryHost.setHandler(ProfileProtocol.PROTOCOL_ID, stream -> {
            try {
                Thread.sleep(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Connection toMallory = bob.engine.host().dial(malloryHostAt().withPeerId(mallory.peerId()));

        assertThatThrownBy(() -> ProfileProtocol.fetch(toMallory, Duration.ofMillis(300)))
                .isInstanceOf(IOException.class).hasMessageContaining("sent no card within 300 ms");
        assertBobStillChats();
        assertNothingOfMalloryIsHeldOnceGone();
    }

    private byte[] sealedByMallory(ContactCard to, byte[] payload) throws EnvelopeException {
        return sealed(mallory, to, payload);
    }

    private static byte[] sealed(Identity from, ContactCard to, byte[] payload) throws EnvelopeException {
        return new TinkEnvelopeSealer().sealDirect(from, to,
                HeaderFields.of(ConversationId.direct(from.peerId(), to.peerId()), 1, EnvelopeKind.TEXT), payload).encode();
    }

    private static byte[] text(String body) {
        return Text.newBuilder().setBody(body).build().toByteArray();
    }

    private static void writeEnvelope(OutputStream out, byte[] envelope) throws IOException {
        ChatFrames.write(ChatFrames.envelope(envelope), out);
        out.flush();
    }
}
