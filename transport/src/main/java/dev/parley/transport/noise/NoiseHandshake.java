package dev.parley.transport.noise;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.keys.PublicKey;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p Noise secure channel handshake (github.com/libp2p/specs, noise/README.md):
 * Noise_XX_25519_ChaChaPoly_SHA256 with an empty prologue over {@link NoiseFrame}s. Message 1 carries only the
 * initiator's ephemeral key; the responder's signed {@link HandshakePayload} rides in message 2 and the
 * initiator's in message 3, each encrypted. A fresh static X25519 key is drawn per handshake, as the spec
 * allows, so none is ever stored.
 *
 * <p>On failure the raw streams are left open; the caller closes the connection.
 */
public final class NoiseHandshake {
    public static final String PROTOCOL_ID = "/noise";

    private static final Logger log = LoggerFactory.getLogger(NoiseHandshake.class);
    private static final byte[] EMPTY = new byte[0];

    /** Builds the payload a side sends; tests swap in a lying one to play a hostile peer. */
    @FunctionalInterface
    interface PayloadFactory {
        byte[] create(Ed25519PrivateKey identity, byte[] staticPublicKey);
    }

    private NoiseHandshake() {
    }

    /**
     * Runs XX as initiator (the dialler) over a raw connection.
     *
     * @param expectedRemote the peer we meant to reach, or null to accept any peer
     * @throws NoiseHandshakeException if the peer is refused or the handshake breaks off
     */
    public static SecureChannel initiate(InputStream in, OutputStream out, Ed25519PrivateKey identity,
            PeerId expectedRemote) throws IOException {
        return initiate(in, out, identity, expectedRemote, HandshakePayload::create);
    }

    /**
     * Runs XX as responder (the listener) over a raw connection.
     *
     * @throws NoiseHandshakeException if the peer is refused or the handshake breaks off
     */
    public static SecureChannel respond(InputStream in, OutputStream out, Ed25519PrivateKey identity)
            throws IOException {
        return respond(in, out, identity, HandshakePayload::create);
    }

    static SecureChannel initiate(InputStream in, OutputStream out, Ed25519PrivateKey identity,
            PeerId expectedRemote, PayloadFactory payloads) throws IOException {
        FrameReader reader = new FrameReader(in);
        FrameWriter writer = new FrameWriter(out);
        X25519KeyPair staticKey = X25519KeyPair.generate();
        XXHandshakeState state = newState(true, staticKey);

        writer.sendAndFlush(state.writeMessage(EMPTY));
        PublicKey remoteKey = HandshakePayload.verify(readMessage(reader, state, 2), state.remoteStaticKey());
        PeerId remotePeer = PeerId.fromPublicKey(remoteKey);
        if (expectedRemote != null && !expectedRemote.equals(remotePeer)) {
            throw new NoiseHandshakeException("peer id mismatch: dialled " + expectedRemote + " but "
                    + remotePeer + " answered");
        }
        writer.sendAndFlush(state.writeMessage(payloads.create(identity, staticKey.publicKey())));
        return established(reader, writer, state, remoteKey, "initiator");
    }

    static SecureChannel respond(InputStream in, OutputStream out, Ed25519PrivateKey identity,
            PayloadFactory payloads) throws IOException {
        FrameReader reader = new FrameReader(in);
        FrameWriter writer = new FrameWriter(out);
        X25519KeyPair staticKey = X25519KeyPair.generate();
        XXHandshakeState state = newState(false, staticKey);

        // Message 1's payload is in clear and the spec gives it no meaning; it is read and ignored.
        readMessage(reader, state, 1);
        writer.sendAndFlush(state.writeMessage(payloads.create(identity, staticKey.publicKey())));
        PublicKey remoteKey = HandshakePayload.verify(readMessage(reader, state, 3), state.remoteStaticKey());
        return established(reader, writer, state, remoteKey, "responder");
    }

    private static XXHandshakeState newState(boolean initiator, X25519KeyPair staticKey) {
        return new XXHandshakeState(initiator, EMPTY, staticKey, X25519KeyPair.generate());
    }

    private static byte[] readMessage(FrameReader reader, XXHandshakeState state, int number) throws IOException {
        int length = reader.next();
        if (length < 0) {
            throw new NoiseHandshakeException("connection closed before Noise handshake message " + number);
        }
        return state.readMessage(reader.buffer(), reader.offset(), length);
    }

    private static SecureChannel established(FrameReader reader, FrameWriter writer, XXHandshakeState state,
            PublicKey remoteKey, String role) {
        SecureChannel channel = new SecureChannel(reader, writer, state.split(), remoteKey);
        log.debug("Noise handshake as {} with {} complete", role, channel.remotePeer());
        return channel;
    }
}
