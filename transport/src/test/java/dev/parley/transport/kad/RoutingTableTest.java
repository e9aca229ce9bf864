package dev.parley.transport.kad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private static final PeerId SELF = newPeer();

    @Test
    void closestAreTheNearestByXorOfSha256NearestFirst() {
        RoutingTable table = new RoutingTable(SELF, 20);
        List<PeerId> peers = Stream.generate(RoutingTableTest::newPeer).limit(200).toList();
        List<PeerId> admitted = peers.stream().filter(table::add).toList();
        PeerId target = newPeer();

        byte[] targetPoint = KeySpace.point(target);
        List<PeerId> expected = admitted.stream()
                .sorted(Comparator.comparing(KeySpace::point, KeySpace.byDistanceTo(targetPoint)))
                .limit(20).toList();
        assertThat(table.closest(target.bytes(), 20)).containsExactlyElementsOf(expected);
        assertThat(table.size()).isEqualTo(admitted.size());
    }

    @Test
    void aFullBucketKeepsItsOldestAndAFailedPeerMakesRoom() {
        RoutingTable table = new RoutingTable(SELF, 2);
        List<PeerId> farHalf = peersInBucket(0, 3);

        assertThat(table.add(farHalf.get(0))).isTrue();
        assertThat(table.add(farHalf.get(1))).isTrue();
        assertThat(table.add(farHalf.get(2))).isFalse();
        assertThat(table.contains(farHalf.get(2))).isFalse();
        assertThat(table.add(farHalf.get(0))).as("a peer already in stays in").isTrue();

        table.remove(farHalf.get(0));
        assertThat(table.contains(farHalf.get(0))).isFalse();
        assertThat(table.add(farHalf.get(2))).isTrue();
        assertThat(table.closest(SELF.bytes(), 10)).containsExactlyInAnyOrder(farHalf.get(1), farHalf.get(2));
    }

    @Test
    void weAreNeverInOurOwnTable() {
        RoutingTable table = new RoutingTable(SELF, 20);
        assertThat(table.add(SELF)).isFalse();
        assertThat(table.size()).isZero();
    }

    @Test
    void commonPrefixLengthCountsLeadingEqualBits() {
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        assertThat(KeySpace.commonPrefixLength(a, b)).isEqualTo(256);
        b[1] = 0x10;
        assertThat(KeySpace.commonPrefixLength(a, b)).isEqualTo(11);
        b[0] = (byte) 0x80;
        assertThat(KeySpace.commonPrefixLength(a, b)).isZero();
    }

    private static List<PeerId> peersInBucket(int bucket, int count) {
        byte[] self = KeySpace.point(SELF);
        List<PeerId> found = new ArrayList<>();
        while (found.size() < count) {
            PeerId peer = newPeer();
            if (KeySpace.commonPrefixLength(self, KeySpace.point(peer)) == bucket) {
                found.add(peer);
            }
        }
        return found;
    }

    private static PeerId newPeer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }
}
