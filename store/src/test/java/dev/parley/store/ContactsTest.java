package dev.parley.store;

import static dev.parley.store.TestData.ALICE;
import static dev.parley.store.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ContactsTest extends StoreOnDisk {
    @Test
    void aContactIsStoredWhole() {
        store.contacts().put(TestData.alice());
        Contact read = store.contacts().get(ALICE).orElseThrow();
        assertThat(read.displayName()).isEqualTo("Alice");
        assertThat(read.hpkePublicKey()).containsExactly(1, 2, 3);
        assertThat(read.card()).containsExactly(4, 5);
        assertThat(read.state()).isEqualTo(ContactState.ACCEPTED);
        assertThat(read.addedAt()).isEqualTo(T0);
        assertThat(read.lastSeen()).isNull();
        assertThat(store.contacts().get("unknown")).isEmpty();
    }

    @Test
    void puttingAgainUpdatesButKeepsWhenItWasAddedAndLastSeen() {
        store.contacts().put(TestData.alice());
        store.contacts().setLastSeen(ALICE, T0.plusSeconds(60));
        store.contacts().put(new Contact(ALICE, "Alice B.", new byte[] {9}, null, ContactState.BLOCKED,
                T0.plusSeconds(999), null));
        Contact read = store.contacts().get(ALICE).orElseThrow();
        assertThat(read.displayName()).isEqualTo("Alice B.");
        assertThat(read.hpkePublicKey()).containsExactly(9);
        assertThat(read.card()).isNull();
        assertThat(read.state()).isEqualTo(ContactState.BLOCKED);
        assertThat(read.addedAt()).isEqualTo(T0);
        assertThat(read.lastSeen()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void contactsAreListedByStateAndName() {
        store.contacts().put(new Contact("p3", "carol", null, null, ContactState.ACCEPTED, T0, null));
        store.contacts().put(new Contact("p1", "Bob", null, null, ContactState.ACCEPTED, T0, null));
        store.contacts().put(new Contact("p2", "Dave", null, null, ContactState.REQUEST, T0, null));
        assertThat(store.contacts().list(ContactState.ACCEPTED)).extracting(Contact::displayName)
                .containsExactly("Bob", "carol");
        assertThat(store.contacts().list(ContactState.REQUEST)).extracting(Contact::peerId).containsExactly("p2");

        store.contacts().setState("p2", ContactState.ACCEPTED);
        assertThat(store.contacts().list(ContactState.REQUEST)).isEmpty();
        assertThat(store.contacts().list(ContactState.ACCEPTED)).extracting(Contact::displayName)
                .containsExactly("Bob", "carol", "Dave");
    }

    @Test
    void theCountOfDroppedMessagesOnlyGrowsAndOutlivesReopening() {
        store.contacts().put(TestData.alice());
        assertThat(store.contacts().droppedMessages(ALICE)).isZero();
        assertThat(store.contacts().droppedMessages("unknown")).isZero();

        store.contacts().setDroppedMessages(ALICE, 7);
        store.contacts().setDroppedMessages(ALICE, 5);
        store.close();
        store = SqliteStore.open(folder.resolve("profile.db"));

        assertThat(store.contacts().droppedMessages(ALICE)).isEqualTo(7);
        assertThatThrownBy(() -> store.contacts().setDroppedMessages("ghost", 1)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.contacts().setDroppedMessages(ALICE, -1))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void changingAPeerThatIsNotStoredNamesIt() {
        assertThatThrownBy(() -> store.contacts().setState("ghost", ContactState.BLOCKED))
                .isInstanceOf(NotFoundException.class).hasMessage("no contact with id 'ghost' in the store");
        assertThatThrownBy(() -> store.contacts().setLastSeen("ghost", T0)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void addressesAreRememberedMostRecentFirstAndOnlyTheNewestFewKept() {
        store.contacts().put(TestData.alice());
        store.contacts().rememberAddresses(ALICE, List.of("/ip4/10.200.0.2/tcp/4001", "/ip4/10.200.0.3/tcp/4001"), T0);
        store.contacts().rememberAddresses(ALICE, List.of("/ip4/10.200.0.3/tcp/4001"), T0.plusSeconds(5));
        assertThat(store.contacts().addresses(ALICE))
                .containsExactly("/ip4/10.200.0.3/tcp/4001", "/ip4/10.200.0.2/tcp/4001");

        List<String> many = IntStream.range(0, StoreLimits.MAX_ADDRESSES_PER_PEER)
                .mapToObj(i -> "/ip4/10.200.1." + i + "/tcp/4001").toList();
        store.contacts().rememberAddresses(ALICE, many, T0.plusSeconds(10));
        assertThat(store.contacts().addresses(ALICE)).hasSize(StoreLimits.MAX_ADDRESSES_PER_PEER)
                .containsExactlyInAnyOrderElementsOf(many);
        assertThat(store.contacts().addresses("unknown")).isEmpty();
    }

    @Test
    void hintsAreTriedAfterTheContactsOwnAddressesAndGoWhenItSaysWhereItIs() {
        store.contacts().put(TestData.alice());
        store.contacts().rememberAddresses(ALICE, List.of("/ip4/10.200.0.2/tcp/4001"), T0);
        store.contacts().hintAddresses(ALICE, List.of("/ip4/203.0.113.9/tcp/4001", "/ip4/10.200.0.3/tcp/4001"),
                T0.plusSeconds(5));
        assertThat(store.contacts().addresses(ALICE)).containsExactly("/ip4/10.200.0.2/tcp/4001",
                "/ip4/10.200.0.3/tcp/4001", "/ip4/203.0.113.9/tcp/4001");

        store.contacts().rememberAddresses(ALICE, List.of("/ip4/10.200.0.3/tcp/4001"), T0.plusSeconds(10));
        assertThat(store.contacts().forgetHints(ALICE)).containsExactly("/ip4/203.0.113.9/tcp/4001");

        assertThat(store.contacts().addresses(ALICE))
                .containsExactly("/ip4/10.200.0.3/tcp/4001", "/ip4/10.200.0.2/tcp/4001");
        assertThat(store.contacts().forgetHints(ALICE)).isEmpty();
    }

    @Test
    void aHintNeverTurnsAnAddressOfTheContactsOwnBackIntoAHint() {
        store.contacts().put(TestData.alice());
        store.contacts().rememberAddresses(ALICE, List.of("/ip4/10.200.0.2/tcp/4001"), T0);

        store.contacts().hintAddresses(ALICE, List.of("/ip4/10.200.0.2/tcp/4001"), T0.plusSeconds(5));

        assertThat(store.contacts().forgetHints(ALICE)).isEmpty();
        assertThat(store.contacts().addresses(ALICE)).containsExactly("/ip4/10.200.0.2/tcp/4001");
    }

    @Test
    void anInviteFullOfHintsDoesNotPushOutTheContactsOwnAddresses() {
        store.contacts().put(TestData.alice());
        store.contacts().rememberAddresses(ALICE, List.of("/ip4/10.200.0.2/tcp/4001"), T0);

        List<String> bogus = IntStream.range(0, StoreLimits.MAX_ADDRESSES_PER_PEER + 4)
                .mapToObj(i -> "/ip4/203.0.113." + i + "/tcp/4001").toList();
        store.contacts().hintAddresses(ALICE, bogus, T0.plusSeconds(60));

        assertThat(store.contacts().addresses(ALICE)).hasSize(1 + StoreLimits.MAX_ADDRESSES_PER_PEER)
                .startsWith("/ip4/10.200.0.2/tcp/4001");
    }

    @Test
    void hintsTheContactNeverConfirmedGoWhenTheyAreOld() {
        store.contacts().put(TestData.alice());
        store.contacts().rememberAddresses(ALICE, List.of("/ip4/10.200.0.2/tcp/4001"), T0);
        store.contacts().hintAddresses(ALICE, List.of("/ip4/203.0.113.9/tcp/4001"), T0);
        store.contacts().hintAddresses(ALICE, List.of("/ip4/203.0.113.10/tcp/4001"), T0.plusSeconds(60));

        assertThat(store.contacts().forgetHintsGivenBefore(T0.plusSeconds(30))).isEqualTo(1);

        assertThat(store.contacts().addresses(ALICE))
                .containsExactly("/ip4/10.200.0.2/tcp/4001", "/ip4/203.0.113.10/tcp/4001");
    }

    @Test
    void addressesNeedAStoredContact() {
        assertThatThrownBy(() -> store.contacts().rememberAddresses("ghost", List.of("/ip4/10.200.0.2/tcp/1"), T0))
                .isInstanceOf(NotFoundException.class).hasMessage("no contact with id 'ghost' in the store");
        assertThatThrownBy(() -> store.contacts().hintAddresses("ghost", List.of("/ip4/10.200.0.2/tcp/1"), T0))
                .isInstanceOf(NotFoundException.class);
    }
}
