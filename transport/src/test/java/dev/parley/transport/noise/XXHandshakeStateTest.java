package dev.parley.transport.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Checks the Noise core against the Noise_XX_25519_ChaChaPoly_SHA256 test vector of the cacophony suite
 * (haskell-cryptography/cacophony, vectors/cacophony.txt): with the vector's fixed keys and prologue, both
 * sides must produce its messages byte for byte and agree on its handshake hash. Messages alternate between
 * initiator and responder, the handshake's three and the transport messages after it.
 */
class XXHandshakeStateTest {
    private static final HexFormat HEX = HexFormat.of();

    private static final String PROLOGUE = "4a6f686e2047616c74";
    private static final String INIT_STATIC = "e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1";
    private static final String INIT_EPHEMERAL = "893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a";
    private static final String RESP_STATIC = "4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893";
    private static final String RESP_EPHEMERAL = "bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b";
    private static final String HANDSHAKE_HASH = "c8e5f64e846193be2a834104c2a009868d6c9f3bd3c186299888b488b2f1f58e";
    private static final String[][] MESSAGES = {
        {"4c756477696720766f6e204d69736573",
            "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573"},
        {"4d757272617920526f746862617264",
            "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884381cbad1f276e038c48378ffce2b6528"
                    + "5e08d6b68aaa3629a5a8639392490e5b9bd5269c2f1e4f488ed8831161f19b7815528f8982ffe09be9b5c412f8a0"
                    + "db50f8814c7194e83f23dbd8d162c9326ad"},
        {"462e20412e20486179656b",
            "c7195ffacac1307ff99046f219750fc47693e23c3cb08b89c2af808b444850a80ae475b9df0f169ae80a89be0865b57f"
                    + "58c9fea0d4ec82a286427402f113e4b6ae769a1d95941d49b25030"},
        {"4361726c204d656e676572", "96763ed773f8e47bb3712f0e29b3060ffc956ffc146cee53d5e1df"},
        {"4a65616e2d426170746973746520536179", "3e40f15f6f3a46ae446b253bf8b1d9ffb6ed9b174d272328ff91a7e2e5c79c07f5"},
        {"457567656e2042f6686d20766f6e2042617765726b",
            "eb3f3515110702e047a6c9da4478b6ead94873c11c0f2d710ddb3f09fce024b3a58502ae3f"},
    };

    @Test
    void reproducesTheCacophonyVector() throws Exception {
        XXHandshakeState initiator = new XXHandshakeState(true, HEX.parseHex(PROLOGUE),
                X25519KeyPair.fromPrivateKey(HEX.parseHex(INIT_STATIC)),
                X25519KeyPair.fromPrivateKey(HEX.parseHex(INIT_EPHEMERAL)));
        XXHandshakeState responder = new XXHandshakeState(false, HEX.parseHex(PROLOGUE),
                X25519KeyPair.fromPrivateKey(HEX.parseHex(RESP_STATIC)),
                X25519KeyPair.fromPrivateKey(HEX.parseHex(RESP_EPHEMERAL)));

        for (int i = 0; i < XXHandshakeState.MESSAGE_COUNT; i++) {
            XXHandshakeState sender = i % 2 == 0 ? initiator : responder;
            XXHandshakeState receiver = i % 2 == 0 ? responder : initiator;
            byte[] payload = HEX.parseHex(MESSAGES[i][0]);

            byte[] message = sender.writeMessage(payload);

            assertThat(HEX.formatHex(message)).as("handshake message %d", i + 1).isEqualTo(MESSAGES[i][1]);
            assertThat(receiver.readMessage(message, 0, message.length)).isEqualTo(payload);
        }
        assertThat(HEX.formatHex(initiator.handshakeHash())).isEqualTo(HANDSHAKE_HASH);
        assertThat(responder.handshakeHash()).isEqualTo(initiator.handshakeHash());
        assertThat(initiator.remoteStaticKey())
                .isEqualTo(X25519KeyPair.fromPrivateKey(HEX.parseHex(RESP_STATIC)).publicKey());
        assertThat(responder.remoteStaticKey())
                .isEqualTo(X25519KeyPair.fromPrivateKey(HEX.parseHex(INIT_STATIC)).publicKey());

        XXHandshakeState.TransportKeys initiatorKeys = initiator.split();
        XXHandshakeState.TransportKeys responderKeys = responder.split();
        for (int i = XXHandshakeState.MESSAGE_COUNT; i < MESSAGES.length; i++) {
            boolean fromInitiator = i % 2 == 0;
            CipherState send = fromInitiator ? initiatorKeys.send() : responderKeys.send();
            CipherState receive = fromInitiator ? responderKeys.receive() : initiatorKeys.receive();
            byte[] payload = HEX.parseHex(MESSAGES[i][0]);
            byte[] message = new byte[payload.length + NoiseFrame.TAG_SIZE];

            send.encrypt(null, payload, 0, payload.length, message, 0);

            assertThat(HEX.formatHex(message)).as("transport message %d", i + 1).isEqualTo(MESSAGES[i][1]);
            byte[] decrypted = new byte[payload.length];
            receive.decrypt(null, message, 0, message.length, decrypted, 0);
            assertThat(decrypted).isEqualTo(payload);
        }
    }
}
