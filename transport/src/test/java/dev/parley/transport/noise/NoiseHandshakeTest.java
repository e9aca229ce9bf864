package dev.parley.transport.noise;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.noise.NoiseHandshake.PayloadFactory;
import dev.parley.transport.noise.pb.NoiseProtos.NoiseExtensions;
import dev.parley.transport.noise.pb.NoiseProtos.NoiseHandshakePayload;
import dev.parley.transport.testing.InMemoryPipe;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.security.SecureRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class NoiseHandshakeTest {
    private static final PayloadFactory HONEST = HandshakePayload::create;
    private static final PayloadFactory SIGNS_OTHER_STATIC_KEY = HostilePayload.SIGNS_OTHER_STATIC_KEY;
    private static final PayloadFactory PRESENTS_OTHER_IDENTITY = HostilePayload.PRESENTS_OTHER_IDENTITY;

    private final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();
    private final Ed25519PrivateKey bob = Ed25519PrivateKey.generate();
    @AutoClose
    private final InMemoryPipe link = InMemoryPipe.open();
    @AutoClose("shutdownNow")
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @Test
    void bothSidesLearnTheOthersAuthenticatedIdentity() throws Exception {
        Future<SecureChannel> responder = respond(HONEST);
        SecureChannel initiator = NoiseHandshake.initiate(
                link.dialer().in(), link.dialer().out(), alice, PeerId.fromPublicKey(bob.publicKey()));

        assertThat(initiator.remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
        assertThat(initiator.remotePublicKey()).isEqualTo(bob.publicKey());
        SecureChannel listener = responder.get(10, SECONDS);
        assertThat(listener.remotePeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
        assertThat(listener.remotePublicKey()).isEqualTo(alice.publicKey());
    }

    @Test
    void initiatorWithoutExpectedPeerAcceptsAnyPeer() throws Exception {
        Future<SecureChannel> responder = respond(HONEST);
        SecureChannel initiator = NoiseHandshake.initiate(link.dialer().in(), link.dialer().out(), alice, null);

        assertThat(initiator.remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
        assertThat(responder.get(10, SECONDS).remotePeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
    }

    @Test
    void initiatorRefusesAPeerOtherThanTheOneDialled() {
        PeerId carol = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        respond(HONEST);

        assertThatThrownBy(() -> NoiseHandshake.initiate(link.dialer().in(), link.dialer().out(), alice, carol))
                .isInstanceOf(NoiseHandshakeException.class)
                .hasMessageContaining("peer id mismatch")
                .hasMessageContaining(carol.toBase58())
                .hasMessageContaining(PeerId.fromPublicKey(bob.publicKey()).toBase58());
    }

    @Test
    void initiatorRefusesResponderWhoseSignatureCoversAnotherStaticKey() throws Exception {
        Future<SecureChannel> responder = respond(SIGNS_OTHER_STATIC_KEY);

        assertThatThrownBy(() -> NoiseHandshake.initiate(link.dialer().in(), link.dialer().out(), alice, null))
                .isInstanceOf(NoiseHandshakeException.class)
                .hasMessageContaining("bad signature");
        link.dialer().close();
        assertRefused(responder, "connection closed before Noise handshake message 3");
    }

    @Test
    void responderRefusesInitiatorWhoseSignatureCoversAnotherStaticKey() {
        Future<SecureChannel> responder = respond(HONEST);
        threads.submit(() -> NoiseHandshake.initiate(
                link.dialer().in(), link.dialer().out(), alice, null, SIGNS_OTHER_STATIC_KEY));

        assertRefused(responder, "bad signature");
    }

    @Test
    void refusesAnIdentityKeyThatDidNotMakeTheSignature() {
        respond(PRESENTS_OTHER_IDENTITY);

        assertThatThrownBy(() -> NoiseHandshake.initiate(link.dialer().in(), link.dialer().out(), alice, null))
                .isInstanceOf(NoiseHandshakeException.class)
                .hasMessageContaining("bad signature");
    }

    @Test
    void responderRefusesAnIdentityKeyThatDidNotMakeTheSignature() {
        Future<SecureChannel> responder = respond(HONEST);
        threads.submit(() -> NoiseHandshake.initiate(
                link.dialer().in(), link.dialer().out(), alice, null, PRESENTS_OTHER_IDENTITY));

        assertRefused(responder, "bad signature");
    }

    @Test
    void refusesAMalformedPayload() {
        respond((identity, staticKey) -> new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01});

        assertThatThrownBy(() -> NoiseHandshake.initiate(link.dialer().in(), link.dialer().out(), alice, null))
                .isInstanceOf(NoiseHandshakeException.class)
                .hasMessageContaining("malformed Noise handshake payload");
    }

    @Test
    void refusesAPayloadWithoutSignature() {
        respond((identity, staticKey) -> NoiseHandshakePayload.newBuilder()
                .setIdentityKey(ByteString.copyFrom(identity.publicKey().marshal()))
                .build()
                .toByteArray());

        assertThatThrownBy(() -> NoiseHandshake.initiate(link.dialer().in(), link.dialer().out(), alice, null))
                .isInstanceOf(NoiseHandshakeException.class)
                .hasMessageContaining("lacks identity_sig");
    }

    @Test
    void acceptsAndIgnoresThePeersExtensionsAndUnknownFields() throws Exception {
        // What js-libp2p sends: its stream muxers for early negotiation, and maybe fields we do not know yet.
        PayloadFactory withExtensions = (identity, staticKey) -> {
            NoiseHandshakePayload honest;
            try {
                honest = NoiseHandshakePayload.parseFrom(HandshakePayload.create(identity, staticKey));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
            return honest.toBuilder()
                    .setExtensions(NoiseExtensions.newBuilder()
                            .addStreamMuxers("/yamux/1.0.0")
                            .addWebtransportCerthashes(ByteString.copyFrom(new byte[] {0x12, 0x20, 7})))
                    .setUnknownFields(UnknownFieldSet.newBuilder()
                            .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(42).build())
                            .build())
                    .build()
                    .toByteArray();
        };
        Future<SecureChannel> responder = respond(withExtensions);
        Future<SecureChannel> initiator = threads.submit(() -> NoiseHandshake.initiate(
                link.dialer().in(), link.dialer().out(), alice, null, withExtensions));

        assertThat(initiator.get(10, SECONDS).remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
        assertThat(responder.get(10, SECONDS).remotePeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
    }

    @Test
    void anAlteredHandshakeMessageFailsToDecrypt() {
        // Flipping a bit of the initiator's ephemeral key makes the two sides derive different keys.
        TamperingOutputStream tampering = new TamperingOutputStream(link.dialer().out());
        tampering.arm();
        respond(HONEST);

        assertThatThrownBy(() -> NoiseHandshake.initiate(link.dialer().in(), tampering, alice, null))
                .isInstanceOf(NoiseHandshakeException.class)
                .hasMessageContaining("handshake message 2 failed to decrypt");
    }

    @Test
    void refusesAHandshakeMessageTooShortForItsContent() {
        // Message 2 must hold an ephemeral key (32 bytes) and an encrypted static key (48 bytes).
        byte[] message2 = new byte[40];
        new SecureRandom().nextBytes(message2);
        ByteArrayInputStream in = new ByteArrayInputStream(frame(message2));

        assertThatThrownBy(() -> NoiseHandshake.initiate(in, new ByteArrayOutputStream(), alice, null))
                .isInstanceOf(NoiseHandshakeException.class)
                .hasMessageContaining("handshake message 2 of 40 bytes is too short for its static key");
    }

    @Test
    void refusesALowOrderEphemeralKey() {
        // The all-zero point would make the DH result all zeros, a secret known to everyone.
        ByteArrayInputStream in = new ByteArrayInputStream(frame(new byte[80]));

        assertThatThrownBy(() -> NoiseHandshake.initiate(in, new ByteArrayOutputStream(), alice, null))
                .isInstanceOf(NoiseHandshakeException.class)
                .hasMessageContaining("low-order point");
    }

    @Test
    void refusesAConnectionThatClosesBeforeTheFirstMessage() {
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[0]);

        assertThatThrownBy(() -> NoiseHandshake.respond(in, new ByteArrayOutputStream(), bob))
                .isInstanceOf(NoiseHandshakeException.class)
                .hasMessageContaining("connection closed before Noise handshake message 1");
    }

    @Test
    void refusesATruncatedHandshakeMessage() {
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[] {0, 32, 1, 2, 3});

        assertThatThrownBy(() -> NoiseHandshake.respond(in, new ByteArrayOutputStream(), bob))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("announces 32 bytes, the stream ended after 3");
    }

    private Future<SecureChannel> respond(PayloadFactory payloads) {
        return threads.submit(() -> NoiseHandshake.respond(link.listener().in(), link.listener().out(), bob, payloads));
    }

    private static void assertRefused(Future<SecureChannel> side, String reason) {
        assertThatThrownBy(() -> side.get(10, SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(NoiseHandshakeException.class)
                .hasMessageContaining(reason);
    }

    private static byte[] frame(byte[] message) {
        byte[] frame = new byte[NoiseFrame.HEADER_SIZE + message.length];
        frame[0] = (byte) (message.length >>> 8);
        frame[1] = (byte) message.length;
        System.arraycopy(message, 0, frame, NoiseFrame.HEADER_SIZE, message.length);
        return frame;
    }
}
