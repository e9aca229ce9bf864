package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.InviteCode;
import dev.parley.store.Contact;
import org.junit.jupiter.api.Test;

/**
 * Mallory holds an invite code Bob handed out before he renamed himself and got a new HPKE key (say, before he
 * restored his profile from its old libp2p key). She gives it to Alice, who already holds Bob's new card, hoping
 * Alice takes the old card back: Bob's old name, and his old key to seal to.
 */
class CardReplayTest extends TwoContactsTest {

    @Test
    void anOlderInviteCodeReplayedDoesNotBringBackTheOldNameOrKey() throws Exception {
        Identity bobBefore = Identity.fromEd25519(bob.identity.transportKey());
        bob.engine.setDisplayName("Robert");
        alice.engine.contacts().add(bob.engine.invite());
        ContactCard robert = bob.engine.card();
        String oldCode = InviteCode.create(ContactCard.create(bobBefore, "Bob", robert.issuedAt().minusSeconds(3_600)),
                bob.engine.inviteCode().addresses()).toText();

        ContactInfo afterReplay = alice.engine.contacts().add(oldCode);

        assertThat(afterReplay.name()).isEqualTo("Robert");
        assertThat(alice.engine.contacts().get(bob.peerId()).orElseThrow().name()).isEqualTo("Robert");
        Contact stored = alice.engine.store().contacts().get(bob.peerId().toBase58()).orElseThrow();
        assertThat(stored.hpkePublicKey()).isEqualTo(bob.identity.hpkePublicKey());
        alice.engine.chat().send(bob.peerId(), "sealed to the key Bob has now");
        assertThat(bob.events.await(EngineEvent.MessageReceived.class, 1).getFirst().message().text())
                .isEqualTo("sealed to the key Bob has now");
    }

    @Test
    void aCardIssuedAtTheSameTimeDoesNotReplaceTheOneHeld() throws Exception {
        bob.engine.setDisplayName("Robert");
        alice.engine.contacts().add(bob.engine.invite());
        ContactCard robert = bob.engine.card();
        String sameTime = InviteCode.create(ContactCard.create(bob.identity, "Mallory's choice", robert.issuedAt()),
                bob.engine.inviteCode().addresses()).toText();

        alice.engine.contacts().add(sameTime);

        assertThat(alice.engine.contacts().get(bob.peerId()).orElseThrow().name()).isEqualTo("Robert");
    }
}
