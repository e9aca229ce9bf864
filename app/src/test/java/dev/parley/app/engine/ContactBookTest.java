package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.ContactBook.Known;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.store.Contact;
import dev.parley.store.ContactState;
import dev.parley.store.SqliteStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bob's cards reach Alice's contact book in every order: the newest by issue time is kept, whatever way an older
 * one comes in later (an invite code replayed by someone else, a stale nearby lookup, the profile protocol, a
 * first message). Real SQLite file, cards signed by real identities.
 */
class ContactBookTest {
    private static final Instant MONDAY = Instant.parse("2026-11-02T09:00:00Z");
    private static final Instant TUESDAY = MONDAY.plusSeconds(86_400);
    private static final Instant WEDNESDAY = TUESDAY.plusSeconds(86_400);

    @TempDir
    Path temp;

    private final Identity alice = Identity.generate();
    private final Identity bob = Identity.generate();
    /** Bob's identity before his HPKE key changed: the same Ed25519 key, so the same PeerId, another HPKE key. */
    private final Identity bobBefore = Identity.fromEd25519(bob.transportKey());
    private SqliteStore store;
    private ContactBook book;

    @BeforeEach
    void openAlicesStore() {
        store = SqliteStore.open(temp.resolve("alice.db"));
        book = ContactBook.load(store, alice.peerId(), InstantSource.system());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private Known held() {
        return book.get(bob.peerId()).orElseThrow();
    }

    private void assertHoldsRobertsCard(ContactCard robert) {
        assertThat(held().name()).isEqualTo("Robert");
        assertThat(held().card().hpkePublicKey()).isEqualTo(bob.hpkePublicKey());
        assertThat(held().card().encode()).isEqualTo(robert.encode());
    }

    @Test
    void anOlderCardFromAnInviteCodeDoesNotBringBackTheOldNameOrKey() {
        ContactCard robert = ContactCard.create(bob, "Robert", TUESDAY);
        book.put(robert, ContactState.ACCEPTED);

        Known after = book.put(ContactCard.create(bobBefore, "Bob", MONDAY), ContactState.ACCEPTED);

        assertThat(after.name()).isEqualTo("Robert");
        assertHoldsRobertsCard(robert);
        Contact stored = store.contacts().get(bob.peerId().toBase58()).orElseThrow();
        assertThat(stored.displayName()).isEqualTo("Robert");
        assertThat(stored.hpkePublicKey()).isEqualTo(bob.hpkePublicKey());
    }

    @Test
    void anOlderCardStillChangesTheStateItCameWith() throws RequestsFullException {
        ContactCard robert = ContactCard.create(bob, "Robert", TUESDAY);
        book.addRequest(robert, RequestQuota.MAX_PENDING_REQUESTS);

        book.put(ContactCard.create(bobBefore, "Bob", MONDAY), ContactState.ACCEPTED);

        assertThat(held().state()).isEqualTo(ContactState.ACCEPTED);
        assertHoldsRobertsCard(robert);
    }

    @Test
    void aCardOfTheSameTimeThatSaysSomethingElseKeepsWhatIsHeld() {
        ContactCard robert = ContactCard.create(bob, "Robert", TUESDAY);
        book.put(robert, ContactState.ACCEPTED);

        book.put(ContactCard.create(bobBefore, "Bobby", TUESDAY), ContactState.ACCEPTED);
        assertThat(book.replaceCardIfNewer(ContactCard.create(bob, "Bobby", TUESDAY))).isEmpty();

        assertHoldsRobertsCard(robert);
    }

    @Test
    void theProfileProtocolTakesOnlyANewerCard() {
        ContactCard robert = ContactCard.create(bob, "Robert", TUESDAY);
        book.put(robert, ContactState.ACCEPTED);

        assertThat(book.replaceCardIfNewer(ContactCard.create(bobBefore, "Bob", MONDAY))).isEmpty();
        assertHoldsRobertsCard(robert);

        ContactCard rob = ContactCard.create(bob, "Rob", WEDNESDAY);
        assertThat(book.replaceCardIfNewer(rob)).map(Known::name).contains("Rob");
        assertThat(held().card().encode()).isEqualTo(rob.encode());
    }

    /**
     * Bob renamed himself to Robert on Tuesday and back to Bob on Wednesday; Alice, offline on Tuesday, hears only
     * of Wednesday's card, which says what she holds. Tuesday's card, replayed, must not make him Robert.
     */
    @Test
    void aNewerCardThatSaysTheSameStillKeepsTheCardsIssuedBeforeItOut() {
        book.put(ContactCard.create(bob, "Bob", MONDAY), ContactState.ACCEPTED);

        assertThat(book.replaceCardIfNewer(ContactCard.create(bob, "Bob", WEDNESDAY))).isEmpty();
        book.put(ContactCard.create(bob, "Robert", TUESDAY), ContactState.ACCEPTED);

        assertThat(held().name()).isEqualTo("Bob");
        assertThat(held().card().issuedAt()).isEqualTo(WEDNESDAY);
    }

    @Test
    void aPeerBlockedBeforeItsCardWasKnownTakesTheFirstCardAndThenOnlyNewerOnes() {
        book.blockUnknown(bob.peerId());
        ContactCard robert = ContactCard.create(bob, "Robert", TUESDAY);

        book.put(robert, ContactState.ACCEPTED);
        book.put(ContactCard.create(bobBefore, "Bob", MONDAY), ContactState.ACCEPTED);

        assertHoldsRobertsCard(robert);
        assertThat(held().state()).isEqualTo(ContactState.ACCEPTED);
    }

    @Test
    void theNewerCardIsWhatIsLoadedAfterARestart() {
        ContactCard robert = ContactCard.create(bob, "Robert", TUESDAY);
        book.put(robert, ContactState.ACCEPTED);
        book.put(ContactCard.create(bobBefore, "Bob", MONDAY), ContactState.ACCEPTED);

        book = ContactBook.load(store, alice.peerId(), InstantSource.system());

        assertHoldsRobertsCard(robert);
    }

    /**
     * A history import writes contact rows as its file has them; a row for Bob holding Mallory's card, issued far
     * in the future, would have Alice seal to Mallory and keep Bob's real card out.
     */
    @Test
    void aStoredCardThatIsNotThePeersOwnIsNotTaken() {
        Identity mallory = Identity.generate();
        ContactCard mallorysCard = ContactCard.create(mallory, "Bob", Instant.parse("2099-01-01T00:00:00Z"));
        store.contacts().put(new Contact(bob.peerId().toBase58(), "Bob", mallory.hpkePublicKey(),
                mallorysCard.encode(), ContactState.ACCEPTED, MONDAY, null));

        book = ContactBook.load(store, alice.peerId(), InstantSource.system());
        assertThat(held().card()).isNull();
        ContactCard robert = ContactCard.create(bob, "Robert", TUESDAY);
        book.put(robert, ContactState.ACCEPTED);

        assertHoldsRobertsCard(robert);
    }
}
