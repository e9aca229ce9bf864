package dev.parley.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.autonat.AutoNatConfig;
import dev.parley.transport.autonat.AutoNatService;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.kad.KadDht;
import dev.parley.transport.kad.KadMode;
import dev.parley.transport.kad.KadOptions;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.ping.PingService;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a stranger can cost us by connecting under ever new ids: nothing that outlives its grace. 3,000 strangers
 * each connect over loopback, answer identify with listen addresses, and leave; once their grace is over none of
 * their PeerIds is held in the address book, the identify cache or AutoNAT's limiter, while a kept peer and a
 * connected one stay (transport/README.md, "Per-peer state").
 */
class StrangerChurnTest {
    private static final int STRANGERS = 3_000;
    private static final Duration GRACE = Duration.ofMillis(300);
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    private Host target;
    private Host honest;

    @AfterEach
    void close() {
        if (honest != null) {
            honest.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void threeThousandStrangersLeaveNothingBehindOnceTheirGraceIsOverWhileKeptAndConnectedPeersStay()
            throws Exception {
        target = new Host(HostConfig.of(Ed25519PrivateKey.generate())
                .withPeerState(PeerStateLimits.defaults().withGrace(GRACE)));
        IdentifyService identify = new IdentifyService(target, "target/1");
        new PingService(target);
        AutoNatService autonat = new AutoNatService(target, identify, AutoNatConfig.defaults());
        KadDht dht = new KadDht(target, identify, KadMode.SERVER, KadOptions.defaults());
        Multiaddr address = target.listen(LOOPBACK).withPeerId(target.peerId());

        PeerId kept = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Multiaddr keptAt = Multiaddr.parse("/ip4/127.0.0.1/tcp/9");
        target.addressBook().keep(kept, "contact");
        target.addressBook().add(kept, keptAt);

        honest = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        new IdentifyService(honest, "honest/1");
        PingService honestPing = new PingService(honest);
        Connection honestConnection = honest.dial(address);
        identify.awaitInfo(honest.peerId(), Duration.ofSeconds(30));
        int bookBefore = target.addressBook().size();
        int identifyBefore = identify.cachedPeers();
        int tableBefore = dht.routingTableSize();

        Set<PeerId> forgotten = ConcurrentHashMap.newKeySet();
        target.addressBook().onForgotten(forgotten::add);
        List<PeerId> strangers = Strangers.churn(address, STRANGERS, 16,
                stranger -> identify.awaitInfo(stranger, Duration.ofSeconds(30)), 250,
                done -> honestPing.ping(honestConnection));

        CountDownLatch allForgotten = new CountDownLatch(1);
        target.addressBook().onForgotten(peer -> {
            if (forgotten.containsAll(strangers)) {
                allForgotten.countDown();
            }
        });
        if (forgotten.containsAll(strangers)) {
            allForgotten.countDown();
        }
        assertThat(allForgotten.await(2, TimeUnit.MINUTES))
                .as("all %d strangers forgotten; %d were", strangers.size(), forgotten.size()).isTrue();

        assertThat(strangers).hasSize(STRANGERS).doesNotHaveDuplicates();
        Set<PeerId> held = target.addressBook().peers();
        assertThat(strangers).noneMatch(held::contains);
        assertThat(strangers).allMatch(stranger -> identify.info(stranger).isEmpty());
        assertThat(target.addressBook().size()).isEqualTo(bookBefore);
        assertThat(identify.cachedPeers()).isEqualTo(identifyBefore);
        assertThat(autonat.requestersTracked()).isZero();
        assertThat(dht.routingTableSize()).isEqualTo(tableBefore);
        assertThat(target.connections()).extracting(Connection::remotePeer).containsOnly(honest.peerId());

        assertThat(target.addressBook().addresses(kept)).containsExactly(keptAt);
        assertThat(target.addressBook().holds(honest.peerId())).isTrue();
        assertThat(identify.info(honest.peerId())).isPresent();
        assertThat(honestPing.ping(honestConnection)).isPositive();
    }
}
