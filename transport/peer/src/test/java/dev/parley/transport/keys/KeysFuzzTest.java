package dev.parley.transport.keys;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.parley.transport.keys.pb.KeyProtos;
import dev.parley.transport.testing.FuzzSeeds;
import java.security.KeyPairGenerator;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

/**
 * Fuzz targets for the key decoders: a peer's protobuf public key (from identify, Noise and signed envelopes)
 * and our own private key file. Each decodes or throws {@link InvalidKeyException}; a key that decodes must
 * answer {@code verify} with a boolean for any signature, never an exception. Corpus in
 * {@code KeysFuzzTestInputs/<method>/}; transport/peer/README.md, Fuzzing.
 */
class KeysFuzzTest {

    @FuzzTest
    void publicKey(byte[] data) {
        PublicKey key;
        try {
            key = PublicKey.unmarshal(data);
        } catch (InvalidKeyException refused) {
            return;
        }
        PublicKey again;
        try {
            again = PublicKey.unmarshal(key.marshal());
        } catch (InvalidKeyException e) {
            throw new AssertionError("a decoded key's own encoding is refused: " + e.getMessage(), e);
        }
        if (!java.util.Arrays.equals(again.marshal(), key.marshal())) {
            throw new AssertionError("decode→encode→decode changed the key");
        }
        key.verify(data, data);
        key.verify(new byte[0], new byte[0]);
    }

    @FuzzTest
    void privateKey(byte[] data) {
        try {
            Ed25519PrivateKey key = Ed25519PrivateKey.unmarshal(data);
            key.publicKey().verify(data, key.sign(data));
        } catch (InvalidKeyException refused) {
            // the documented refusal
        }
    }

    /** Writes the seeds from the production encoders; run from transport/peer/ (README, Fuzzing). */
    public static void main(String[] args) throws Exception {
        Ed25519PrivateKey ed25519 = Ed25519PrivateKey.fromSeed(new byte[32]);
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        byte[] secp256k1 = CustomNamedCurves.getByName("secp256k1").getG().getEncoded(true);
        FuzzSeeds.of(KeysFuzzTest.class, "publicKey").add(ed25519.publicKey().marshal())
                .add(marshal(KeyProtos.KeyType.RSA, rsa.generateKeyPair().getPublic().getEncoded()))
                .add(marshal(KeyProtos.KeyType.Secp256k1, secp256k1))
                .add(marshal(KeyProtos.KeyType.ECDSA, secp256k1));
        FuzzSeeds.of(KeysFuzzTest.class, "privateKey").add(ed25519.marshal());
    }

    private static byte[] marshal(KeyProtos.KeyType type, byte[] data) {
        return KeyProtos.PublicKey.newBuilder().setType(type).setData(ByteString.copyFrom(data)).build().toByteArray();
    }
}
