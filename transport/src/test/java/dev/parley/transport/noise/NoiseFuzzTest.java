package dev.parley.transport.noise;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.keys.pb.KeyProtos;
import dev.parley.transport.noise.pb.NoiseProtos.NoiseHandshakePayload;
import dev.parley.transport.testing.FuzzSeeds;
import java.util.Arrays;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

/**
 * Fuzz target for the Noise handshake payload a peer sends in messages 2 and 3 (its identity key and signature
 * over its static key): it verifies or is a {@link NoiseHandshakeException}, never anything else. Corpus in
 * {@code NoiseFuzzTestInputs/<method>/}; transport/README.md, Fuzzing.
 */
class NoiseFuzzTest {
    /** The static key the corpus's valid payloads sign, so the fuzzer starts from payloads that verify. */
    private static final byte[] STATIC_KEY = new byte[32];

    static {
        Arrays.fill(STATIC_KEY, (byte) 7);
    }

    @FuzzTest
    void handshakePayload(byte[] data) {
        try {
            HandshakePayload.verify(data, STATIC_KEY);
        } catch (NoiseHandshakeException refused) {
            // the documented refusal
        }
    }

    /** Writes the seeds from the production encoders; run from transport/ (README, Fuzzing). */
    public static void main(String[] args) {
        FuzzSeeds.of(NoiseFuzzTest.class, "handshakePayload")
                .add(HandshakePayload.create(Ed25519PrivateKey.fromSeed(new byte[32]), STATIC_KEY))
                .add(HandshakePayload.create(Ed25519PrivateKey.fromSeed(STATIC_KEY), new byte[32]))
                .add(secp256k1WithEmptySignature());
    }

    /**
     * Regression input: a secp256k1 identity key with an empty signature, on which
     * {@code Secp256k1PublicKey.verify} threw a NullPointerException instead of answering false.
     */
    private static byte[] secp256k1WithEmptySignature() {
        byte[] point = CustomNamedCurves.getByName("secp256k1").getG().getEncoded(true);
        return NoiseHandshakePayload.newBuilder()
                .setIdentityKey(KeyProtos.PublicKey.newBuilder().setType(KeyProtos.KeyType.Secp256k1)
                        .setData(ByteString.copyFrom(point)).build().toByteString())
                .setIdentitySig(ByteString.EMPTY)
                .build().toByteArray();
    }
}
