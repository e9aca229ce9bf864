package dev.parley.transport.noise;

import dev.parley.transport.keys.PublicKey;
import dev.parley.transport.multiformats.PeerId;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection after a successful Noise handshake: an authenticated peer and a pair of encrypted streams.
 * {@link #in()} and {@link #out()} may be used from two threads at once (one reader, one writer); each on its
 * own is not thread-safe.
 */
public final class SecureChannel implements Closeable {
    private final PublicKey remotePublicKey;
    private final PeerId remotePeer;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final DecryptingInputStream in;
    private final EncryptingOutputStream out;

    SecureChannel(FrameReader reader, FrameWriter writer, XXHandshakeState.TransportKeys keys,
            PublicKey remotePublicKey) {
        this.remotePublicKey = remotePublicKey;
        this.remotePeer = PeerId.fromPublicKey(remotePublicKey);
        this.reader = reader;
        this.writer = writer;
        this.in = new DecryptingInputStream(reader, keys.receive());
        this.out = new EncryptingOutputStream(writer, keys.send());
    }

    public PeerId remotePeer() {
        return remotePeer;
    }

    public PublicKey remotePublicKey() {
        return remotePublicKey;
    }

    /**
     * Decrypted data from the peer. {@code read} returns -1 when the raw stream ends between two frames; it
     * throws if the stream ends inside a frame or a frame fails authentication, and the latter ends the channel.
     */
    public InputStream in() {
        return in;
    }

    /**
     * Data to encrypt for the peer. Plaintext is buffered and sent as one frame when 65519 bytes are buffered
     * or on {@code flush()}. Not thread-safe: the caller serialises writes.
     */
    public OutputStream out() {
        return out;
    }

    /** Closes both raw streams. Plaintext written but not flushed is discarded. */
    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            writer.close();
        }
    }

    @Override
    public String toString() {
        return "SecureChannel[" + remotePeer + "]";
    }
}
