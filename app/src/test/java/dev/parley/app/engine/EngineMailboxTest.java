package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.MailboxStatus;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.app.mailbox.DepositCapability;
import dev.parley.app.mailbox.MailboxRefusedException;
import dev.parley.app.mailbox.wire.MailboxProtos.Refused;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MailboxLetter;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.MailboxEnvelope;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery through mailboxes between engines that are never online at the same time (app/README.md, "Mailboxes in
 * the engine"): a real mailbox on loopback with its own SQLite file, real engines, their real stores.
 */
class EngineMailboxTest {
    @TempDir
    Path temp;
    private LoopbackMailbox mailbox;

    @BeforeEach
    void startMailbox() throws IOException {
        mailbox = LoopbackMailbox.start(temp, 8);
    }

    @AfterEach
    void stopMailbox() {
        mailbox.close();
    }

    @Test
    void twoHundredMessagesReachAContactNeverOnlineWithTheSenderOnceInOrderAndComeBackDelivered() throws Exception {
        TestEngine ada = TestEngine.start(temp, "Ada");
        TestEngine bo = TestEngine.start(temp, "Bo");
        TestEngine.befriend(ada, bo);
        MailboxStatus paired = bo.engine.mailbox().pair(mailbox.pairingCode);
        assertThat(paired.mailbox()).contains(mailbox.node.host().peerId());
        ada.engine.mailbox().pair(mailbox.pairingCode);
        // Each has the other's capability once the grant is acknowledged: it was stored before the ack.
        bo.awaitOutboxEmptyFor(ada.peerId());
        ada.awaitOutboxEmptyFor(bo.peerId());
        bo.close();

        List<MessageId> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add(ada.engine.chat().send(bo.peerId(), "while you sleep " + i));
        }
        Set<MessageId> inMailbox = new HashSet<>();
        ada.events.await(EngineEvent.InMailbox.class, held -> {
            inMailbox.addAll(held.ids());
            return inMailbox.containsAll(sent);
        });
        assertThat(ada.engine.history().newest(bo.peerId(), 200).messages()).extracting(ChatMessage::status)
                .containsOnly(MessageStatus.SENT);
        assertThat(ada.engine.chat().undelivered()).as("nothing waits for Ada to stay online").isEmpty();
        ada.close();

        try (TestEngine boAgain = bo.restart()) {
            List<EngineEvent.MessageReceived> received = boAgain.events.await(EngineEvent.MessageReceived.class, 200);
            assertThat(received).extracting(event -> event.message().text())
                    .containsExactlyElementsOf(sent.stream().map(id -> "while you sleep " + sent.indexOf(id)).toList());
            assertThat(boAgain.engine.history().newest(ada.peerId(), 300).messages()).hasSize(200);
            // Deleted from the mailbox once committed; the receipts for Ada go to hers.
            boAgain.events.await(EngineEvent.MailboxChanged.class, changed -> changed.status().fetched() >= 200);
            boAgain.awaitEverythingHeldFor(ada.peerId());
        }

        try (TestEngine adaAgain = ada.restart()) {
            Set<MessageId> delivered = new HashSet<>();
            adaAgain.events.await(EngineEvent.Delivered.class, event -> {
                delivered.add(event.id());
                return delivered.containsAll(sent);
            });
            assertThat(adaAgain.engine.history().newest(bo.peerId(), 200).messages()).extracting(ChatMessage::status)
                    .containsOnly(MessageStatus.DELIVERED);
            assertThat(adaAgain.engine.store().outbox().count(bo.peerId().toBase58())).isZero();
            // Reported once the batch is deleted at the mailbox (its link to Bo, offline, may still retry a while).
            adaAgain.events.await(EngineEvent.MailboxChanged.class, changed -> changed.status().fetched() >= 1);
        }
        assertThat(mailbox.server().deposits()).as("deposits: 200 messages, Bo's receipts").isGreaterThan(200);
        assertThat(mailbox.store.envelopeRows()).as("envelopes left in the mailbox").isZero();
    }

    @Test
    void aBlockedContactsCapabilityIsRevokedAtTheMailboxAndUnpairingTellsContactsThereIsNone() throws Exception {
        try (TestEngine ada = TestEngine.start(temp, "Ada"); TestEngine bo = TestEngine.start(temp, "Bo");
             TestEngine cy = TestEngine.start(temp, "Cy")) {
            TestEngine.befriend(ada, bo);
            TestEngine.befriend(cy, bo);
            bo.engine.mailbox().pair(mailbox.pairingCode);
            bo.awaitOutboxEmptyFor(ada.peerId());
            bo.awaitOutboxEmptyFor(cy.peerId());
            DepositCapability adas = ada.capabilityFrom(bo);
            DepositCapability cys = cy.capabilityFrom(bo);
            assertThat(adas.capId()).isNotEqualTo(cys.capId());

            bo.engine.contacts().block(ada.peerId());
            TestEngine.awaitCondition(() -> bo.engine.store().mailboxes().toRevoke().isEmpty()
                    && bo.engine.store().mailboxes().given(ada.peerId().toBase58()).isEmpty(), "Ada's capability revoked");
            assertThatThrownBy(() -> LoopbackMailbox.deposit(adas, "from a blocked contact"))
                    .isInstanceOfSatisfying(MailboxRefusedException.class,
                            refused -> assertThat(refused.reason()).isEqualTo(Refused.Reason.REVOKED));
            LoopbackMailbox.deposit(cys, "Cy's still goes in");

            bo.engine.mailbox().unpair();
            assertThat(bo.engine.mailbox().status()).isEqualTo(MailboxStatus.NONE);
            assertThat(mailbox.server().owners()).isEmpty();
            TestEngine.awaitCondition(() -> cy.engine.store().mailboxes().held(bo.peerId().toBase58()).isEmpty(),
                    "Cy told that Bo has no mailbox");
        }
    }

    @Test
    void aGrantThatArrivesWhileItsOwnerIsOnlyARequestIsKeptAndServesOnceAccepted() throws Exception {
        TestEngine ada = TestEngine.start(temp, "Ada");
        TestEngine bo = TestEngine.start(temp, "Bo");
        // Bo adds Ada and writes: to her he is a request when he pairs, and his grant reaches her before she accepts.
        bo.engine.contacts().add(ada.engine.invite());
        bo.engine.chat().send(ada.peerId(), "it's Bo, add me?");
        ada.events.await(EngineEvent.Request.class, 1);
        bo.engine.mailbox().pair(mailbox.pairingCode);
        awaitGrantFrom(bo, ada);
        assertMessageWaitsInMailboxOnceAccepted(ada, bo);
    }

    @Test
    void aGrantThatArrivesBeforeItsOwnersFirstMessageIsKeptAndServesOnceAccepted() throws Exception {
        TestEngine ada = TestEngine.start(temp, "Ada");
        TestEngine bo = TestEngine.start(temp, "Bo");
        bo.engine.mailbox().pair(mailbox.pairingCode);
        // Bo adds Ada: his grant goes at once, to someone for whom he is nobody yet; his first message follows.
        bo.engine.contacts().add(ada.engine.invite());
        TestEngine.awaitCondition(() -> bo.engine.store().mailboxes().given(ada.peerId().toBase58()).isPresent(),
                "Bo granted Ada his mailbox");
        bo.awaitOutboxEmptyFor(ada.peerId());
        assertThat(ada.engine.contacts().requests()).as("Bo is nobody to Ada yet").isEmpty();
        bo.engine.chat().send(ada.peerId(), "it's Bo, add me?");
        ada.events.await(EngineEvent.Request.class, 1);
        awaitGrantFrom(bo, ada);
        assertMessageWaitsInMailboxOnceAccepted(ada, bo);
    }

    private static void awaitGrantFrom(TestEngine owner, TestEngine holder) throws InterruptedException {
        holder.events.await(EngineEvent.ContactMailbox.class, granted -> granted.peer().equals(owner.peerId())
                && granted.hasMailbox());
    }

    /** Ada accepts Bo, who leaves; what she writes waits in his mailbox and reaches him when he is back. */
    private static void assertMessageWaitsInMailboxOnceAccepted(TestEngine ada, TestEngine bo) throws Exception {
        ada.engine.contacts().accept(bo.peerId());
        bo.close();
        MessageId id = ada.engine.chat().send(bo.peerId(), "welcome; you were away");
        ada.events.await(EngineEvent.InMailbox.class, held -> held.ids().contains(id));
        ada.close();
        try (TestEngine boAgain = bo.restart()) {
            boAgain.events.await(EngineEvent.MessageReceived.class,
                    received -> received.message().text().equals("welcome; you were away"));
        }
    }

    @Test
    void whatALyingMailboxServesIsTakenOnceAndOnlyFromContacts() throws Exception {
        TestEngine ada = TestEngine.start(temp, "Ada");
        TestEngine bo = TestEngine.start(temp, "Bo");
        TestEngine.befriend(ada, bo);
        bo.engine.mailbox().pair(mailbox.pairingCode);
        bo.awaitOutboxEmptyFor(ada.peerId());
        ada.awaitOutboxEmptyFor(bo.peerId());
        DepositCapability adas = ada.capabilityFrom(bo);
        ContactCard bosCard = bo.engine.card();
        bo.close();
        MessageId id = ada.engine.chat().send(bo.peerId(), "only once");
        ada.events.await(EngineEvent.InMailbox.class, held -> held.ids().contains(id));
        ada.close();
        List<MailboxEnvelope> held = mailbox.store.fetch(bo.peerId().toBase58(), 0, 10, 1 << 20);
        assertThat(held).hasSize(1);

        // Whoever holds Ada's capability (a mailbox that lies, or Ada's leaked capability) adds: garbage, a letter
        // sealed to someone else, a stranger's envelope in a letter to Bo, and the same letter again, under other
        // bytes a mailbox could not tell apart from a new deposit.
        Identity stranger = Identity.generate();
        byte[] strangers = new TinkEnvelopeSealer().sealDirect(stranger, bosCard, new HeaderFields(
                MessageId.timeOrdered(System.currentTimeMillis()), ConversationId.direct(stranger.peerId(),
                bo.peerId()), 1L << 16, EnvelopeKind.TEXT), Text.newBuilder().setBody("let me in").build()
                .toByteArray()).encode();
        LoopbackMailbox.deposit(adas, "not a letter at all");
        LoopbackMailbox.deposit(adas, MailboxLetter.seal(ada.engine.card(), held.getFirst().envelope()));
        LoopbackMailbox.deposit(adas, MailboxLetter.seal(bosCard, strangers));
        LoopbackMailbox.deposit(adas, MailboxLetter.seal(bosCard, MailboxLetter.open(bo.identity, held.getFirst().envelope())));

        try (TestEngine boAgain = bo.restart()) {
            boAgain.events.await(EngineEvent.MailboxChanged.class, changed -> changed.status().fetched() >= 5);
            TestEngine.awaitCondition(() -> mailbox.store.envelopeRows() == 0, "the mailbox emptied");
            assertThat(boAgain.engine.history().newest(ada.peerId(), 10).messages()).extracting(ChatMessage::text)
                    .containsExactly("only once");
            assertThat(boAgain.events.all(EngineEvent.MessageReceived.class)).hasSize(1);
            assertThat(boAgain.events.all(EngineEvent.Request.class)).isEmpty();
            assertThat(boAgain.engine.contacts().requests()).isEmpty();
        }
    }

    @Test
    void aMessageTheMailboxLosesIsReportedMissingAndArrivesOnceTheTwoMeet() throws Exception {
        TestEngine ada = TestEngine.start(temp, "Ada");
        TestEngine bo = TestEngine.start(temp, "Bo");
        TestEngine.befriend(ada, bo);
        bo.engine.mailbox().pair(mailbox.pairingCode);
        bo.awaitOutboxEmptyFor(ada.peerId());
        ada.awaitOutboxEmptyFor(bo.peerId());
        bo.close();
        List<MessageId> sent = new ArrayList<>();
        for (String text : List.of("one", "two", "three")) {
            sent.add(ada.engine.chat().send(bo.peerId(), text));
        }
        Set<MessageId> held = new HashSet<>();
        ada.events.await(EngineEvent.InMailbox.class, event -> {
            held.addAll(event.ids());
            return held.containsAll(sent);
        });
        ada.close();
        // The mailbox loses "two": the second of Ada's three letters.
        List<MailboxEnvelope> letters = mailbox.store.fetch(bo.peerId().toBase58(), 0, 10, 1 << 20);
        assertThat(letters).hasSize(3);
        mailbox.store.delete(bo.peerId().toBase58(), List.of(letters.get(1).seq()), Instant.now());

        TestEngine boAgain = bo.restart();
        try {
            assertThat(boAgain.events.await(EngineEvent.MessagesMissing.class, 1).getFirst())
                    .isEqualTo(new EngineEvent.MessagesMissing(ada.peerId(), 1));
            assertThat(boAgain.engine.history().newest(ada.peerId(), 10).messages()).extracting(ChatMessage::text)
                    .containsExactly("one", "three");
            try (TestEngine adaAgain = ada.restart()) {
                boAgain.events.await(EngineEvent.MessageReceived.class, 3);
                assertThat(boAgain.engine.history().newest(ada.peerId(), 10).messages()).extracting(ChatMessage::text)
                        .containsExactly("one", "two", "three");
                Set<MessageId> delivered = new HashSet<>();
                adaAgain.events.await(EngineEvent.Delivered.class, event -> {
                    delivered.add(event.id());
                    return delivered.containsAll(sent);
                });
            }
        } finally {
            boAgain.close();
        }
    }

    @Test
    void aRoomOfFiveWhereThreeMembersAreNeverOnlineTogetherConverges() throws Exception {
        List<TestEngine> five = new ArrayList<>();
        for (String name : List.of("Ada", "Bo", "Cy", "Di", "Ed")) {
            five.add(TestEngine.start(temp, name));
        }
        try {
            for (int i = 0; i < five.size(); i++) {
                for (int j = i + 1; j < five.size(); j++) {
                    TestEngine.befriend(five.get(i), five.get(j));
                }
                five.get(i).engine.mailbox().pair(mailbox.pairingCode);
            }
            RoomId room = five.getFirst().engine.rooms().create("Night shift").id();
            for (TestEngine other : five.subList(1, 5)) {
                five.getFirst().engine.rooms().invite(room, other.peerId());
            }
            for (TestEngine other : five.subList(1, 5)) {
                other.events.await(EngineEvent.RoomInvitation.class, invitation -> invitation.room().id().equals(room));
                other.engine.rooms().accept(room);
            }
            for (TestEngine member : five) {
                member.engine.rooms().say(room, "hello from " + member.name);
            }
            for (TestEngine member : five) {
                awaitRoomTexts(member, room, five.stream().map(m -> "hello from " + m.name).toList());
                for (TestEngine other : five) {
                    if (other != member) {
                        member.awaitOutboxEmptyFor(other.peerId());
                    }
                }
            }
            for (int i = 0; i < five.size(); i++) {
                five.get(i).close();
            }

            // Cy, Di and Ed are never online together, nor anyone else while they are.
            List<String> written = new ArrayList<>();
            for (int i = 2; i < 5; i++) {
                TestEngine member = five.get(i).restart();
                five.set(i, member);
                awaitRoomTexts(member, room, written);
                long before = mailbox.server().deposits();
                member.engine.rooms().say(room, "while the others sleep, from " + member.name);
                written.add("while the others sleep, from " + member.name);
                TestEngine.awaitCondition(() -> mailbox.server().deposits() >= before + 4, member.name + "'s line in four mailboxes");
                member.close();
            }
            for (int i = 0; i < 5; i++) {
                TestEngine member = five.get(i).restart();
                five.set(i, member);
                awaitRoomTexts(member, room, written);
                member.close();
            }
        } finally {
            five.forEach(TestEngine::close);
        }
    }

    /** Waits until {@code member} holds each of {@code texts} in the room. */
    private static void awaitRoomTexts(TestEngine member, RoomId room, List<String> texts) throws InterruptedException {
        TestEngine.awaitCondition(() -> {
            try {
                return member.engine.rooms().history(room, 1_000).stream().map(RoomMessage::text).toList()
                        .containsAll(texts);
            } catch (EngineException e) {
                throw new AssertionError(e);
            }
        }, member.name + " holds " + texts);
    }

    private DepositCapability heldCapability(TestEngine holder, TestEngine owner) throws Exception {
        return DepositCapability.decode(holder.engine.store().mailboxes().held(owner.peerId().toBase58())
                .orElseThrow(() -> new AssertionError(holder.name + " holds no capability from " + owner.name)));
    }



    /** Waits until what {@code engine}'s outbox holds for {@code peer} is all in the peer's mailbox too. */
    private static void awaitEverythingHeldElsewhere(TestEngine engine, PeerId peer) throws InterruptedException {
        String recipient = peer.toBase58();
        TestEngine.awaitCondition(() -> engine.engine.store().outbox().count(recipient) > 0
                && engine.engine.store().outbox().unheld(recipient, 1).isEmpty(),
                engine.name + " left what waits for " + peer + " in its mailbox");
    }
}
