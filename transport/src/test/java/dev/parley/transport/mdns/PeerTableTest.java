package dev.parley.transport.mdns;

import static dev.parley.transport.mdns.MdnsMessagesTest.newPeerId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.mdns.MdnsMessages.Sighting;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PeerTableTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final Multiaddr FIRST = Multiaddr.parse("/ip4/10.200.0.2/tcp/1");
    private static final Multiaddr SECOND_ADDRESS = Multiaddr.parse("/ip4/10.200.0.2/tcp/2");

    private final PeerTable table = new PeerTable();
    private final PeerId peer = newPeerId();
    private final DnsName instance = MdnsMessages.SERVICE.prepend("peer0000000000000000000000000001");
    /** Far from zero, and near overflow, so that comparisons must use differences. */
    private final long start = Long.MAX_VALUE - 5 * SECOND;

    @Test
    void aNewPeerIsFoundOnceAndANewAddressFindsItAgain() {
        assertThat(table.announced(sighting(List.of(FIRST), 10), start))
                .contains(new DiscoveryEvent.PeerFound(peer, List.of(FIRST)));
        assertThat(table.announced(sighting(List.of(FIRST), 10), start + SECOND)).isEmpty();
        assertThat(table.announced(sighting(List.of(SECOND_ADDRESS), 10), start + SECOND))
                .contains(new DiscoveryEvent.PeerFound(peer, List.of(FIRST, SECOND_ADDRESS)));
        assertThat(table.snapshot()).isEqualTo(Map.of(peer, List.of(FIRST, SECOND_ADDRESS)));
    }

    @Test
    void addressesExpireOneByOneAndThePeerIsLostWithItsLast() {
        table.announced(sighting(List.of(FIRST), 2), start);
        table.announced(sighting(List.of(SECOND_ADDRESS), 4), start);

        assertThat(table.nextExpiry()).hasValue(start + 2 * SECOND);
        assertThat(table.expire(start + 2 * SECOND - 1)).isEmpty();
        assertThat(table.expire(start + 2 * SECOND)).isEmpty();
        assertThat(table.snapshot()).isEqualTo(Map.of(peer, List.of(SECOND_ADDRESS)));
        assertThat(table.nextExpiry()).hasValue(start + 4 * SECOND);
        assertThat(table.expire(start + 4 * SECOND)).containsExactly(new DiscoveryEvent.PeerLost(peer));
        assertThat(table.snapshot()).isEmpty();
        assertThat(table.nextExpiry()).isEmpty();
    }

    @Test
    void aRefreshPushesExpiryBack() {
        table.announced(sighting(List.of(FIRST), 2), start);
        table.announced(sighting(List.of(FIRST), 2), start + SECOND);

        assertThat(table.expire(start + 2 * SECOND)).isEmpty();
        assertThat(table.expire(start + 3 * SECOND)).containsExactly(new DiscoveryEvent.PeerLost(peer));
    }

    @Test
    void aGoodbyeLosesThePeerOfThatInstanceOnly() {
        table.announced(sighting(List.of(FIRST), 10), start);

        assertThat(table.departed(MdnsMessages.SERVICE.prepend("someoneelse"))).isEmpty();
        assertThat(table.departed(instance)).contains(new DiscoveryEvent.PeerLost(peer));
        assertThat(table.departed(instance)).isEmpty();
        assertThat(table.announced(sighting(List.of(FIRST), 10), start))
                .as("found again after the goodbye")
                .contains(new DiscoveryEvent.PeerFound(peer, List.of(FIRST)));
    }

    @Test
    void aPeerRestartedUnderANewNameIsLostByItsNewNameOnly() {
        DnsName restarted = MdnsMessages.SERVICE.prepend("peer0000000000000000000000000002");
        table.announced(sighting(List.of(FIRST), 10), start);
        table.announced(new Sighting.Announced(restarted, peer, List.of(SECOND_ADDRESS), 10), start);

        assertThat(table.departed(instance)).isEmpty();
        assertThat(table.departed(restarted)).contains(new DiscoveryEvent.PeerLost(peer));
    }

    @Test
    void noMoreThanTheLimitOfPeersIsTracked() {
        for (int i = 0; i < PeerTable.MAX_PEERS; i++) {
            assertThat(table.announced(new Sighting.Announced(instance, newPeerId(), List.of(FIRST), 10), start))
                    .isPresent();
        }

        assertThat(table.announced(sighting(List.of(FIRST), 10), start)).isEmpty();
        assertThat(table.snapshot()).hasSize(PeerTable.MAX_PEERS).doesNotContainKey(peer);
    }

    private Sighting.Announced sighting(List<Multiaddr> addresses, long ttlSeconds) {
        return new Sighting.Announced(instance, peer, addresses, ttlSeconds);
    }
}
