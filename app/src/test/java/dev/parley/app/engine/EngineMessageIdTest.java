package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.engine.wire.ChatProtos.ReadReceipt;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.InviteCode;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.TinkEnvelopeSealer;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Message ids are chosen by senders, so a contact can put anyone's id in its envelopes. Mallory, a contact of Bob,
 * tries with genuinely sealed and signed envelopes: claiming the id of Alice's message before it reaches Bob, and
 * sending a read receipt for Bob's message to Alice. Neither touches what Alice and Bob have.
 */
class EngineMessageIdTest extends TwoContactsTest {
    private final Identity mallory = Identity.generate();
    private RecordingPeer malloryNode;

    @BeforeEach
    void bobHasMalloryAsAContact() throws Exception {
        bob.engine.contacts().add(InviteCode.create(ContactCard.create(mallory, "Mallory"), List.of()).toText());
        malloryNode = new RecordingPeer(mallory);
    }

    @AfterEach
    void stopMallory() {
        malloryNode.close();
    }

    @Test
    void aContactWhoSendsTheIdOfAnotherContactsMessageFirstDoesNotSuppressIt() throws Exception {
        bob.close();
        MessageId alices = alice.engine.chat().send(bob.peerId(), "the genuine message");
        alice.close();

        try (TestEngine bobAgain = bob.restart()) {
            // Mallory has learnt the id (she shares a room with Alice, say) and gets her message in first.
            malloryNode.dial(bobAgain.engine.listenAddresses().getFirst());
            malloryNode.sendDirect(bobAgain.peerId(), List.of(sealedByMallory(bobAgain, alices, EnvelopeKind.TEXT,
                    Text.newBuilder().setBody("Mallory's claim").build().toByteArray())));
            EngineEvent.MessageReceived claim = bobAgain.events.await(EngineEvent.MessageReceived.class, 1).getFirst();
            assertThat(claim.message().peer()).isEqualTo(mallory.peerId());

            try (TestEngine aliceAgain = alice.restart()) {
                EngineEvent.MessageReceived genuine = bobAgain.events.await(EngineEvent.MessageReceived.class,
                        event -> event.message().peer().equals(alice.peerId()));
                assertThat(genuine.message().id()).isEqualTo(alices);
                assertThat(genuine.message().text()).isEqualTo("the genuine message");
                aliceAgain.events.await(EngineEvent.Delivered.class, event -> event.id().equals(alices));
            }
            assertThat(bobAgain.engine.history().newest(alice.peerId(), 10).messages())
                    .extracting(ChatMessage::id, ChatMessage::text)
                    .containsExactly(tuple(alices, "the genuine message"));
            assertThat(bobAgain.engine.history().newest(mallory.peerId(), 10).messages())
                    .extracting(ChatMessage::id, ChatMessage::text)
                    .containsExactly(tuple(alices, "Mallory's claim"));
            assertThat(bobAgain.events.all(EngineEvent.MessageReceived.class)).hasSize(2);
        }
    }

    @Test
    void aReadReceiptFromAnotherContactNamingOurMessageToAliceMarksNothing() throws Exception {
        MessageId toAlice = bob.engine.chat().send(alice.peerId(), "for Alice only");
        bob.events.await(EngineEvent.Delivered.class, event -> event.id().equals(toAlice));

        malloryNode.dial(bob.engine.listenAddresses().getFirst());
        byte[] receipt = ReadReceipt.newBuilder().addMessageIds(ByteString.copyFrom(toAlice.bytes())).build()
                .toByteArray();
        // Bob acknowledges the receipt once he has dealt with it.
        malloryNode.sendDirect(bob.peerId(), List.of(sealedByMallory(bob,
                MessageId.timeOrdered(System.currentTimeMillis()), EnvelopeKind.READ, receipt)));

        assertThat(bob.engine.history().newest(alice.peerId(), 10).messages()).extracting(ChatMessage::status)
                .containsExactly(MessageStatus.DELIVERED);
        assertThat(bob.events.all(EngineEvent.Read.class)).isEmpty();

        // Alice's own receipt for it is the one that counts.
        alice.events.await(EngineEvent.MessageReceived.class, 1);
        alice.engine.chat().markRead(bob.peerId());
        EngineEvent.Read read = bob.events.await(EngineEvent.Read.class, 1).getFirst();
        assertThat(read.peer()).isEqualTo(alice.peerId());
        assertThat(read.ids()).containsExactly(toAlice);
        assertThat(bob.engine.history().newest(alice.peerId(), 10).messages()).extracting(ChatMessage::status)
                .containsExactly(MessageStatus.READ);
    }

    /** A 1:1 envelope Mallory seals and signs to {@code to} as any client would, with an id of her choosing. */
    private byte[] sealedByMallory(TestEngine to, MessageId id, EnvelopeKind kind, byte[] payload)
            throws EnvelopeException {
        HeaderFields fields = new HeaderFields(id, ConversationId.direct(mallory.peerId(), to.peerId()),
                new HybridClock(InstantSource.system()).now(), kind);
        return new TinkEnvelopeSealer().sealDirect(mallory, to.engine.card(), fields, payload).encode();
    }
}
