package dev.parley.store;

import static dev.parley.store.TestData.ALICE;
import static dev.parley.store.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the profile keeps of delivery through mailboxes: the one we own, capabilities given and held, held entries. */
class MailboxesTest extends StoreOnDisk {
    private static final OwnMailbox OWN = new OwnMailbox("12D3KooWMailbox", new byte[] {1, 2}, new byte[32], T0);

    @Test
    void pairingKeepsTheMailboxAndAnotherKeyForgetsTheCapabilitiesMintedUnderTheOldOne() {
        assertThat(store.mailboxes().own()).isEmpty();
        store.mailboxes().pair(OWN);
        assertThat(store.mailboxes().own()).hasValueSatisfying(own -> {
            assertThat(own.mailbox()).isEqualTo(OWN.mailbox());
            assertThat(own.addresses()).containsExactly(1, 2);
            assertThat(own.pairedAt()).isEqualTo(T0);
        });
        store.mailboxes().give(grant(ALICE, 1, T0));
        assertThat(store.mailboxes().given(ALICE)).map(GivenGrant::capId).hasValueSatisfying(id ->
                assertThat(id).startsWith(1));

        store.mailboxes().pair(new OwnMailbox(OWN.mailbox(), new byte[0], new byte[] {9}, T0.plusSeconds(1)));
        assertThat(store.mailboxes().given(ALICE)).isEmpty();
        store.mailboxes().give(grant(ALICE, 2, T0));
        store.mailboxes().unpair();
        assertThat(store.mailboxes().own()).isEmpty();
        assertThat(store.mailboxes().given(ALICE)).isEmpty();
        assertThat(store.mailboxes().toRevoke()).isEmpty();
    }

    @Test
    void aContactBlockedAndAcceptedAgainBeforeTheMailboxRevokedKeepsBothCapabilitiesApart() {
        store.mailboxes().pair(OWN);
        store.mailboxes().give(grant(ALICE, 1, T0));
        store.mailboxes().withdraw(ALICE, T0.plusSeconds(1));
        assertThat(store.mailboxes().given(ALICE)).isEmpty();
        store.mailboxes().give(grant(ALICE, 2, T0.plusSeconds(2)));

        assertThat(store.mailboxes().given(ALICE)).map(grant -> grant.capId()[0]).contains((byte) 2);
        List<GivenGrant> toRevoke = store.mailboxes().toRevoke();
        assertThat(toRevoke).extracting(grant -> grant.capId()[0]).containsExactly((byte) 1);
        store.mailboxes().revoked(toRevoke);
        assertThat(store.mailboxes().toRevoke()).isEmpty();
        assertThat(store.mailboxes().given(ALICE)).map(grant -> grant.capId()[0]).contains((byte) 2);
    }

    @Test
    void aContactsCapabilityIsKeptReplacedAndDropped() {
        assertThat(store.mailboxes().held(ALICE)).isEmpty();
        store.mailboxes().hold(ALICE, new byte[] {1}, T0);
        store.mailboxes().hold(ALICE, new byte[] {2}, T0);
        assertThat(store.mailboxes().held(ALICE)).hasValueSatisfying(held -> assertThat(held).containsExactly(2));
        store.mailboxes().dropHeld(ALICE);
        assertThat(store.mailboxes().held(ALICE)).isEmpty();
    }

    @Test
    void anEntryHeldInAMailboxStaysQueuedItsMessageIsSentAndASealAnewHoldsItNowhere() {
        TestData.addAliceChat(store);
        store.messages().insertAndQueueAsync(TestData.outgoing(TestData.CHAT, "m1", 1, "hello"), List.of(ALICE),
                new byte[] {9}, new byte[] {8}).join();
        store.outbox().addAsync("receipt", ALICE, new byte[] {7}, T0).join();
        assertThat(store.outbox().unheld(ALICE, 10)).extracting(OutboxEntry::messageId).containsExactly("m1", "receipt");

        assertThat(store.outbox().holdAsync(List.of("m1", "receipt", "gone"), ALICE, "mailbox M", T0).join())
                .containsExactly("m1");
        assertThat(store.messages().get(TestData.mine("m1")).orElseThrow().state()).isEqualTo(MessageState.SENT);
        assertThat(store.outbox().unheld(ALICE, 10)).isEmpty();
        assertThat(store.outbox().pending(ALICE, 10)).hasSize(2);
        assertThat(store.outbox().heldBy("m1", ALICE)).isEqualTo(Optional.of("mailbox M"));
        assertThat(store.outbox().holdAsync(List.of("m1"), ALICE, "mailbox M", T0).join()).as("again").isEmpty();

        // The session it was sealed under is lost: sealed anew, the copy in the mailbox no longer opens.
        store.outbox().unsealAsync(ALICE).join();
        assertThat(store.outbox().heldBy("m1", ALICE)).isEmpty();
        store.outbox().sealAsync(ALICE, Map.of("m1", new byte[] {10})).join();
        assertThat(store.outbox().unheld(ALICE, 10)).extracting(OutboxEntry::messageId).containsExactly("m1");

        assertThat(store.outbox().acknowledgeAsync("m1", ALICE, T0).join()).isTrue();
        assertThat(store.messages().get(TestData.mine("m1")).orElseThrow().state()).isEqualTo(MessageState.DELIVERED);
    }

    @Test
    void carriedLettersAreKeptAllOrNoneWithinTheQuotasHandedOverInOrderAndExpire() {
        List<byte[]> three = List.of(new byte[100], new byte[100], new byte[100]);
        assertThat(store.carried().hold(ALICE, "ed", three, T0, 1_000, 3)).isTrue();
        assertThat(store.carried().hold(ALICE, "ed", List.of(new byte[1]), T0, 1_000, 3)).as("per recipient").isFalse();
        assertThat(store.carried().hold("bob", "ed", List.of(new byte[701]), T0, 1_000, 3)).as("in all").isFalse();
        assertThat(store.carried().hold("bob", "fay", List.of(new byte[700]), T0.plusSeconds(60), 1_000, 3)).isTrue();
        assertThat(store.carried().bytes()).isEqualTo(1_000);
        assertThat(store.carried().recipients()).containsExactly(ALICE, "bob");

        List<CarriedLetters.Carried> batch = store.carried().forRecipient(ALICE, 10, 150);
        assertThat(batch).as("cut by its bytes after the first").hasSize(1);
        assertThat(store.carried().forRecipient(ALICE, 2, 1 << 20)).hasSize(2);
        store.carried().handedOver(List.of(batch.getFirst().seq()));
        assertThat(store.carried().forRecipient(ALICE, 10, 1 << 20)).extracting(CarriedLetters.Carried::seq)
                .doesNotContain(batch.getFirst().seq()).hasSize(2);

        assertThat(store.carried().expire(T0.plusSeconds(1))).isEqualTo(2);
        assertThat(store.carried().dropFor("fay")).as("what a blocked giver left").isEqualTo(1);
        assertThat(store.carried().bytes()).isZero();
    }

    private static GivenGrant grant(String contact, int id, Instant at) {
        byte[] capId = new byte[16];
        capId[0] = (byte) id;
        return new GivenGrant(contact, OWN.mailbox(), capId, at, Optional.empty());
    }
}
