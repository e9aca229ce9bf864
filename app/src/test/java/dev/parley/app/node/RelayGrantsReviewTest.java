package dev.parley.app.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.node.wire.RelayGrantsProtos.GrantsStatus;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.RelayLimits;
import dev.parley.transport.spi.CircuitLimit;
import java.net.ProtocolException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Review 23d: attacks on who gets a relay's contact limit, and on who hears an owner's contact list. */
class RelayGrantsReviewTest {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final CircuitLimit CONTACT_CIRCUIT = new CircuitLimit(Duration.ofHours(1), 32L << 20);
    private static final CircuitLimit DEFAULT = RelayLimits.DEFAULT_CIRCUIT;
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final Host relay = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
    private final Host owner = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
    private final RelayGrants grants = new RelayGrants(new RelayOwners(Set.of(owner.peerId()), CONTACT_CIRCUIT),
            DEFAULT);
    private final PeerId contact = randomPeer();
    private final PeerId otherContact = randomPeer();
    private Multiaddr relayAddress;

    @BeforeEach
    void serve() throws Exception {
        relay.setHandler(RelayGrants.PROTOCOL_ID, grants::serve);
        relayAddress = relay.listen(LOOPBACK).withPeerId(relay.peerId());
    }

    @AfterEach
    void close() {
        owner.close();
        relay.close();
    }

    private static PeerId randomPeer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            Thread.sleep(20); // polls the condition; the wait ends on the event, not on this pause
        }
    }

    @Test
    void twoListedContactsNeitherOfThemTheOwnerGetTheDefaultBetweenThem() throws Exception {
        assertThat(RelayGrants.send(owner.dial(relayAddress), Set.of(contact, otherContact))).isTrue();

        assertThat(grants.circuitLimit(contact, otherContact, CONTACT_CIRCUIT)).isEqualTo(DEFAULT);
        assertThat(grants.circuitLimit(otherContact, contact, CONTACT_CIRCUIT)).isEqualTo(DEFAULT);
    }

    @Test
    void aContactBlockedAfterItReservedGetsTheDefaultOnItsNextCircuit() throws Exception {
        assertThat(RelayGrants.send(owner.dial(relayAddress), Set.of(contact))).isTrue();
        CircuitLimit reservedWhileListed = grants.reservationLimit(contact).orElseThrow();
        assertThat(reservedWhileListed).isEqualTo(CONTACT_CIRCUIT);

        assertThat(RelayGrants.send(owner.dial(relayAddress), Set.of())).isTrue();

        assertThat(grants.circuitLimit(owner.peerId(), contact, reservedWhileListed))
                .as("the reservation still says the contact limit; the new list does not").isEqualTo(DEFAULT);
        assertThat(grants.circuitLimit(contact, owner.peerId(), reservedWhileListed)).isEqualTo(DEFAULT);
    }

    @Test
    void anOwnerListingItselfGainsNothingForStrangers() throws Exception {
        assertThat(RelayGrants.send(owner.dial(relayAddress), Set.of(owner.peerId()))).isTrue();
        PeerId stranger = randomPeer();

        assertThat(grants.circuitLimit(stranger, owner.peerId(), CONTACT_CIRCUIT)).isEqualTo(DEFAULT);
        assertThat(grants.circuitLimit(owner.peerId(), stranger, CONTACT_CIRCUIT)).isEqualTo(DEFAULT);
    }

    @Test
    void aRelayTheOwnerDidNotNameNeverHearsTheListEvenIfItClaimsTheOwner() throws Exception {
        // A relay that names us owner, as a hostile relay would claim, but that the user never named with --relay.
        try (Host unnamed = new Host(HostConfig.of(Ed25519PrivateKey.generate()))) {
            RelayGrants unnamedGrants = new RelayGrants(
                    new RelayOwners(Set.of(owner.peerId()), CONTACT_CIRCUIT), DEFAULT);
            unnamed.setHandler(RelayGrants.PROTOCOL_ID, unnamedGrants::serve);
            Multiaddr unnamedListening = unnamed.listen(LOOPBACK);
            Multiaddr unnamedAddress = unnamedListening.withPeerId(unnamed.peerId());
            // The named relay's PeerId at the unnamed relay's address: Noise refuses it, so no list goes there.
            Multiaddr namedPeerAtWrongAddress = unnamedListening.withPeerId(relay.peerId());

            try (OwnRelays ownRelays = new OwnRelays(owner, List.of(relayAddress))) {
                ownRelays.grant(() -> Set.of(contact));
                owner.dial(unnamedAddress);
                assertThatThrownBy(() -> owner.dial(namedPeerAtWrongAddress))
                        .as("the handshake proves the other PeerId").isInstanceOf(Exception.class);
                // Pushes go one at a time in order: once the named relay has the list, any push the unnamed
                // relay's connection had queued has run too.
                owner.dial(relayAddress);
                await("the named relay taking the list",
                        () -> grants.circuitLimit(owner.peerId(), contact, DEFAULT).equals(CONTACT_CIRCUIT));

                assertThat(unnamedGrants.circuitLimit(owner.peerId(), contact, DEFAULT)).isEqualTo(DEFAULT);
                assertThat(unnamedGrants.reservationLimit(contact)).contains(DEFAULT);
            }
        }
    }

    @Test
    void anOwnerAnnouncingAHugeListIsCutOffAndTheRelayStillServesItsNextList() throws Exception {
        try (dev.parley.transport.Stream stream = owner.dial(relayAddress).newStream(RelayGrants.TIMEOUT,
                RelayGrants.PROTOCOL_ID)) {
            GrantsStatus status = LengthPrefixed.read(stream.in(), stream.memory(), GrantsStatus.parser(),
                    RelayGrants.MAX_MESSAGE_BYTES, "status", ProtocolException::new);
            assertThat(status.getStatus()).isEqualTo(GrantsStatus.Status.OWNER);
            // A varint length of 1 GiB, and nothing after it: the relay must not wait for, or make room for, it.
            stream.out().write(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04});
            stream.out().flush();

            // Shorter than the relay's own wait for a list: a relay that waited for the 1 GiB would time us out.
            stream.setReadDeadline(RelayGrants.TIMEOUT.dividedBy(2));
            try {
                while (stream.in().read() != -1) {
                    // nothing the relay sends is an answer to a list it refused
                }
            } catch (java.io.IOException reset) {
                assertThat(reset).as("the relay refused the length rather than waiting for its bytes")
                        .isNotInstanceOf(java.net.SocketTimeoutException.class);
            }
        }

        assertThat(RelayGrants.send(owner.dial(relayAddress), Set.of(contact))).isTrue();
        assertThat(grants.circuitLimit(owner.peerId(), contact, DEFAULT)).isEqualTo(CONTACT_CIRCUIT);
    }
}
