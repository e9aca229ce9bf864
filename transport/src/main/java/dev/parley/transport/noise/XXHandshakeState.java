package dev.parley.transport.noise;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;

/**
 * The Noise HandshakeState for one pattern, XX, with 25519, ChaChaPoly and SHA-256 (Noise spec §5.3, §7.5):
 *
 * <pre>
 *   -&gt; e
 *   &lt;- e, ee, s, es
 *   -&gt; s, se
 * </pre>
 *
 * Messages are numbered 1 to 3 as libp2p's spec numbers them. The caller alternates {@link #writeMessage} and
 * {@link #readMessage} in that order and calls {@link #split} after the third.
 */
final class XXHandshakeState {
    static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
    static final int MESSAGE_COUNT = 3;

    private enum Token { E, S, EE, ES, SE }

    private static final List<List<Token>> PATTERN = List.of(
            List.of(Token.E),
            List.of(Token.E, Token.EE, Token.S, Token.ES),
            List.of(Token.S, Token.SE));

    /** The transport keys, oriented for this side. */
    record TransportKeys(CipherState send, CipherState receive) {
    }

    private final boolean initiator;
    private final SymmetricState symmetric = new SymmetricState(PROTOCOL_NAME);
    private final X25519KeyPair localStatic;
    private final X25519KeyPair localEphemeral;
    private byte[] remoteEphemeral;
    private byte[] remoteStatic;
    /** Messages exchanged so far. */
    private int messages;

    /** Keys are passed in, not drawn here, so test vectors can fix them. */
    XXHandshakeState(boolean initiator, byte[] prologue, X25519KeyPair localStatic, X25519KeyPair localEphemeral) {
        this.initiator = initiator;
        this.localStatic = localStatic;
        this.localEphemeral = localEphemeral;
        symmetric.mixHash(prologue);
    }

    /** Builds the next message, ending with {@code payload} (encrypted from message 2 on). */
    byte[] writeMessage(byte[] payload) throws IOException {
        checkTurn(true);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        for (Token token : PATTERN.get(messages)) {
            switch (token) {
                case E -> {
                    byte[] publicKey = localEphemeral.publicKey();
                    symmetric.mixHash(publicKey);
                    message.writeBytes(publicKey);
                }
                case S -> message.writeBytes(symmetric.encryptAndHash(localStatic.publicKey()));
                default -> mixDh(token);
            }
        }
        message.writeBytes(symmetric.encryptAndHash(payload));
        messages++;
        return message.toByteArray();
    }

    /** Processes the peer's next message of {@code len} bytes at {@code off}; returns its decrypted payload. */
    byte[] readMessage(byte[] buffer, int off, int len) throws IOException {
        checkTurn(false);
        int number = messages + 1;
        int end = off + len;
        try {
            for (Token token : PATTERN.get(messages)) {
                switch (token) {
                    case E -> {
                        requireBytes(number, len, end - off, X25519KeyPair.KEY_SIZE, "ephemeral key");
                        remoteEphemeral = Arrays.copyOfRange(buffer, off, off + X25519KeyPair.KEY_SIZE);
                        symmetric.mixHash(remoteEphemeral);
                        off += X25519KeyPair.KEY_SIZE;
                    }
                    case S -> {
                        int size = X25519KeyPair.KEY_SIZE + (symmetric.hasKey() ? NoiseFrame.TAG_SIZE : 0);
                        requireBytes(number, len, end - off, size, "static key");
                        remoteStatic = symmetric.decryptAndHash(buffer, off, size);
                        off += size;
                    }
                    default -> mixDh(token);
                }
            }
            if (symmetric.hasKey()) {
                requireBytes(number, len, end - off, NoiseFrame.TAG_SIZE, "payload tag");
            }
            byte[] payload = symmetric.decryptAndHash(buffer, off, end - off);
            messages++;
            return payload;
        } catch (AEADBadTagException e) {
            throw new NoiseHandshakeException("handshake message " + number
                    + " failed to decrypt: the peer does not share our keys or the message was altered", e);
        }
    }

    /** The peer's static X25519 key, known once its message carrying {@code s} was read. */
    byte[] remoteStaticKey() {
        if (remoteStatic == null) {
            throw new IllegalStateException("the peer's static key arrives in handshake message "
                    + (initiator ? 2 : 3));
        }
        return remoteStatic.clone();
    }

    /** The handshake hash h, which both sides share once the handshake is done. */
    byte[] handshakeHash() {
        return symmetric.handshakeHash();
    }

    TransportKeys split() {
        if (messages != MESSAGE_COUNT) {
            throw new IllegalStateException("the handshake is not finished: " + messages + " of "
                    + MESSAGE_COUNT + " messages exchanged");
        }
        CipherState[] pair = symmetric.split();
        return initiator ? new TransportKeys(pair[0], pair[1]) : new TransportKeys(pair[1], pair[0]);
    }

    private void mixDh(Token token) throws NoiseHandshakeException {
        // es is DH(initiator's e, responder's s); se is DH(initiator's s, responder's e).
        byte[] secret = switch (token) {
            case EE -> localEphemeral.agree(remoteEphemeral);
            case ES -> initiator ? localEphemeral.agree(remoteStatic) : localStatic.agree(remoteEphemeral);
            case SE -> initiator ? localStatic.agree(remoteEphemeral) : localEphemeral.agree(remoteStatic);
            default -> throw new IllegalArgumentException(token + " is no DH token");
        };
        symmetric.mixKey(secret);
    }

    private void checkTurn(boolean writing) {
        if (messages >= MESSAGE_COUNT) {
            throw new IllegalStateException("the handshake is already finished");
        }
        boolean initiatorsTurn = messages % 2 == 0;
        if (writing != (initiatorsTurn == initiator)) {
            throw new IllegalStateException("handshake message " + (messages + 1) + " is the "
                    + (initiatorsTurn ? "initiator's" : "responder's") + " to write");
        }
    }

    private static void requireBytes(int number, int length, int left, int needed, String what)
            throws NoiseHandshakeException {
        if (left < needed) {
            throw new NoiseHandshakeException("handshake message " + number + " of " + length
                    + " bytes is too short for its " + what);
        }
    }
}
