package dev.parley.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The address book's forgetting as a pure function of time, connections and keeping (transport/README.md). */
class AddressBookTest {
    private static final Duration GRACE = Duration.ofMinutes(5);
    private static final Multiaddr HERE = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");

    private long now;
    private final List<PeerId> forgotten = new ArrayList<>();

    private AddressBook book(int maxPeers) {
        AddressBook book = new AddressBook(new PeerStateLimits(GRACE, maxPeers, 4), () -> now);
        book.onForgotten(forgotten::add);
        return book;
    }

    private static PeerId peer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    @Test
    void aPeerLearntInPassingIsForgottenOnceItsGraceIsOverAndEachAddingStartsItAgain() {
        AddressBook book = book(10);
        PeerId stranger = peer();
        book.add(stranger, HERE);

        now += GRACE.toNanos() - 1;
        book.add(stranger, HERE);
        now += GRACE.toNanos() - 1;
        assertThat(book.expire()).isZero();

        now += 1;
        assertThat(book.expire()).isEqualTo(1);
        assertThat(book.holds(stranger)).isFalse();
        assertThat(book.addresses(stranger)).isEmpty();
        assertThat(forgotten).containsExactly(stranger);
        assertThat(book.forgottenCount()).isEqualTo(1);
    }

    @Test
    void aConnectedPeerStaysHowEverLongAndItsGraceStartsWhenItsLastConnectionCloses() {
        AddressBook book = book(10);
        PeerId peer = peer();
        book.connected(peer);
        book.connected(peer);
        book.add(peer, HERE);

        now += GRACE.toNanos() * 10;
        book.disconnected(peer);
        assertThat(book.expire()).isZero();
        book.disconnected(peer);
        now += GRACE.toNanos() - 1;
        assertThat(book.expire()).isZero();
        assertThat(book.addresses(peer)).containsExactly(HERE);

        now += 1;
        assertThat(book.expire()).isEqualTo(1);
        assertThat(forgotten).containsExactly(peer);
    }

    @Test
    void aKeptPeerStaysUntilItsLastOwnerReleasesIt() {
        AddressBook book = book(10);
        PeerId contact = peer();
        book.keep(contact, "contact");
        book.keep(contact, "room member");
        book.add(contact, HERE);

        now += GRACE.toNanos() * 10;
        book.release(contact, "contact");
        assertThat(book.expire()).isZero();
        assertThat(book.isKept(contact)).isTrue();

        book.release(contact, "room member");
        now += GRACE.toNanos();
        assertThat(book.expire()).isEqualTo(1);
        assertThat(forgotten).containsExactly(contact);
    }

    @Test
    void atTheCapTheStrangerTouchedLongestAgoMakesRoomNeverAKeptOrConnectedPeer() {
        AddressBook book = book(3);
        PeerId kept = peer();
        PeerId connected = peer();
        PeerId oldStranger = peer();
        book.keep(kept, "contact");
        book.connected(connected);
        book.add(oldStranger, HERE);

        PeerId newcomer = peer();
        now += 1;
        book.add(newcomer, HERE);

        assertThat(book.peers()).containsExactlyInAnyOrder(kept, connected, newcomer);
        assertThat(forgotten).containsExactly(oldStranger);
    }

    @Test
    void aBookFullOfKeptAndConnectedPeersTakesNoStrangerButStillEveryConnectedPeer() {
        AddressBook book = book(2);
        PeerId kept = peer();
        PeerId connected = peer();
        book.keep(kept, "contact");
        book.connected(connected);

        PeerId stranger = peer();
        book.add(stranger, HERE);
        assertThat(book.holds(stranger)).isFalse();

        PeerId another = peer();
        book.connected(another);
        assertThat(book.holds(another)).isTrue();
        assertThat(forgotten).isEmpty();
    }

    @Test
    void keepsTheFirstAddressesUpToTheLimitPerPeer() {
        AddressBook book = book(10);
        PeerId peer = peer();
        List<Multiaddr> many = IntStream.range(0, 10)
                .mapToObj(i -> Multiaddr.parse("/ip4/127.0.0.1/tcp/" + (4000 + i))).toList();

        book.add(peer, many);

        assertThat(book.addresses(peer)).containsExactlyElementsOf(many.subList(0, 4));
    }
}
