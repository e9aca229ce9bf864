package dev.parley.transport.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import dev.parley.transport.relay.pb.CircuitProtos.HopMessage;
import dev.parley.transport.relay.pb.CircuitProtos.Limit;
import dev.parley.transport.relay.pb.CircuitProtos.Status;
import dev.parley.transport.relay.pb.CircuitProtos.StopMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RelayCodecTest {
    private static final PeerId PEER = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());

    @Test
    void messagesRoundTripAndLeaveTheBytesAfterThemUnread() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HopMessage connect = HopMessage.newBuilder().setType(HopMessage.Type.CONNECT)
                .setPeer(RelayCodec.peer(PEER)).build();
        StopMessage status = StopMessage.newBuilder().setType(StopMessage.Type.STATUS).setStatus(Status.OK)
                .setLimit(Limit.newBuilder().setDuration(120).setData(1 << 17)).build();
        RelayCodec.write(connect, out);
        RelayCodec.write(status, out);
        out.write("relayed bytes".getBytes());

        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        HopMessage readConnect = RelayCodec.readHop(in);
        assertThat(readConnect).isEqualTo(connect);
        assertThat(RelayCodec.peerId(readConnect.getPeer())).isEqualTo(PEER);
        assertThat(RelayCodec.readStop(in)).isEqualTo(status);
        assertThat(new String(in.readAllBytes())).isEqualTo("relayed bytes");
    }

    @Test
    void oversizeLengthIsRefusedWithTheSizeBeforeReadingTheBody() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Varint.encode(RelayCodec.MAX_MESSAGE + 1));
        assertThatThrownBy(() -> RelayCodec.readHop(new ByteArrayInputStream(out.toByteArray())))
                .isInstanceOf(RelayProtocolException.class)
                .hasMessageContaining(String.valueOf(RelayCodec.MAX_MESSAGE + 1))
                .hasMessageContaining(String.valueOf(RelayCodec.MAX_MESSAGE));
    }

    @Test
    void oversizeMessageIsNotWritten() {
        HopMessage huge = HopMessage.newBuilder().setType(HopMessage.Type.CONNECT)
                .setPeer(RelayCodec.peer(PEER).toBuilder().addAddrs(ByteString.copyFrom(new byte[5000]))).build();
        assertThatThrownBy(() -> RelayCodec.write(huge, new ByteArrayOutputStream()))
                .isInstanceOf(RelayProtocolException.class).hasMessageContaining("exceeds the limit of 4096");
    }

    @Test
    void garbageMissingTypeAndTruncationAreTypedErrors() {
        byte[] garbage = {3, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertThatThrownBy(() -> RelayCodec.readStop(new ByteArrayInputStream(garbage)))
                .isInstanceOf(RelayProtocolException.class).hasMessageContaining("malformed stop message of 3 bytes");
        byte[] untyped = {0};
        assertThatThrownBy(() -> RelayCodec.readHop(new ByteArrayInputStream(untyped)))
                .isInstanceOf(RelayProtocolException.class).hasMessageContaining("without a known type");
        byte[] cut = {10, 8, 1};
        assertThatThrownBy(() -> RelayCodec.readHop(new ByteArrayInputStream(cut)))
                .isInstanceOf(EOFException.class).hasMessageContaining("after 2 of 10 bytes");
        assertThatThrownBy(() -> RelayCodec.readHop(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void badPeerIdIsATypedError() {
        HopMessage message = HopMessage.newBuilder().setType(HopMessage.Type.CONNECT)
                .setPeer(RelayCodec.peer(PEER).toBuilder().setId(ByteString.copyFrom(new byte[] {1, 2, 3}))).build();
        assertThatThrownBy(() -> RelayCodec.peerId(message.getPeer()))
                .isInstanceOf(RelayProtocolException.class).hasMessageContaining("3 bytes");
    }

    @Test
    void voucherSealsAndOpensAndRejectsTamperingAndForeignSigners() throws IOException {
        Ed25519PrivateKey relayKey = Ed25519PrivateKey.generate();
        PeerId relay = PeerId.fromPublicKey(relayKey.publicKey());
        Voucher voucher = new Voucher(relay, PEER, Instant.ofEpochSecond(1_800_000_000L));
        byte[] sealed = voucher.seal(relayKey);
        assertThat(Voucher.open(sealed)).isEqualTo(voucher);

        byte[] tampered = sealed.clone();
        tampered[tampered.length - 70] ^= 1;
        assertThatThrownBy(() -> Voucher.open(tampered)).isInstanceOf(RelayProtocolException.class);

        byte[] foreign = voucher.seal(Ed25519PrivateKey.generate());
        assertThatThrownBy(() -> Voucher.open(foreign))
                .isInstanceOf(RelayProtocolException.class).hasMessageContaining("is signed by");

        byte[] otherDomain = SignedEnvelope.seal(relayKey, "libp2p-peer-record", Voucher.PAYLOAD_TYPE, new byte[] {8, 1});
        assertThatThrownBy(() -> Voucher.open(otherDomain))
                .isInstanceOf(RelayProtocolException.class).hasMessageContaining("does not verify");
    }
}
