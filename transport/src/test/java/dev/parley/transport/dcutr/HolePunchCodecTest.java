package dev.parley.transport.dcutr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.dcutr.pb.DcutrProtos.HolePunch;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Varint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class HolePunchCodecTest {
    private static final List<Multiaddr> ADDRESSES = List.of(Multiaddr.parse("/ip4/203.0.113.7/tcp/4001"),
            Multiaddr.parse("/ip4/198.51.100.9/tcp/4002"));

    @Test
    void connectAndSyncRoundTripWithTheirAddressesAndLeaveWhatFollowsUnread() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HolePunchCodec.write(HolePunch.Type.CONNECT, ADDRESSES, out);
        HolePunchCodec.write(HolePunch.Type.SYNC, List.of(), out);
        out.write(42);
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());

        HolePunch connect = HolePunchCodec.read(in, HolePunch.Type.CONNECT);
        assertThat(connect.getObsAddrsList()).map(bytes -> Multiaddr.fromBytes(bytes.toByteArray()))
                .containsExactlyElementsOf(ADDRESSES);
        assertThat(HolePunchCodec.read(in, HolePunch.Type.SYNC).getObsAddrsCount()).isZero();
        assertThat(in.read()).isEqualTo(42);
    }

    @Test
    void theWireBytesAreTheSpecsProtobuf() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HolePunchCodec.write(HolePunch.Type.SYNC, List.of(), out);

        // length 3; field 1 varint (0x08) = 300 (0xac 0x02)
        assertThat(out.toByteArray()).containsExactly(3, 0x08, 0xac, 0x02);
    }

    @Test
    void aLengthOverTheLimitIsRefusedWithTheNumbers() {
        byte[] prefix = Varint.encode(HolePunchCodec.MAX_MESSAGE + 1);

        assertThatThrownBy(() -> HolePunchCodec.read(new ByteArrayInputStream(prefix), HolePunch.Type.CONNECT))
                .isInstanceOf(DcutrProtocolException.class)
                .hasMessageContaining(String.valueOf(HolePunchCodec.MAX_MESSAGE + 1))
                .hasMessageContaining(String.valueOf(HolePunchCodec.MAX_MESSAGE));
    }

    @Test
    void anOversizeMessageIsNotSent() {
        List<Multiaddr> many = Collections.nCopies(500, ADDRESSES.getFirst());

        assertThatThrownBy(() -> HolePunchCodec.write(HolePunch.Type.CONNECT, many, new ByteArrayOutputStream()))
                .isInstanceOf(DcutrProtocolException.class)
                .hasMessageContaining("exceeds the limit of " + HolePunchCodec.MAX_MESSAGE);
    }

    @Test
    void theWrongTypeAMissingTypeGarbageAndACutMessageAreRefused() throws IOException {
        ByteArrayOutputStream sync = new ByteArrayOutputStream();
        HolePunchCodec.write(HolePunch.Type.SYNC, List.of(), sync);
        assertThatThrownBy(() -> HolePunchCodec.read(new ByteArrayInputStream(sync.toByteArray()),
                HolePunch.Type.CONNECT))
                .isInstanceOf(DcutrProtocolException.class).hasMessageContaining("expected a DCUtR CONNECT, got SYNC");

        byte[] untyped = {2, 0x12, 0};
        assertThatThrownBy(() -> HolePunchCodec.read(new ByteArrayInputStream(untyped), HolePunch.Type.CONNECT))
                .isInstanceOf(DcutrProtocolException.class).hasMessageContaining("2 bytes without a known type");

        byte[] unknownType = {2, 0x08, 7};
        assertThatThrownBy(() -> HolePunchCodec.read(new ByteArrayInputStream(unknownType), HolePunch.Type.CONNECT))
                .isInstanceOf(DcutrProtocolException.class).hasMessageContaining("without a known type");

        byte[] garbage = {3, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThatThrownBy(() -> HolePunchCodec.read(new ByteArrayInputStream(garbage), HolePunch.Type.CONNECT))
                .isInstanceOf(DcutrProtocolException.class).hasMessageContaining("malformed DCUtR message of 3 bytes");

        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        HolePunchCodec.write(HolePunch.Type.CONNECT, ADDRESSES, whole);
        byte[] cut = Arrays.copyOf(whole.toByteArray(), whole.size() - 3);
        assertThatThrownBy(() -> HolePunchCodec.read(new ByteArrayInputStream(cut), HolePunch.Type.CONNECT))
                .isInstanceOf(EOFException.class).hasMessageContaining("cut off");
        assertThatThrownBy(() -> HolePunchCodec.read(new ByteArrayInputStream(new byte[0]), HolePunch.Type.CONNECT))
                .isInstanceOf(EOFException.class);
    }
}
