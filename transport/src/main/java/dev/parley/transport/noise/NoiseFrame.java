package dev.parley.transport.noise;

/**
 * The libp2p-noise wire framing, used for handshake and transport messages alike.
 *
 * <pre>
 * +--------------------+------------------------------------------+
 * | length (2 bytes)   | noise message (length bytes, 0..65535)   |
 * | unsigned, big end. |                                          |
 * +--------------------+------------------------------------------+
 *
 * transport message:  [ ChaCha20 ciphertext (length - 16) ][ Poly1305 tag (16) ]
 * </pre>
 *
 * The 16-bit length caps a message at 65535 bytes, so one transport frame carries at most 65519 bytes of
 * plaintext. {@link FrameReader} decodes frames, {@link FrameWriter} encodes them.
 */
final class NoiseFrame {
    static final int HEADER_SIZE = 2;
    static final int MAX_MESSAGE_SIZE = 0xFFFF;
    static final int MAX_FRAME_SIZE = HEADER_SIZE + MAX_MESSAGE_SIZE;
    static final int TAG_SIZE = 16;
    static final int MAX_PLAINTEXT_SIZE = MAX_MESSAGE_SIZE - TAG_SIZE;

    private NoiseFrame() {
    }
}
