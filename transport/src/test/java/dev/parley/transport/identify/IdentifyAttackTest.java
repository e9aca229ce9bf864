package dev.parley.transport.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.PeerStateLimits;
import dev.parley.transport.Stream;
import dev.parley.transport.identify.pb.IdentifyProtos.Identify;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import dev.parley.transport.ping.PingService;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a stranger can cost us with a huge identify message: nothing beyond the 8 KiB limit. A length prefix
 * claiming 100 MiB, with bytes streamed after it, and a genuine message over the limit are refused at the prefix,
 * the stream is reset, an honest peer is served throughout, and once the strangers' grace is over the identify
 * cache and address book are as before.
 */
class IdentifyAttackTest {
    private static final int HUNDRED_MIB = 100 << 20;
    /** Yamux never lets a stream's window grow past 16 MiB (ResourceLimits), so a refusal stops a sender by then. */
    private static final long MOST_A_REFUSED_SENDER_GETS_OUT = 16L << 20;
    private static final Duration GRACE = Duration.ofMillis(300);
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    private final List<Host> hosts = new ArrayList<>();
    private final Map<PeerId, CompletableFuture<Void>> forgotten = new ConcurrentHashMap<>();
    private Host target;
    private IdentifyService identify;
    private Multiaddr address;
    private PingService honestPing;
    private Connection honestConnection;
    private PeerId honestPeer;

    @BeforeEach
    void startTargetAndHonestPeer() throws IOException {
        target = host(HostConfig.of(Ed25519PrivateKey.generate())
                .withPeerState(PeerStateLimits.defaults().withGrace(GRACE)));
        identify = new IdentifyService(target, "target/1");
        target.addressBook().onForgotten(peer -> forgotten(peer).complete(null));
        new PingService(target);
        address = target.listen(LOOPBACK).withPeerId(target.peerId());

        Host honest = host(HostConfig.of(Ed25519PrivateKey.generate()));
        new IdentifyService(honest, "honest/1");
        honestPing = new PingService(honest);
        honestConnection = honest.dial(address);
        honestPeer = honest.peerId();
        identify.awaitInfo(honestPeer, Duration.ofSeconds(30));
    }

    /** Completes when the target forgets {@code peer}, whether that happened before the asking or happens after. */
    private CompletableFuture<Void> forgotten(PeerId peer) {
        return forgotten.computeIfAbsent(peer, p -> new CompletableFuture<>());
    }

    @AfterEach
    void closeHosts() {
        hosts.forEach(Host::close);
    }

    private Host host(HostConfig config) {
        Host host = new Host(config);
        hosts.add(host);
        return host;
    }

    @Test
    void anAnswerClaimingHundredMebibytesIsRefusedAtItsPrefixAndTheSenderStopped() throws Exception {
        CompletableFuture<Long> sent = new CompletableFuture<>();
        Host stranger = host(HostConfig.of(Ed25519PrivateKey.generate()));
        stranger.setHandler(IdentifyService.PROTOCOL_ID, stream -> sent.complete(claimHundredMebibytes(stream.out())));

        Connection connection = stranger.dial(address);

        assertThatThrownBy(() -> identify.awaitInfo(stranger.peerId(), Duration.ofSeconds(30)))
                .hasMessageContaining("length prefix " + HUNDRED_MIB)
                .hasMessageContaining("exceeds the limit of " + IdentifyCodec.MAX_MESSAGE);
        assertThat(sent.get(30, TimeUnit.SECONDS)).isLessThan(MOST_A_REFUSED_SENDER_GETS_OUT);
        honestServedAndStrangerLeavesNothing(stranger, connection);
    }

    @Test
    void aGenuineMessageOverTheLimitIsRefusedWithItsLength() throws Exception {
        Identify.Builder huge = Identify.newBuilder().setAgentVersion("stranger/1");
        for (int port = 1; port <= 4_000; port++) {
            huge.addListenAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port).bytes()));
        }
        byte[] bytes = huge.build().toByteArray();
        Host stranger = host(HostConfig.of(Ed25519PrivateKey.generate()));
        stranger.setHandler(IdentifyService.PROTOCOL_ID, stream -> {
            Varint.write(bytes.length, stream.out());
            stream.out().write(bytes);
            stream.closeWrite();
        });

        Connection connection = stranger.dial(address);

        assertThatThrownBy(() -> identify.awaitInfo(stranger.peerId(), Duration.ofSeconds(30)))
                .hasMessageContaining("length prefix " + bytes.length);
        assertThat(identify.info(stranger.peerId())).isEmpty();
        assertThat(target.addressBook().addresses(stranger.peerId())).isEmpty();
        honestServedAndStrangerLeavesNothing(stranger, connection);
    }

    @Test
    void aPushClaimingHundredMebibytesIsResetAndTakesNothing() throws Exception {
        Host stranger = host(HostConfig.of(Ed25519PrivateKey.generate()));
        new IdentifyService(stranger, "stranger/1");
        Connection connection = stranger.dial(address);
        identify.awaitInfo(stranger.peerId(), Duration.ofSeconds(30));
        int addressesBefore = target.addressBook().addresses(stranger.peerId()).size();

        Stream push = connection.newStream(IdentifyService.PUSH_PROTOCOL_ID);
        long sent = claimHundredMebibytes(push.out());

        assertThat(sent).isLessThan(MOST_A_REFUSED_SENDER_GETS_OUT);
        assertThat(target.addressBook().addresses(stranger.peerId())).hasSize(addressesBefore);
        honestServedAndStrangerLeavesNothing(stranger, connection);
    }

    /** Writes a 100 MiB length prefix and then zeros until the stream fails; returns the bytes that went out. */
    private static long claimHundredMebibytes(OutputStream out) {
        long sent = 0;
        byte[] chunk = new byte[64 * 1024];
        try {
            Varint.write(HUNDRED_MIB, out);
            while (sent < HUNDRED_MIB) {
                out.write(chunk);
                sent += chunk.length;
            }
            out.flush();
        } catch (IOException refused) {
            return sent;
        }
        return sent;
    }

    private void honestServedAndStrangerLeavesNothing(Host stranger, Connection itsConnection) throws Exception {
        assertThat(honestPing.ping(honestConnection)).isPositive();
        assertThat(identify.info(honestPeer)).isPresent();

        itsConnection.close();
        forgotten(stranger.peerId()).get(30, TimeUnit.SECONDS);
        assertThat(identify.cachedPeers()).isEqualTo(1);
        assertThat(target.addressBook().peers()).containsExactly(honestPeer);
        assertThat(honestPing.ping(honestConnection)).isPositive();
    }
}
