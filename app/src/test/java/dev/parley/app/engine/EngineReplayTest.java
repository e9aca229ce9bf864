package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A genuine envelope Bob's engine sealed for Alice, sent to her again on fresh connections and streams. Only a
 * node under Bob's key can carry it (anyone else's stream is reset: the carrier is not the sender), and that is
 * what Bob's own node does when an ack is lost. Whenever the copies come, before the original or after it, Alice
 * acknowledges each, shows and stores the message once, and goes on chatting with Bob; once the copies' connections
 * have closed, her memory budget and resource manager count what they counted before the first came.
 */
class EngineReplayTest extends TwoContactsTest {
    private static final int REPLAYS = 3;

    /** Bob's first message starts the session his later ones go under. */
    private void startTheSession() throws Exception {
        bob.engine.chat().send(alice.peerId(), "hello");
        alice.events.await(EngineEvent.MessageReceived.class, 1);
        bob.awaitOutboxEmptyFor(alice.peerId());
    }

    @Test
    void aDeliveredEnvelopeSentAgainIsAcknowledgedAndShownOnce() throws Exception {
        startTheSession();
        alice.close();
        MessageId id = bob.engine.chat().send(alice.peerId(), "only once");
        byte[] envelope = waitingInBobsOutbox(id);

        try (TestEngine aliceAgain = alice.restart()) {
            aliceAgain.events.await(EngineEvent.MessageReceived.class, 1);
            bob.events.await(EngineEvent.Delivered.class, delivered -> delivered.id().equals(id));
            HostHoldings baseline = HostHoldings.settled(aliceAgain.engine.host());
            for (int i = 0; i < REPLAYS; i++) {
                // Each on a connection of its own, twice on its one stream; sendDirect returns once both are acked.
                try (RecordingPeer bobsKey = new RecordingPeer(bob.identity)) {
                    bobsKey.dial(aliceAgain.engine.listenAddresses().getFirst());
                    bobsKey.sendDirect(aliceAgain.peerId(), List.of(envelope, envelope));
                }
            }
            try (RecordingPeer mallory = new RecordingPeer(Identity.generate())) {
                mallory.dial(aliceAgain.engine.listenAddresses().getFirst());
                assertThatThrownBy(() -> mallory.sendDirect(aliceAgain.peerId(), List.of(envelope)))
                        .as("a stranger replaying Bob's envelope").isInstanceOf(IOException.class)
                        .hasMessageContaining("reset");
            }
            baseline.awaitBackTo(aliceAgain.engine.host(), "the copies' and the stranger's connections closed");

            assertStillChatting(aliceAgain, bob, "only once");
        }
    }

    @Test
    void anEnvelopeSentAgainBeforeTheOriginalArrivesIsShownOnce() throws Exception {
        startTheSession();
        alice.close();
        MessageId id = bob.engine.chat().send(alice.peerId(), "first come");
        byte[] envelope = waitingInBobsOutbox(id);
        bob.close();

        try (TestEngine aliceAgain = alice.restart()) {
            HostHoldings baseline = HostHoldings.settled(aliceAgain.engine.host());
            for (int i = 0; i < REPLAYS; i++) {
                try (RecordingPeer bobsKey = new RecordingPeer(bob.identity)) {
                    bobsKey.dial(aliceAgain.engine.listenAddresses().getFirst());
                    bobsKey.sendDirect(aliceAgain.peerId(), List.of(envelope));
                }
            }
            aliceAgain.events.await(EngineEvent.MessageReceived.class, 1);
            baseline.awaitBackTo(aliceAgain.engine.host(), "the copies' connections closed");

            // Bob's own node, started again, sends the original from its outbox: Alice acknowledges it as the copy.
            try (TestEngine bobAgain = bob.restart()) {
                bobAgain.events.await(EngineEvent.Delivered.class, delivered -> delivered.id().equals(id));
                bobAgain.awaitOutboxEmptyFor(alice.peerId());
                assertStillChatting(aliceAgain, bobAgain, "first come");
            }
        }
    }

    /** The envelope Bob's engine sealed for message {@code id}, as it waits in his outbox: the bytes he sends. */
    private byte[] waitingInBobsOutbox(MessageId id) {
        return bob.engine.store().outbox().pending(alice.peerId().toBase58(), 10).stream()
                .filter(entry -> entry.messageId().equals(id.toString())).findFirst().orElseThrow().envelope();
    }

    /**
     * Bob writes again and Alice answers; Alice has shown and stored {@code replayed} and Bob's new message each
     * once, and reported no error. Her events come in order, so once the new message's is here, any that the copies
     * made would be too.
     */
    private static void assertStillChatting(TestEngine alice, TestEngine bob, String replayed) throws Exception {
        bob.engine.chat().send(alice.peerId(), "still there?");
        alice.events.await(EngineEvent.MessageReceived.class, event -> event.message().text().equals("still there?"));
        assertThat(alice.events.all(EngineEvent.MessageReceived.class)).extracting(event -> event.message().text())
                .containsExactly(replayed, "still there?");
        assertThat(alice.engine.history().newest(bob.peerId(), 10).messages()).extracting(ChatMessage::text)
                .containsExactly("hello", replayed, "still there?");
        assertThat(alice.events.all(EngineEvent.Error.class)).isEmpty();

        alice.engine.chat().send(bob.peerId(), "yes");
        assertThat(bob.events.await(EngineEvent.MessageReceived.class, 1).getFirst().message().text())
                .isEqualTo("yes");
    }
}
