package dev.parley.app.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.RelayLimits;
import dev.parley.transport.spi.CircuitLimit;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /parley/relay-grants/1.0.0} on loopback: only an owner's list counts, and only within its bounds. */
class RelayGrantsTest {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final CircuitLimit CONTACT_CIRCUIT = new CircuitLimit(Duration.ofHours(1), 32L << 20);
    private static final CircuitLimit DEFAULT = RelayLimits.DEFAULT_CIRCUIT;

    private final Host relay = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
    private final Host owner = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
    private final Host stranger = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
    private final RelayGrants grants = new RelayGrants(new RelayOwners(Set.of(owner.peerId()), CONTACT_CIRCUIT),
            DEFAULT);
    private final PeerId contact = randomPeer();
    private Multiaddr relayAddress;

    @BeforeEach
    void serve() throws Exception {
        relay.setHandler(RelayGrants.PROTOCOL_ID, grants::serve);
        relayAddress = relay.listen(LOOPBACK).withPeerId(relay.peerId());
    }

    @AfterEach
    void close() {
        stranger.close();
        owner.close();
        relay.close();
    }

    private static PeerId randomPeer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    private Connection toRelay(Host from) throws Exception {
        return from.dial(relayAddress);
    }

    @Test
    void theOwnersListGivesItsCircuitsWithItsContactsTheContactLimitAndNobodyElse() throws Exception {
        assertThat(RelayGrants.send(toRelay(owner), Set.of(contact))).isTrue();

        assertThat(grants.circuitLimit(owner.peerId(), contact, DEFAULT)).isEqualTo(CONTACT_CIRCUIT);
        assertThat(grants.circuitLimit(contact, owner.peerId(), DEFAULT)).isEqualTo(CONTACT_CIRCUIT);
        assertThat(grants.reservationLimit(contact)).contains(CONTACT_CIRCUIT);
        assertThat(grants.reservationLimit(owner.peerId())).contains(CONTACT_CIRCUIT);
        assertThat(grants.circuitLimit(stranger.peerId(), contact, CONTACT_CIRCUIT))
                .as("a stranger dialling a listed contact, whose reservation promised more").isEqualTo(DEFAULT);
        assertThat(grants.circuitLimit(stranger.peerId(), owner.peerId(), CONTACT_CIRCUIT)).isEqualTo(DEFAULT);
        assertThat(grants.reservationLimit(stranger.peerId())).contains(DEFAULT);

        assertThat(RelayGrants.send(toRelay(owner), Set.of())).isTrue();
        assertThat(grants.circuitLimit(owner.peerId(), contact, DEFAULT)).as("the next list withdraws it")
                .isEqualTo(DEFAULT);
        assertThat(grants.reservationLimit(contact)).contains(DEFAULT);
    }

    @Test
    void aStrangersListIsRefusedUnread() throws Exception {
        PeerId strangersFriend = randomPeer();
        assertThat(RelayGrants.send(toRelay(stranger), Set.of(strangersFriend))).isFalse();

        assertThat(grants.circuitLimit(stranger.peerId(), strangersFriend, DEFAULT)).isEqualTo(DEFAULT);
        assertThat(grants.reservationLimit(strangersFriend)).contains(DEFAULT);
        assertThat(grants.reservationLimit(stranger.peerId())).contains(DEFAULT);
    }

    @Test
    void aListLongerThanTheBoundIsRefusedAndTheListBeforeStands() throws Exception {
        assertThat(RelayGrants.send(toRelay(owner), Set.of(contact))).isTrue();
        Set<PeerId> tooMany = Stream.generate(RelayGrantsTest::randomPeer).limit(RelayGrants.MAX_CONTACTS + 1)
                .collect(Collectors.toSet());

        assertThatThrownBy(() -> RelayGrants.send(toRelay(owner), tooMany)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("MALFORMED");
        assertThat(grants.circuitLimit(owner.peerId(), contact, DEFAULT)).isEqualTo(CONTACT_CIRCUIT);
        assertThat(grants.reservationLimit(tooMany.iterator().next())).contains(DEFAULT);
    }
}
