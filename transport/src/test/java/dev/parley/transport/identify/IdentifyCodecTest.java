package dev.parley.transport.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.transport.identify.pb.IdentifyProtos.Identify;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class IdentifyCodecTest {
    private final Ed25519PrivateKey key = Ed25519PrivateKey.generate();
    private final PeerId peer = PeerId.fromPublicKey(key.publicKey());

    private Identify.Builder message() {
        return Identify.newBuilder()
                .setPublicKey(ByteString.copyFrom(key.publicKey().marshal()))
                .setAgentVersion("test/1")
                .setProtocolVersion("ipfs/0.1.0")
                .addProtocols("/ipfs/ping/1.0.0")
                .addListenAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001").bytes()));
    }

    private static ByteArrayInputStream wire(Identify... messages) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Identify message : messages) {
            IdentifyCodec.write(message, out);
        }
        return new ByteArrayInputStream(out.toByteArray());
    }

    @Test
    void roundTripsAndChecksTheKeyAgainstTheAuthenticatedPeer() throws IOException {
        IdentifyInfo info = IdentifyCodec.decode(IdentifyCodec.read(wire(message().build())), peer);

        assertThat(info.peer()).isEqualTo(peer);
        assertThat(info.publicKey()).isEqualTo(key.publicKey());
        assertThat(info.agentVersion()).isEqualTo("test/1");
        assertThat(info.protocols()).containsExactly("/ipfs/ping/1.0.0");
        assertThat(info.listenAddresses()).containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"));
        assertThat(info.observedAddress()).isEmpty();
    }

    @Test
    void mergesAMessageSplitInSeveral() throws IOException {
        Identify first = Identify.newBuilder().setAgentVersion("old").addProtocols("/a").build();
        Identify second = message().clearProtocols().addProtocols("/b").build();

        IdentifyInfo info = IdentifyCodec.decode(IdentifyCodec.read(wire(first, second)), peer);

        assertThat(info.agentVersion()).isEqualTo("test/1");
        assertThat(info.protocols()).containsExactly("/a", "/b");
    }

    @Test
    void aKeyOfAnotherPeerIsRefused() {
        PeerId someoneElse = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());

        assertThatThrownBy(() -> IdentifyCodec.decode(message().build(), someoneElse))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("carries the key of another peer");
    }

    @Test
    void withoutAKeyThePeerIdsOwnKeyIsUsed() throws IOException {
        IdentifyInfo info = IdentifyCodec.decode(message().clearPublicKey().build(), peer);

        assertThat(info.publicKey()).isEqualTo(key.publicKey());
    }

    @Test
    void unparseableAddressesAreSkippedNotFatal() throws IOException {
        Identify message = message().addListenAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x7f, 1}))
                .setObservedAddr(ByteString.copyFrom(new byte[] {4, 1})).build();

        IdentifyInfo info = IdentifyCodec.decode(message, peer);

        assertThat(info.listenAddresses()).containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"));
        assertThat(info.observedAddress()).isEmpty();
    }

    @Test
    void oversizeMessageIsRefusedWithItsLength() {
        byte[] prefix = Varint.encode(IdentifyCodec.MAX_MESSAGE + 1);

        assertThatThrownBy(() -> IdentifyCodec.read(new ByteArrayInputStream(prefix)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(String.valueOf(IdentifyCodec.MAX_MESSAGE + 1));
    }

    @Test
    void aStreamWithoutAnyMessageIsAnError() {
        assertThatThrownBy(() -> IdentifyCodec.read(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void aTruncatedMessageIsAnError() {
        byte[] truncated = {10, 1, 2, 3};

        assertThatThrownBy(() -> IdentifyCodec.read(new ByteArrayInputStream(truncated)))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("3 of 10");
    }

    @Test
    void readsNoMoreThanTheMessageLimit() throws IOException {
        Identify[] many = new Identify[IdentifyCodec.MAX_MESSAGES + 5];
        for (int i = 0; i < many.length; i++) {
            many[i] = Identify.newBuilder().addProtocols("/p/" + i).build();
        }

        Identify merged = IdentifyCodec.read(wire(many));

        assertThat(merged.getProtocolsList()).hasSize(IdentifyCodec.MAX_MESSAGES);
    }
}
