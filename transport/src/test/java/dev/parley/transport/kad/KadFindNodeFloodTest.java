package dev.parley.transport.kad;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.PeerStateLimits;
import dev.parley.transport.Stream;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.kad.pb.KadProtos.Message;
import dev.parley.transport.kad.pb.KadProtos.Message.MessageType;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.ping.PingService;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a stranger can cost a DHT server with FIND_NODE: at most {@link KadDht#MAX_REQUESTS_PER_STREAM} answers a
 * stream, on as many streams as the per-peer limits allow. Four strangers pipeline more than that on 32 streams
 * each; every stream ends after the cap, an honest peer's lookups through the server are answered throughout, and
 * once the strangers leave the server serves no stream and holds none of them.
 */
class KadFindNodeFloodTest {
    private static final int STRANGERS = 4;
    private static final int STREAMS_EACH = 32;
    private static final int REQUESTS_PER_STREAM = KadDht.MAX_REQUESTS_PER_STREAM + 44;
    private static final Duration GRACE = Duration.ofMillis(300);
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    private final List<Host> hosts = new ArrayList<>();
    private final List<KadDht> dhts = new ArrayList<>();
    private final Map<PeerId, CompletableFuture<Void>> forgotten = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        dhts.forEach(KadDht::close);
        hosts.forEach(Host::close);
    }

    private KadDht node(HostConfig config, KadMode mode) throws IOException {
        Host host = new Host(config);
        hosts.add(host);
        new PingService(host);
        KadDht dht = new KadDht(host, new IdentifyService(host, "kad-flood-test"), mode, KadOptions.defaults());
        dhts.add(dht);
        host.listen(LOOPBACK);
        return dht;
    }

    private static Multiaddr address(Host host) {
        return host.listenAddresses().getFirst().withPeerId(host.peerId());
    }

    @Test
    void aFindNodeFloodIsCutAtTheCapOfEachStreamAndAnHonestLookupIsAnsweredThroughout() throws Exception {
        KadDht server = node(HostConfig.of(Ed25519PrivateKey.generate())
                .withPeerState(PeerStateLimits.defaults().withGrace(GRACE)), KadMode.SERVER);
        Host serverHost = hosts.getFirst();
        serverHost.addressBook().onForgotten(peer -> forgotten(peer).complete(null));
        List<KadDht> others = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            KadDht other = node(HostConfig.of(Ed25519PrivateKey.generate()), KadMode.SERVER);
            other.bootstrap(List.of(address(serverHost)));
            others.add(other);
        }
        KadDht honest = node(HostConfig.of(Ed25519PrivateKey.generate()), KadMode.CLIENT);
        honest.bootstrap(List.of(address(serverHost)));
        int tableBefore = server.routingTableSize();
        int bookBefore = serverHost.addressBook().size();

        AtomicBoolean flooding = new AtomicBoolean(true);
        List<Host> strangers = new ArrayList<>();
        List<Future<List<Integer>>> floods = new ArrayList<>();
        int honestLookups = 0;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < STRANGERS; i++) {
                Host stranger = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
                hosts.add(stranger);
                strangers.add(stranger);
                Connection connection = stranger.dial(address(serverHost));
                for (int s = 0; s < STREAMS_EACH; s++) {
                    floods.add(threads.submit(() -> List.of(flood(connection, new Random()))));
                }
            }
            Future<?> allDone = threads.submit(() -> {
                for (Future<List<Integer>> flood : floods) {
                    flood.get();
                }
                flooding.set(false);
                return null;
            });
            Random random = new Random(4);
            while (flooding.get() || honestLookups < 3) {
                KadDht target = others.get(random.nextInt(others.size()));
                Optional<PeerLookup> found = honest.findPeer(hostOf(target).peerId());
                assertThat(found).as("honest lookup %d during the flood", honestLookups).isPresent();
                honestLookups++;
            }
            allDone.get();
        }

        for (Future<List<Integer>> flood : floods) {
            assertThat(flood.get()).containsExactly(KadDht.MAX_REQUESTS_PER_STREAM);
        }
        for (Host stranger : strangers) {
            stranger.close();
            forgotten(stranger.peerId()).get(60, TimeUnit.SECONDS);
        }
        assertThat(server.streamsServed()).isZero();
        assertThat(server.routingTableSize()).isEqualTo(tableBefore);
        assertThat(serverHost.addressBook().size()).isEqualTo(bookBefore);
        assertThat(honest.findPeer(hostOf(others.getFirst()).peerId())).isPresent();
    }

    private Host hostOf(KadDht dht) {
        return hosts.get(dhts.indexOf(dht));
    }

    private CompletableFuture<Void> forgotten(PeerId peer) {
        return forgotten.computeIfAbsent(peer, p -> new CompletableFuture<>());
    }

    /** Pipelines more FIND_NODE queries than a stream may carry; returns how many were answered before its end. */
    private static int flood(Connection connection, Random random) throws IOException {
        try (Stream stream = connection.newStream(KadDht.PROTOCOL_ID)) {
            byte[] key = new byte[32];
            for (int i = 0; i < REQUESTS_PER_STREAM; i++) {
                random.nextBytes(key);
                KadCodec.write(Message.newBuilder().setType(MessageType.FIND_NODE)
                        .setKey(ByteString.copyFrom(key)).build(), stream.out());
            }
            int answered = 0;
            while (KadCodec.readOrEnd(stream.in()).isPresent()) {
                answered++;
            }
            return answered;
        }
    }
}
