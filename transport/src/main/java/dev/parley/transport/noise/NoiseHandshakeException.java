package dev.parley.transport.noise;

import java.io.IOException;

/**
 * A Noise handshake that was refused: the remote peer's payload carried a bad signature, named a different
 * peer than the one dialled, could not be decrypted, or the connection ended before the handshake did. The
 * message names the reason; the caller should close the connection.
 */
public class NoiseHandshakeException extends IOException {
    public NoiseHandshakeException(String message) {
        super(message);
    }

    public NoiseHandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
