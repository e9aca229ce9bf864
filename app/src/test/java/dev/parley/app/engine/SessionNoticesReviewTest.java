package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.EngineEvent;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A review of the stored "Secure session renewed" notice by attack: a peer that starts session after session tries
 * to make us store notices. A blocked peer's messages are acknowledged and dropped; its sessions are still answered
 * (so that a block leaves no envelope of its stuck), but nothing it does may add a line to our history.
 */
class SessionNoticesReviewTest {
    private static final int RESTORES = 3;

    @TempDir
    Path temp;

    @Test
    void aBlockedPeerCannotMakeUsStoreRenewalNotices() throws Exception {
        try (TestEngine bob = TestEngine.start(temp, "Bob")) {
            TestEngine alice = TestEngine.start(temp, "Alice");
            TestEngine.befriend(alice, bob);
            alice.engine.chat().send(bob.peerId(), "before");
            bob.events.await(EngineEvent.MessageReceived.class, 1);
            bob.engine.chat().send(alice.peerId(), "before, back");
            alice.events.await(EngineEvent.MessageReceived.class, 1);
            bob.engine.contacts().block(alice.peerId());
            alice.close();

            for (int restore = 0; restore < RESTORES; restore++) {
                int restoreNumber = restore;
                try (TestEngine again = TestEngine.at(temp.resolve("Alice-restored-" + restore), alice.identity,
                        "Alice")) {
                    again.engine.contacts().add(bob.engine.invite());
                    again.engine.chat().send(bob.peerId(), "blocked, restored " + restore);
                    // Bob acknowledges a blocked peer's messages: Alice's outbox empties once her start is answered
                    // and her message went under the new session.
                    await(() -> again.engine.deliveredEverythingTo(bob.peerId()),
                            () -> "Alice's restore " + restoreNumber + " still has envelopes for Bob");
                }
            }

            assertThat(bob.engine.history().newest(alice.peerId(), 100).messages())
                    .as("no line in the history with a blocked peer")
                    .filteredOn(message -> message.notice().isPresent()).isEmpty();
            assertThat(bob.events.all(EngineEvent.SessionRenewed.class)).as("nothing shown of a blocked peer")
                    .isEmpty();
        }
    }
}
