package dev.parley.transport.dcutr;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.transport.dcutr.pb.DcutrProtos.HolePunch;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.testing.FuzzSeeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Fuzz target for DCUtR's CONNECT and SYNC messages: each reads or is an {@link IOException}
 * ({@link DcutrProtocolException} when malformed, oversize or out of turn). Corpus in
 * {@code DcutrFuzzTestInputs/<method>/}; transport/README.md, Fuzzing.
 */
class DcutrFuzzTest {

    @FuzzTest
    void holePunch(byte[] data) {
        for (HolePunch.Type expected : HolePunch.Type.values()) {
            try {
                HolePunchCodec.read(new ByteArrayInputStream(data), expected);
            } catch (IOException refused) {
                // the documented refusal
            }
        }
    }

    /** Writes the seeds from the production encoders; run from transport/ (README, Fuzzing). */
    public static void main(String[] args) throws Exception {
        ByteArrayOutputStream connect = new ByteArrayOutputStream();
        HolePunchCodec.write(HolePunch.Type.CONNECT, List.of(Multiaddr.parse("/ip4/192.0.2.42/tcp/4001"),
                Multiaddr.parse("/ip6/2001:db8::1/tcp/4001")), connect);
        ByteArrayOutputStream sync = new ByteArrayOutputStream();
        HolePunchCodec.write(HolePunch.Type.SYNC, List.of(), sync);
        FuzzSeeds.of(DcutrFuzzTest.class, "holePunch").add(connect.toByteArray()).add(sync.toByteArray());
    }
}
