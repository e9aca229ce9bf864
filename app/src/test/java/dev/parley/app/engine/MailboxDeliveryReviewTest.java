package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.app.engine.wire.ChatProtos.DeliveredReceipt;
import dev.parley.app.engine.wire.ChatProtos.MailboxGrant;
import dev.parley.app.mailbox.DepositCapability;
import dev.parley.app.mailbox.InvalidMailboxCodeException;
import dev.parley.app.mailbox.MailboxFrames;
import dev.parley.app.mailbox.MailboxRefusedException;
import dev.parley.app.mailbox.MailboxServer;
import dev.parley.app.mailbox.PairingCode;
import dev.parley.app.mailbox.wire.MailboxProtos.Refused;
import dev.parley.app.node.Node;
import dev.parley.app.node.NodeOptions;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MailboxLetter;
import dev.parley.crypto.MessageId;
import dev.parley.store.MailboxLimits;
import dev.parley.store.MailboxStore;
import dev.parley.store.StoreLimits;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 22c: attacks on the engine's side of mailbox delivery (app/README.md, "Mailboxes in the engine") with real
 * engines, their real stores, and a real mailbox on loopback. A hostile contact is a real engine made to send what
 * its user interface never would (its outbox reached by reflection); a mailbox "away" is the same node with the
 * mailbox protocol's handler removed, so that every request fails as an unreachable mailbox's would.
 */
class MailboxDeliveryReviewTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path temp;
    private LoopbackMailbox mailbox;

    @BeforeEach
    void startMailbox() throws IOException {
        mailbox = LoopbackMailbox.start(temp, 4);
    }

    @AfterEach
    void stopMailbox() {
        mailbox.close();
    }

    // Breaks.

    @Test
    void aContactBlockedWhileTheMailboxIsAwayStaysRevokedThroughAnOfflineUnpairAndPairingAgain() throws Exception {
        try (TestEngine ada = TestEngine.start(temp, "Ada"); TestEngine bo = TestEngine.start(temp, "Bo")) {
            TestEngine.befriend(ada, bo);
            bo.engine.mailbox().pair(mailbox.pairingCode);
            bo.awaitOutboxEmptyFor(ada.peerId());
            DepositCapability adas = ada.capabilityFrom(bo);

            mailbox.takeAway();
            bo.engine.contacts().block(ada.peerId());
            TestEngine.awaitCondition(() -> !bo.engine.store().mailboxes().toRevoke().isEmpty(),
                    "Ada's capability waiting to be revoked");
            bo.engine.mailbox().unpair();
            mailbox.bringBack();
            bo.engine.mailbox().pair(mailbox.pairingCode);
            TestEngine.awaitCondition(() -> bo.engine.mailbox().status().connected(), "Bo watching its mailbox again");

            assertThatThrownBy(() -> LoopbackMailbox.deposit(adas, "from a contact Bo blocked"))
                    .as("a deposit with the capability of a contact Bo blocked")
                    .isInstanceOfSatisfying(MailboxRefusedException.class,
                            refused -> assertThat(refused.reason()).as("revoked, or void under a new key")
                                    .isIn(Refused.Reason.REVOKED, Refused.Reason.BAD_CAPABILITY));
        }
    }

    @Test
    void aContactBlockedAndAcceptedAgainCanBeReachedThroughItsMailboxAgain() throws Exception {
        try (TestEngine ada = TestEngine.start(temp, "Ada"); TestEngine bo = TestEngine.start(temp, "Bo")) {
            TestEngine.befriend(ada, bo);
            ada.engine.mailbox().pair(mailbox.pairingCode);
            ada.awaitOutboxEmptyFor(bo.peerId());
            bo.capabilityFrom(ada);

            bo.engine.contacts().block(ada.peerId());
            bo.engine.contacts().accept(ada.peerId());
            // The two talk again: whatever either side does about it has had its chance.
            MessageId hello = bo.engine.chat().send(ada.peerId(), "friends again");
            bo.events.await(EngineEvent.Delivered.class, delivered -> delivered.id().equals(hello));
            ada.engine.chat().send(bo.peerId(), "friends again too");
            ada.awaitOutboxEmptyFor(bo.peerId());

            TestEngine.awaitCondition(() -> bo.engine.store().mailboxes().held(ada.peerId().toBase58()).isPresent(),
                    "Bo holding a capability to Ada's mailbox again");
        }
    }

    @Test
    void closingTheOwnerWhileItPacesAContactsBacklogDeletesNothingAtTheMailboxThatItDidNotStore() throws Exception {
        int sent = 20;
        TestEngine ada = TestEngine.start(temp, "Ada");
        TestEngine bo = TestEngine.start(temp, "Bo");
        TestEngine.befriend(ada, bo);
        bo.engine.mailbox().pair(mailbox.pairingCode);
        bo.awaitOutboxEmptyFor(ada.peerId());
        ada.awaitOutboxEmptyFor(bo.peerId());
        bo.close();
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            ids.add(ada.engine.chat().send(bo.peerId(), "paced " + i));
        }
        List<MessageId> inMailbox = new ArrayList<>();
        ada.events.await(EngineEvent.InMailbox.class, held -> {
            inMailbox.addAll(held.ids());
            return inMailbox.containsAll(ids);
        });
        ada.close();

        // One message a second once the first is in: Bo's watcher waits on Ada's pace for most of the batch.
        try (TestEngine boAgain = TestEngine.at(bo.profile, bo.identity, bo.name, config -> config.withInboundRate(
                new InboundRate(1, 1, 1 << 30, 1 << 30)))) {
            TestEngine.awaitCondition(() -> messagesWith(boAgain, ada.peerId(), sent) >= 3,
                    "Bo storing the first of Ada's messages");
        }
        long leftInMailbox = mailbox.store.envelopeRows();
        mailbox.takeAway();
        try (TestEngine boOffline = bo.restart()) {
            int stored = messagesWith(boOffline, ada.peerId(), sent);
            assertThat(stored).as("Bo closed while it took the batch").isLessThan(sent);
            assertThat(stored + leftInMailbox).as("Ada's messages Bo stored (" + stored + ") and those its mailbox"
                    + " still holds (" + leftInMailbox + ")").isGreaterThanOrEqualTo(sent);
        }
    }

    @Test
    void whatWasLeftInAMailboxThatDiedReachesTheContactThroughItsNextMailbox() throws Exception {
        Node otherNode = new Node(Ed25519PrivateKey.generate(), NodeOptions.lanOnly());
        MailboxStore otherStore = MailboxStore.open(temp.resolve("other-mailbox").resolve("mailbox.db"));
        MailboxServer other = MailboxServer.start(otherNode.host(), otherStore, 4, MailboxLimits.defaults(),
                Clock.systemUTC());
        try {
            String otherCode = new PairingCode(otherNode.host().peerId(),
                    otherNode.listen(List.of(TestEngine.LOOPBACK)), other.pairingSecret()).toText();
            TestEngine ada = TestEngine.start(temp, "Ada");
            TestEngine bo = TestEngine.start(temp, "Bo");
            TestEngine.befriend(ada, bo);
            bo.engine.mailbox().pair(mailbox.pairingCode);
            ada.engine.mailbox().pair(otherCode);
            bo.awaitOutboxEmptyFor(ada.peerId());
            ada.awaitOutboxEmptyFor(bo.peerId());
            bo.close();
            MessageId stranded = ada.engine.chat().send(bo.peerId(), "left in the mailbox that dies");
            ada.events.await(EngineEvent.InMailbox.class, held -> held.ids().contains(stranded));
            ada.close();

            // Bo's mailbox dies with the letter in it; Bo moves to the mailbox Ada uses, and tells her through it.
            mailbox.takeAway();
            try (TestEngine boMoving = bo.restart()) {
                boMoving.engine.mailbox().unpair();
                boMoving.engine.mailbox().pair(otherCode);
                boMoving.awaitEverythingHeldFor(ada.peerId());
            }
            // Ada takes Bo's new capability from her mailbox; whatever waits for Bo may go to his new one.
            try (TestEngine adaAgain = ada.restart()) {
                TestEngine.awaitCondition(() -> adaAgain.engine.store().mailboxes().held(bo.peerId().toBase58())
                        .map(MailboxDeliveryReviewTest::mailboxOf).filter(otherNode.host().peerId()::equals)
                        .isPresent(), "Ada holding Bo's capability to his new mailbox");
                String newMailbox = "mailbox " + otherNode.host().peerId().toBase58() + " ";
                TestEngine.awaitCondition(() -> adaAgain.engine.store().outbox().heldBy(stranded.toString(),
                        bo.peerId().toBase58()).filter(holder -> holder.startsWith(newMailbox)).isPresent(),
                        "Ada leaving her message in Bo's new mailbox");
            }
            try (TestEngine boAgain = bo.restart()) {
                boAgain.events.await(EngineEvent.MessageReceived.class,
                        received -> received.message().id().equals(stranded));
            }
        } finally {
            other.close();
            otherNode.close();
            otherStore.close();
        }
    }

    // Attacks that hold.

    @Test
    void aReceiptOfFourThousandAndNinetySixIdsNamingAnotherContactsEntriesAcknowledgesNoneOfThem() throws Exception {
        TestEngine cy = TestEngine.start(temp, "Cy");
        try (TestEngine ada = TestEngine.start(temp, "Ada"); TestEngine bo = TestEngine.start(temp, "Bo")) {
            TestEngine.befriend(ada, bo);
            TestEngine.befriend(bo, cy);
            cy.close();
            List<MessageId> forCy = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                forCy.add(bo.engine.chat().send(cy.peerId(), "waiting for Cy " + i));
            }
            String cysEntries = cy.peerId().toBase58();
            TestEngine.awaitCondition(() -> forCy.stream().allMatch(id -> bo.engine.store().outbox().holds(id.toString(), cysEntries)),
                    "Bo's messages for Cy queued");

            // Ada names Cy's entries (ids she could learn from Cy) among 4,096 ids, the most a receipt carries.
            DeliveredReceipt.Builder receipt = DeliveredReceipt.newBuilder();
            forCy.forEach(id -> receipt.addMessageIds(ByteString.copyFrom(id.bytes())));
            while (receipt.getMessageIdsCount() < ChatFrames.MAX_ACK_IDS) {
                receipt.addMessageIds(ByteString.copyFrom(MessageId.timeOrdered(System.currentTimeMillis()).bytes()));
            }
            ada.outgoing().queue(bo.engine.card(), EnvelopeKind.DELIVERED, receipt.build().toByteArray());
            // Bo acknowledges the receipt once what it did with it is committed.
            ada.awaitOutboxEmptyFor(bo.peerId());

            assertThat(forCy).as("Bo's entries for Cy").allMatch(id -> bo.engine.store().outbox().holds(id.toString(),
                    cysEntries));
            assertThat(bo.events.all(EngineEvent.Delivered.class)).isEmpty();
            assertThat(bo.engine.history().newest(cy.peerId(), 10).messages()).extracting(ChatMessage::status)
                    .doesNotContain(MessageStatus.DELIVERED);
        }
    }

    @Test
    void sessionEnvelopesTakenBothWaysAndReplayedOutOfOrderAfterTheSessionMovedOnShowOnceAndRenewNothing()
            throws Exception {
        TestEngine ada = TestEngine.start(temp, "Ada");
        TestEngine bo = TestEngine.start(temp, "Bo");
        try {
            TestEngine.befriend(ada, bo);
            bo.engine.mailbox().pair(mailbox.pairingCode);
            bo.awaitOutboxEmptyFor(ada.peerId());
            DepositCapability adas = ada.capabilityFrom(bo);
            bo.close();
            List<MessageId> early = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                early.add(ada.engine.chat().send(bo.peerId(), "early " + i));
            }
            List<MessageId> held = new ArrayList<>();
            ada.events.await(EngineEvent.InMailbox.class, event -> {
                held.addAll(event.ids());
                return held.containsAll(early);
            });
            // The envelopes in the letters, as whoever could open them would replay them; a mailbox replays the letters.
            List<byte[]> envelopes = new ArrayList<>();
            for (var letter : mailbox.store.fetch(bo.peerId().toBase58(), 0, 100, 1 << 20)) {
                envelopes.add(MailboxLetter.open(bo.identity, letter.envelope()));
            }
            // The messages, and whatever else of the session waited for Bo (a handshake's envelope).
            assertThat(envelopes).hasSizeGreaterThanOrEqualTo(early.size());

            // Bo comes back while Ada is online: each message comes both from the mailbox and directly.
            bo = bo.restart();
            bo.events.await(EngineEvent.MessageReceived.class, early.size());
            ada.awaitOutboxEmptyFor(bo.peerId());
            for (int i = 0; i < 10; i++) {
                MessageId id = (i % 2 == 0 ? ada : bo).engine.chat().send((i % 2 == 0 ? bo : ada).peerId(), "later " + i);
                (i % 2 == 0 ? ada : bo).events.await(EngineEvent.Delivered.class, event -> event.id().equals(id));
            }
            long fetchedBefore = bo.engine.mailbox().status().fetched();

            for (int i = envelopes.size() - 1; i >= 0; i--) {
                LoopbackMailbox.deposit(adas, MailboxLetter.seal(bo.engine.card(), envelopes.get(i)));
            }
            TestEngine owner = bo;
            owner.events.await(EngineEvent.MailboxChanged.class,
                    changed -> changed.status().fetched() >= fetchedBefore + envelopes.size());
            TestEngine.awaitCondition(() -> mailbox.store.envelopeRows() == 0, "the replayed letters taken and deleted");
            // Whatever the replay made Bo send Ada (a receipt, a renewal) has arrived once Bo's outbox is empty.
            owner.awaitOutboxEmptyFor(ada.peerId());

            assertThat(bo.events.all(EngineEvent.MessageReceived.class)).extracting(event -> event.message().id())
                    .doesNotHaveDuplicates().hasSize(early.size() + 5);
            assertThat(messagesWith(bo, ada.peerId(), 100)).isEqualTo(early.size() + 10);
            assertThat(bo.events.all(EngineEvent.SessionRenewed.class)).isEmpty();
            assertThat(ada.events.all(EngineEvent.SessionRenewed.class)).isEmpty();
        } finally {
            bo.close();
            ada.close();
        }
    }

    @Test
    void aMessageTooLargeForAMailboxWaitsWithoutHoldingUpTheOnesAfterIt() throws Exception {
        TestEngine bo = TestEngine.start(temp, "Bo");
        try (TestEngine ada = TestEngine.start(temp, "Ada")) {
            TestEngine.befriend(ada, bo);
            bo.engine.mailbox().pair(mailbox.pairingCode);
            bo.awaitOutboxEmptyFor(ada.peerId());
            bo.close();
            MessageId largest = ada.engine.chat().send(bo.peerId(), "x".repeat(StoreLimits.MAX_BODY_BYTES));
            MessageId small = ada.engine.chat().send(bo.peerId(), "small");
            ada.events.await(EngineEvent.InMailbox.class, held -> held.ids().contains(small));

            assertThat(ada.events.all(EngineEvent.InMailbox.class)).flatExtracting(EngineEvent.InMailbox::ids)
                    .doesNotContain(largest);
            assertThat(ada.engine.store().outbox().holds(largest.toString(), bo.peerId().toBase58())).isTrue();
            assertThat(mailbox.store.fetch(bo.peerId().toBase58(), 0, 10, 1 << 20)).singleElement()
                    .satisfies(letter -> assertThat(letter.envelope().length).isLessThan(MailboxFrames.MAX_ENVELOPE_BYTES));
        }
    }

    @Test
    void anOwnerWhoseMailboxTakesConnectionsAndNeverAnswersStillChatsAndClosesPromptly() throws Exception {
        TestEngine ada = TestEngine.start(temp, "Ada");
        TestEngine bo = TestEngine.start(temp, "Bo");
        try {
            TestEngine.befriend(ada, bo);
            bo.engine.mailbox().pair(mailbox.pairingCode);
            bo.awaitOutboxEmptyFor(ada.peerId());
            bo.events.await(EngineEvent.MailboxChanged.class, changed -> changed.status().connected());

            // The mailbox's address now takes connections and says nothing.
            String[] parts = mailbox.addresses.getFirst().withoutPeerId().toString().split("/");
            int port = Integer.parseInt(parts[parts.length - 1]);
            mailbox.close();
            mailbox.node.close();
            try (ServerSocket silent = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                assertThat(silent.getLocalPort()).isEqualTo(port);
                TestEngine owner = bo;
                TestEngine.awaitCondition(() -> !owner.engine.mailbox().status().connected(), "Bo's watch broken");
                MessageId id = ada.engine.chat().send(bo.peerId(), "still here");
                bo.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(id));
                MessageId reply = bo.engine.chat().send(ada.peerId(), "me too");
                bo.events.await(EngineEvent.Delivered.class, delivered -> delivered.id().equals(reply));

                long closing = System.nanoTime();
                bo.close();
                assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("closing Bo").isLessThan(EventLog.WAIT);
            }
        } finally {
            bo.close();
            ada.close();
        }
    }

    @Test
    void unpairingAndPairingAgainLeavesAContactACapabilityThatWorksAndVoidsTheOldOne() throws Exception {
        try (TestEngine ada = TestEngine.start(temp, "Ada"); TestEngine bo = TestEngine.start(temp, "Bo")) {
            TestEngine.befriend(ada, bo);
            bo.engine.mailbox().pair(mailbox.pairingCode);
            bo.awaitOutboxEmptyFor(ada.peerId());
            DepositCapability before = ada.capabilityFrom(bo);

            bo.engine.mailbox().unpair();
            bo.engine.mailbox().pair(mailbox.pairingCode);
            bo.awaitOutboxEmptyFor(ada.peerId());

            DepositCapability after = ada.capabilityFrom(bo);
            assertThat(after.capId()).isNotEqualTo(before.capId());
            LoopbackMailbox.deposit(after, MailboxLetter.seal(bo.engine.card(), "a letter".getBytes(StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> LoopbackMailbox.deposit(before, "under the key the mailbox forgot"))
                    .isInstanceOf(MailboxRefusedException.class);
        }
    }

    @Test
    void aContactBlockedWhileTheMailboxIsAwayIsRevokedWhenItIsBackAndAcceptedAgainGetsANewCapability()
            throws Exception {
        try (TestEngine ada = TestEngine.start(temp, "Ada"); TestEngine bo = TestEngine.start(temp, "Bo")) {
            TestEngine.befriend(ada, bo);
            bo.engine.mailbox().pair(mailbox.pairingCode);
            bo.awaitOutboxEmptyFor(ada.peerId());
            DepositCapability blocked = ada.capabilityFrom(bo);

            mailbox.takeAway();
            bo.engine.contacts().block(ada.peerId());
            TestEngine.awaitCondition(() -> !bo.engine.store().mailboxes().toRevoke().isEmpty(),
                    "Ada's capability waiting to be revoked");
            bo.engine.contacts().accept(ada.peerId());
            TestEngine.awaitCondition(() -> bo.engine.store().mailboxes().given(ada.peerId().toBase58()).isPresent(),
                    "Ada given a new capability");
            mailbox.bringBack();
            TestEngine.awaitCondition(() -> bo.engine.store().mailboxes().toRevoke().isEmpty(),
                    "the revocation made once the mailbox is back");

            assertThatThrownBy(() -> LoopbackMailbox.deposit(blocked, "with the capability withdrawn by the block"))
                    .isInstanceOfSatisfying(MailboxRefusedException.class,
                            refused -> assertThat(refused.reason()).isEqualTo(Refused.Reason.REVOKED));
            bo.awaitOutboxEmptyFor(ada.peerId());
            DepositCapability renewed = ada.capabilityFrom(bo);
            assertThat(renewed.capId()).isNotEqualTo(blocked.capId());
            LoopbackMailbox.deposit(renewed, MailboxLetter.seal(bo.engine.card(), "a letter".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aCapabilityToAnAddressThatNeverAnswersStallsNoOtherContactAndLeavesNoConnectionOpenAfterClosing()
            throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        try {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // The test ends.
                }
            });
            TestEngine ada = TestEngine.start(temp, "Ada");
            try (TestEngine bo = TestEngine.start(temp, "Bo"); TestEngine cy = TestEngine.start(temp, "Cy")) {
                TestEngine.befriend(ada, bo);
                TestEngine.befriend(ada, cy);
                cy.engine.mailbox().pair(mailbox.pairingCode);
                cy.awaitOutboxEmptyFor(ada.peerId());

                // Bo grants Ada a capability whose "mailbox" takes connections and never says a word.
                byte[] key = new byte[32];
                RANDOM.nextBytes(key);
                DepositCapability nowhere = DepositCapability.mint(key, bo.peerId(),
                        PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey()),
                        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + silent.getLocalPort())));
                bo.outgoing().queue(ada.engine.card(), EnvelopeKind.MAILBOX_GRANT, MailboxGrant.newBuilder()
                        .setCapability(ByteString.copyFrom(nowhere.encode())).build().toByteArray());
                bo.awaitOutboxEmptyFor(ada.peerId());
            }
            // Bo is away: what Ada writes him goes to the "mailbox", which takes the connection and stays silent.
            MessageId toBo = ada.engine.chat().send(ada.engine.contacts().accepted().stream()
                    .filter(contact -> contact.name().equals("Bo")).findFirst().orElseThrow().peer(), "into silence");
            TestEngine.awaitCondition(() -> !accepted.isEmpty(), "Ada's courier connected to the silent address");
            PeerId cyPeer = ada.engine.contacts().accepted().stream().filter(contact -> contact.name().equals("Cy"))
                    .findFirst().orElseThrow().peer();
            MessageId toCy = ada.engine.chat().send(cyPeer, "through Cy's mailbox");
            ada.events.await(EngineEvent.InMailbox.class, held -> held.ids().contains(toCy));
            assertThat(ada.events.all(EngineEvent.InMailbox.class)).flatExtracting(EngineEvent.InMailbox::ids)
                    .doesNotContain(toBo);

            long closing = System.nanoTime();
            ada.close();
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("closing Ada")
                    .isLessThan(EventLog.WAIT);
            for (Socket socket : accepted) {
                socket.setSoTimeout((int) EventLog.WAIT.toMillis());
                try (InputStream in = socket.getInputStream()) {
                    while (in.read() >= 0) {
                        // What Ada's courier wrote before it gave up; the end of the stream is what counts.
                    }
                } catch (IOException reset) {
                    // A reset closes the connection as well.
                }
            }
            silent.close();
            acceptor.join();
        } finally {
            silent.close();
        }
    }

    // Helpers.

    private static int messagesWith(TestEngine engine, PeerId peer, int atMost) {
        try {
            return engine.engine.history().newest(peer, atMost).messages().size();
        } catch (EngineException e) {
            throw new AssertionError(e);
        }
    }

    private static PeerId mailboxOf(byte[] capability) {
        try {
            return DepositCapability.decode(capability).mailbox();
        } catch (InvalidMailboxCodeException e) {
            throw new AssertionError("a held capability does not decode", e);
        }
    }

    /** Waits until what {@code engine}'s outbox holds for {@code peer} is all in the peer's mailbox too. */
    private static void awaitEverythingHeldElsewhere(TestEngine engine, PeerId peer) throws InterruptedException {
        String recipient = peer.toBase58();
        TestEngine.awaitCondition(() -> engine.engine.store().outbox().count(recipient) > 0
                && engine.engine.store().outbox().unheld(recipient, 1).isEmpty(),
                engine.name + " left what waits for " + peer + " in its mailbox");
    }

    /** The engine's outbox, to send what its user interface never would: a hostile contact. */
    private static Outgoing outgoingOf(TestEngine engine) throws ReflectiveOperationException {
        Field field = Engine.class.getDeclaredField("outgoing");
        field.setAccessible(true);
        return (Outgoing) field.get(engine.engine);
    }

    private static DepositCapability heldCapability(TestEngine holder, TestEngine owner) throws Exception {
        return DepositCapability.decode(holder.engine.store().mailboxes().held(owner.peerId().toBase58())
                .orElseThrow(() -> new AssertionError(holder.name + " holds no capability from " + owner.name)));
    }


}
