package dev.parley.transport.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.transport.autonat.pb.AutoNatProtos.Message;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Varint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AutoNatCodecTest {
    private static final Message DIAL = Message.newBuilder().setType(Message.MessageType.DIAL)
            .setDial(Message.Dial.newBuilder().setPeer(Message.PeerInfo.newBuilder()
                    .addAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/203.0.113.7/tcp/4001").bytes()))))
            .build();

    @Test
    void aMessageRoundTripsAndLeavesWhatFollowsUnread() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AutoNatCodec.write(DIAL, out);
        out.write(42);
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());

        assertThat(AutoNatCodec.read(in)).isEqualTo(DIAL);
        assertThat(in.read()).isEqualTo(42);
    }

    @Test
    void aLengthOverTheLimitIsRefusedWithTheNumbers() {
        byte[] prefix = Varint.encode(AutoNatCodec.MAX_MESSAGE + 1);

        assertThatThrownBy(() -> AutoNatCodec.read(new ByteArrayInputStream(prefix)))
                .isInstanceOf(AutoNatProtocolException.class)
                .hasMessageContaining(String.valueOf(AutoNatCodec.MAX_MESSAGE + 1))
                .hasMessageContaining(String.valueOf(AutoNatCodec.MAX_MESSAGE));
    }

    @Test
    void garbageAMissingTypeAndACutMessageAreRefused() throws IOException {
        byte[] garbage = {3, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThatThrownBy(() -> AutoNatCodec.read(new ByteArrayInputStream(garbage)))
                .isInstanceOf(AutoNatProtocolException.class).hasMessageContaining("malformed");

        ByteArrayOutputStream untyped = new ByteArrayOutputStream();
        AutoNatCodec.write(DIAL.toBuilder().clearType().build(), untyped);
        assertThatThrownBy(() -> AutoNatCodec.read(new ByteArrayInputStream(untyped.toByteArray())))
                .isInstanceOf(AutoNatProtocolException.class).hasMessageContaining("without a known type");

        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        AutoNatCodec.write(DIAL, whole);
        byte[] cut = Arrays.copyOf(whole.toByteArray(), whole.size() - 3);
        assertThatThrownBy(() -> AutoNatCodec.read(new ByteArrayInputStream(cut)))
                .isInstanceOf(EOFException.class).hasMessageContaining("cut off");
        assertThatThrownBy(() -> AutoNatCodec.read(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(EOFException.class);
    }
}
