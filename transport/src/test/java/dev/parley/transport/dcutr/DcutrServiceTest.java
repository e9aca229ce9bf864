package dev.parley.transport.dcutr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.Connection;
import dev.parley.transport.Direction;
import dev.parley.transport.Stream;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.dcutr.DcutrTestPeers.Peer;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Varint;
import java.io.EOFException;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DCUtR between Java hosts on loopback, A dialling B through a Java relay. Loopback addresses stand in for public
 * ones here, so B reaches A by connection reversal; the NAT lab proves the simultaneous open.
 */
class DcutrServiceTest {
    private final DcutrTestPeers peers = new DcutrTestPeers();

    @AfterEach
    void closePeers() throws Exception {
        peers.close();
    }

    @Test
    void aRelayedConnectionToAReachablePeerIsReversedToADirectOneAndTheRelayedOneCloses() throws Exception {
        Multiaddr relay = peers.relay();
        Peer a = peers.peer(true);
        Peer b = peers.peer(true);
        b.host().listen(relay.encapsulate(DcutrTestPeers.CIRCUIT));
        CompletableFuture<HolePunchResult> outcome = new CompletableFuture<>();
        b.dcutr().onResult(outcome::complete);

        Connection relayed = a.host().dial(relay.encapsulate(DcutrTestPeers.CIRCUIT).withPeerId(b.host().peerId()));
        assertThat(relayed.isRelayed()).isTrue();

        HolePunchResult result = outcome.get(20, TimeUnit.SECONDS);
        assertThat(result.success()).isTrue();
        assertThat(result.attempts()).as("A is reachable: B dials it, no hole needed").isZero();
        assertThat(result.peer()).isEqualTo(a.host().peerId());
        // B's dial returns once B has upgraded; A registers its side of the connection a moment later
        DcutrTestPeers.await("A has the direct connection",
                () -> a.host().connection(b.host().peerId()).filter(c -> !c.isRelayed()).isPresent());
        Connection direct = a.host().connection(b.host().peerId()).orElseThrow();
        assertThat(result.direct().map(Connection::remoteAddress)).contains(direct.localAddress());
        assertThat(TestProtocols.echoOver(direct, new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
        DcutrTestPeers.await("the relayed connection closed after its grace", () -> !relayed.isOpen());
        assertThat(b.host().connection(a.host().peerId()).map(Connection::isRelayed)).contains(false);
    }

    @Test
    void withNothingToDialThreeAttemptsFailAndTheRelayedConnectionKeepsWorking() throws Exception {
        Multiaddr relay = peers.relay();
        Peer a = peers.peer(false);
        Peer b = peers.peer(false);
        b.host().listen(relay.encapsulate(DcutrTestPeers.CIRCUIT));
        CompletableFuture<HolePunchResult> outcome = new CompletableFuture<>();
        b.dcutr().onResult(outcome::complete);

        Connection relayed = a.host().dial(relay.encapsulate(DcutrTestPeers.CIRCUIT).withPeerId(b.host().peerId()));

        HolePunchResult result = outcome.get(30, TimeUnit.SECONDS);
        assertThat(result.success()).isFalse();
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(relayed.isOpen()).isTrue();
        assertThat(TestProtocols.echoOver(relayed, new byte[] {4, 5})).containsExactly(4, 5);
    }

    @Test
    void hostileMessagesCloseOnlyTheirStream() throws Exception {
        Peer a = peers.peer(true);
        Peer b = peers.peer(true);
        Connection connection = b.host().dial(a.host().listenAddresses().getFirst().withPeerId(a.host().peerId()));

        byte[] oversize = Varint.encode(HolePunchCodec.MAX_MESSAGE + 1);
        byte[] syncFirst = {3, 0x08, (byte) 0xac, 0x02};
        byte[] garbage = {4, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        for (byte[] hostile : List.of(oversize, syncFirst, garbage)) {
            try (Stream stream = connection.newStream(DcutrService.PROTOCOL_ID)) {
                stream.out().write(hostile);
                stream.out().flush();
                assertThatThrownBy(() -> {
                    if (stream.in().read() < 0) {
                        throw new EOFException("A closed the stream without answering");
                    }
                }).as("A answers %s by closing the stream", HexFormat.of().formatHex(hostile))
                        .isInstanceOf(IOException.class);
            }
        }

        assertThat(connection.isOpen()).isTrue();
        assertThat(connection.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(TestProtocols.echoOver(connection, new byte[] {7})).containsExactly(7);
    }
}
