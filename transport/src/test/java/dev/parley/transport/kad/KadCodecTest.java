package dev.parley.transport.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.transport.kad.pb.KadProtos.Message;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class KadCodecTest {
    private static final PeerId PEER = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    private static final Multiaddr ADDRESS = Multiaddr.parse("/ip4/192.0.2.7/tcp/4001");

    @Test
    void messagesRoundTripOneAfterAnotherOnAStream() throws IOException {
        Message findNode = Message.newBuilder().setType(Message.MessageType.FIND_NODE)
                .setKey(ByteString.copyFrom(PEER.bytes())).build();
        Message answer = Message.newBuilder().setType(Message.MessageType.FIND_NODE)
                .addCloserPeers(KadCodec.encodePeer(PEER, List.of(ADDRESS))).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KadCodec.write(findNode, out);
        KadCodec.write(answer, out);

        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertThat(KadCodec.read(in)).isEqualTo(findNode);
        Message read = KadCodec.read(in);
        assertThat(read).isEqualTo(answer);
        assertThat(KadCodec.decodePeer(read.getCloserPeers(0), 32)).isEqualTo(new KadPeer(PEER, List.of(ADDRESS)));
        assertThat(KadCodec.readOrEnd(in)).isEmpty();
    }

    @Test
    void oversizeLengthIsRefusedWithTheSizeBeforeReadingTheBody() {
        byte[] prefix = Varint.encode(KadCodec.MAX_MESSAGE + 1);
        assertThatThrownBy(() -> KadCodec.read(new ByteArrayInputStream(prefix)))
                .isInstanceOf(KadProtocolException.class)
                .hasMessageContaining(String.valueOf(KadCodec.MAX_MESSAGE + 1))
                .hasMessageContaining("limit of " + KadCodec.MAX_MESSAGE);
    }

    @Test
    void oversizeMessageIsNotWritten() {
        Message huge = Message.newBuilder().setType(Message.MessageType.PING)
                .setKey(ByteString.copyFrom(new byte[KadCodec.MAX_MESSAGE])).build();
        assertThatThrownBy(() -> KadCodec.write(huge, new ByteArrayOutputStream()))
                .isInstanceOf(KadProtocolException.class).hasMessageContaining("exceeds the limit of");
    }

    @Test
    void garbageProtobufIsATypedErrorNamingItsSize() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Varint.encode(5));
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        assertThatThrownBy(() -> KadCodec.read(new ByteArrayInputStream(out.toByteArray())))
                .isInstanceOf(KadProtocolException.class).hasMessageContaining("malformed DHT message of 5 bytes");
    }

    @Test
    void messageWithoutATypeIsRefused() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] body = Message.newBuilder().setKey(ByteString.copyFromUtf8("k")).build().toByteArray();
        out.writeBytes(Varint.encode(body.length));
        out.writeBytes(body);
        assertThatThrownBy(() -> KadCodec.read(new ByteArrayInputStream(out.toByteArray())))
                .isInstanceOf(KadProtocolException.class).hasMessageContaining("without a known type");
    }

    @Test
    void truncatedMessageIsAnEndOfStreamError() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Varint.encode(10));
        out.writeBytes(new byte[3]);
        assertThatThrownBy(() -> KadCodec.read(new ByteArrayInputStream(out.toByteArray())))
                .isInstanceOf(EOFException.class).hasMessageContaining("after 3 of 10 bytes");
    }

    @Test
    void peerAddressesAreCappedAndUnparseableOnesSkipped() throws KadProtocolException {
        Message.Peer peer = KadCodec.encodePeer(PEER, Collections.nCopies(5, ADDRESS)).toBuilder()
                .setAddrs(1, ByteString.copyFrom(new byte[] {(byte) 0x7F, 1, 2})).build();
        KadPeer decoded = KadCodec.decodePeer(peer, 3);
        assertThat(decoded.addresses()).containsExactly(ADDRESS, ADDRESS, ADDRESS);
    }

    @Test
    void peerWithABadIdIsRefused() {
        Message.Peer peer = Message.Peer.newBuilder().setId(ByteString.copyFrom(new byte[] {1, 2, 3})).build();
        assertThatThrownBy(() -> KadCodec.decodePeer(peer, 3))
                .isInstanceOf(KadProtocolException.class).hasMessageContaining("DHT peer id of 3 bytes");
    }
}
