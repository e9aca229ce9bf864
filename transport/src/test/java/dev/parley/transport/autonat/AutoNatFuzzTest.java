package dev.parley.transport.autonat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.parley.transport.autonat.pb.AutoNatProtos.Message;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.testing.FuzzSeeds;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz target for an AutoNAT message: it reads or is an {@link IOException} ({@link AutoNatProtocolException}
 * when malformed or oversize). Corpus in {@code AutoNatFuzzTestInputs/<method>/}; transport/README.md, Fuzzing.
 */
class AutoNatFuzzTest {

    @FuzzTest
    void message(byte[] data) {
        try {
            AutoNatCodec.read(new ByteArrayInputStream(data));
        } catch (IOException refused) {
            // the documented refusal
        }
    }

    /** Writes the seeds from the production encoders; run from transport/ (README, Fuzzing). */
    public static void main(String[] args) throws Exception {
        Message dial = Message.newBuilder().setType(Message.MessageType.DIAL).setDial(Message.Dial.newBuilder()
                .setPeer(Message.PeerInfo.newBuilder().setId(ByteString.copyFrom(new byte[] {0, 4, 1, 2, 3, 4}))
                        .addAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/192.0.2.42/tcp/4001").bytes())).addAddrs(ByteString.copyFrom(Multiaddr.parse("/ip6/2001:db8::1/tcp/4001/ws").bytes())))).build();
        Message ok = Message.newBuilder().setType(Message.MessageType.DIAL_RESPONSE).setDialResponse(
                Message.DialResponse.newBuilder().setStatus(Message.ResponseStatus.OK).setAddr(ByteString.copyFrom(Multiaddr.parse("/ip4/192.0.2.42/tcp/4001").bytes()))).build();
        Message refused = Message.newBuilder().setType(Message.MessageType.DIAL_RESPONSE).setDialResponse(
                Message.DialResponse.newBuilder().setStatus(Message.ResponseStatus.E_DIAL_REFUSED)
                        .setStatusText("too many dials")).build();
        FuzzSeeds.of(AutoNatFuzzTest.class, "message").addLengthPrefixed(dial.toByteArray())
                .addLengthPrefixed(ok.toByteArray()).addLengthPrefixed(refused.toByteArray());
    }
}
