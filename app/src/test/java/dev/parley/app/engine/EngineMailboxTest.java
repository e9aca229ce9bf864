package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.MailboxStatus;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.app.mailbox.MailboxServer;
import dev.parley.app.mailbox.PairingCode;
import dev.parley.app.node.Node;
import dev.parley.app.node.NodeOptions;
import dev.parley.crypto.MessageId;
import dev.parley.store.MailboxLimits;
import dev.parley.store.MailboxStore;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
    private Node mailboxNode;
    private MailboxStore mailboxStore;
    private MailboxServer mailbox;
    private String pairingCode;

    @BeforeEach
    void startMailbox() throws IOException {
        mailboxNode = new Node(Ed25519PrivateKey.generate(), NodeOptions.lanOnly());
        List<Multiaddr> addresses = mailboxNode.listen(List.of(TestEngine.LOOPBACK));
        mailboxStore = MailboxStore.open(temp.resolve("mailbox").resolve("mailbox.db"));
        mailbox = MailboxServer.start(mailboxNode.host(), mailboxStore, 4, MailboxLimits.defaults(),
                Clock.systemUTC());
        pairingCode = new PairingCode(mailboxNode.host().peerId(), addresses, mailbox.pairingSecret()).toText();
    }

    @AfterEach
    void stopMailbox() {
        mailbox.close();
        mailboxNode.close();
        mailboxStore.close();
    }

    @Test
    void twoHundredMessagesReachAContactNeverOnlineWithTheSenderOnceInOrderAndComeBackDelivered() throws Exception {
        TestEngine ada = TestEngine.start(temp, "Ada");
        TestEngine bo = TestEngine.start(temp, "Bo");
        TestEngine.befriend(ada, bo);
        MailboxStatus paired = bo.engine.mailbox().pair(pairingCode);
        assertThat(paired.mailbox()).contains(mailboxNode.host().peerId());
        ada.engine.mailbox().pair(pairingCode);
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
        ada.close();

        try (TestEngine boAgain = bo.restart()) {
            List<EngineEvent.MessageReceived> received = boAgain.events.await(EngineEvent.MessageReceived.class, 200);
            assertThat(received).extracting(event -> event.message().text())
                    .containsExactlyElementsOf(sent.stream().map(id -> "while you sleep " + sent.indexOf(id)).toList());
            assertThat(boAgain.engine.history().newest(ada.peerId(), 300).messages()).hasSize(200);
            // Deleted from the mailbox once committed; the receipts for Ada go to hers.
            boAgain.events.await(EngineEvent.MailboxChanged.class, changed -> changed.status().fetched() >= 200);
            awaitEverythingHeldElsewhere(boAgain, ada.peerId());
        }

        try (TestEngine adaAgain = ada.restart()) {
            Set<MessageId> delivered = new HashSet<>();
            adaAgain.events.await(EngineEvent.Delivered.class, event -> {
                delivered.add(event.id());
                return delivered.containsAll(sent);
            });
            assertThat(adaAgain.engine.history().newest(bo.peerId(), 200).messages()).extracting(ChatMessage::status)
                    .containsOnly(MessageStatus.DELIVERED);
            adaAgain.awaitOutboxEmptyFor(bo.peerId());
        }
        assertThat(mailbox.deposits()).as("deposits: 200 messages, Bo's receipts").isGreaterThan(200);
        assertThat(mailboxStore.envelopeRows()).as("envelopes left in the mailbox").isZero();
    }

    /** Waits until what {@code engine}'s outbox holds for {@code peer} is all in the peer's mailbox too. */
    private static void awaitEverythingHeldElsewhere(TestEngine engine, PeerId peer) throws InterruptedException {
        long deadline = System.nanoTime() + EventLog.WAIT.toNanos();
        String recipient = peer.toBase58();
        while (engine.engine.store().outbox().count(recipient) == 0
                || !engine.engine.store().outbox().unheld(recipient, 1).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(engine.name + " did not leave what waits for " + peer + " in its mailbox");
            }
            Thread.sleep(Duration.ofMillis(20));
        }
    }
}
