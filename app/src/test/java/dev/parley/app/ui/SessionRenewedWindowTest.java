package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ChatNotice;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The notice that a lost session healed, in real windows on two engines over loopback: Bob moves to a new machine
 * (his identity restored on a new profile) while Alice's messages wait for him; the session is renewed, everything
 * waiting is sealed again under it, and each side's window shows one "Secure session renewed" line in the
 * conversation (not one per message sealed again), live in the window that was open and from the history in the one
 * opened after. The line is stored: after a restart of either engine and window it is there once more, worded in
 * the window's language then.
 */
class SessionRenewedWindowTest extends WindowTest {
    private static final int WAITING = 3;

    private final Locale before = Locale.getDefault();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    TestPeer alice;
    TestPeer bob;

    @BeforeEach
    void aliceAndBobChatted() throws Exception {
        Locale.setDefault(Locale.ENGLISH);
        alice = started(TestPeer.start(temp, "Alice"));
        bob = started(TestPeer.start(temp, "Bob"));
        TestPeer.befriend(alice, bob);
        alice.engine().chat().send(bob.peerId(), "before the move");
        bob.engine().chat().send(alice.peerId(), "before the move, back");
        await("both messages delivered, under a session each way", () -> delivered(alice, bob)
                && delivered(bob, alice));
    }

    @AfterEach
    void stopEnginesAndRestoreTheLanguage() throws Exception {
        Locale.setDefault(before);
        for (AutoCloseable each : toClose.reversed()) {
            each.close();
        }
    }

    @Test
    void bothWindowsShowOneRenewalNoticeThatOutlivesARestart() throws Exception {
        FrameFixture aliceWindow = openWindow(alice.engine(), false);
        GuiActionRunner.execute(() -> main(aliceWindow).openConversation(bob.peerId()));
        await("Alice's conversation with Bob open", () -> timelineOf(aliceWindow).messageCount() == 2);
        bob.stopEngine();
        for (int i = 1; i <= WAITING; i++) {
            alice.engine().chat().send(bob.peerId(), "while Bob moves, " + i);
        }

        TestPeer bobRestored = started(TestPeer.restoredAt(temp.resolve("Bob-new-laptop"), bob));
        bobRestored.engine().contacts().add(alice.engine().invite());
        await("every waiting message sealed again and delivered", () -> delivered(alice, bob)
                && bobRestored.engine().history().newest(alice.peerId(), 10).messages().stream()
                        .filter(message -> message.notice().isEmpty()).count() == WAITING);
        await("the notice shown live in Alice's open conversation", () -> notices(aliceWindow).size() == 1);
        FrameFixture bobWindow = openWindow(bobRestored.engine(), false);
        GuiActionRunner.execute(() -> main(bobWindow).openConversation(alice.peerId()));
        await("Bob's conversation with Alice open", () -> timelineOf(bobWindow).messageCount() == WAITING + 1);

        assertThat(onEdt(() -> notices(aliceWindow))).as("one notice for a renewal that sealed %d again", WAITING)
                .containsExactly("Secure session renewed");
        assertThat(onEdt(() -> notices(bobWindow))).containsExactly("Secure session renewed");
        assertThat(onEdt(() -> timelineOf(aliceWindow).newest().orElseThrow().text()))
                .as("after every message it sealed again").isEqualTo("Secure session renewed");
        await("the list's line previews the notice", () -> main(aliceWindow).conversationList().lineTexts()
                .getFirst().endsWith(": Secure session renewed"));
        assertThat(onEdt(() -> main(aliceWindow).conversationList().lineTexts())).singleElement()
                .satisfies(line -> assertThat(line).doesNotContain("unread", "You:"));
        assertThat(alice.engine().contacts().safetyNumber(bob.peerId()).toString()).as("the safety number stays")
                .isEqualTo(bobRestored.engine().contacts().safetyNumber(alice.peerId()).toString());
        screenshot(main(bobWindow).conversationPanel(), "session-renewed-light");

        Locale.setDefault(Locale.GERMAN);
        assertThat(restartedWithItsWindow(alice, aliceWindow, bob.peerId()))
                .as("stored, and worded in German after the restart").containsExactly("Sichere Sitzung erneuert");
        assertThat(restartedWithItsWindow(bobRestored, bobWindow, alice.peerId()))
                .containsExactly("Sichere Sitzung erneuert");
    }

    /**
     * Closes {@code peer}'s window and engine, starts both again with the conversation with {@code other} open, and
     * returns the notices it shows once its history is loaded.
     */
    private List<String> restartedWithItsWindow(TestPeer peer, FrameFixture window, PeerId other) throws Exception {
        int lines = peer.engine().history().newest(other, 50).messages().size();
        GuiActionRunner.execute(() -> window.target().dispose());
        peer.stopEngine();
        peer.startEngine();
        FrameFixture again = openWindow(peer.engine(), false);
        GuiActionRunner.execute(() -> main(again).openConversation(other));
        await("the conversation open again", () -> timelineOf(again).messageCount() == lines);
        List<String> shown = onEdt(() -> notices(again));
        GuiActionRunner.execute(() -> again.target().dispose());
        return shown;
    }

    private TestPeer started(TestPeer peer) {
        toClose.add(peer);
        return peer;
    }

    /** Every message {@code from} wrote to {@code to} is delivered. */
    private static boolean delivered(TestPeer from, TestPeer to) throws Exception {
        List<ChatMessage> ours = from.engine().history().newest(to.peerId(), 50).messages().stream()
                .filter(message -> message.outgoing() && message.notice().isEmpty()).toList();
        return !ours.isEmpty() && ours.stream().allMatch(message -> message.status() == MessageStatus.DELIVERED
                || message.status() == MessageStatus.READ);
    }

    private static Timeline timelineOf(FrameFixture window) {
        return main(window).conversationPanel().timeline();
    }

    /** The notice lines the open conversation shows, as written on screen; each must be a quiet line, not a bubble. */
    private static List<String> notices(FrameFixture window) {
        List<String> shown = new ArrayList<>();
        for (MessageRow row : timelineOf(window).rows()) {
            if (row.message().notice().equals(Optional.of(ChatNotice.SESSION_RENEWED))) {
                assertThat(row.roomLine()).as("shown as a notice line").isNotNull()
                        .satisfies(line -> assertThat(line.notice()).isTrue());
                assertThat(row.textPane().isVisible()).as("no bubble").isFalse();
                assertThat(row.textPane().getAccessibleContext().getAccessibleName()).isEqualTo(row.message().text());
                shown.add(row.message().text());
            }
        }
        return shown;
    }
}
