package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.ui.actions.ReactionChips;
import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.awt.event.KeyEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JMenuItem;
import javax.swing.JPopupMenu;
import org.assertj.swing.core.MouseButton;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every message action between two windows, Alice's and Bob's, over real engines on loopback: each done with the
 * pointer in one window (right-click, the hover button, the menu, the composer) and seen in the other without a
 * reload. The same actions from the keyboard alone are {@link MessageKeysTest}'s, in a window of its own.
 */
class MessageActionsWindowTest extends WindowTest {
    TestPeer alice;
    TestPeer bob;
    FrameFixture aliceWindow;
    FrameFixture bobWindow;

    @BeforeEach
    void aliceAndBobEachInAWindow() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        bob = TestPeer.start(temp, "Bob");
        TestPeer.befriend(alice, bob);
        aliceWindow = openWindow(alice.engine(), false);
        bobWindow = openWindow(bob.engine(), false);
        GuiActionRunner.execute(() -> {
            bobWindow.target().setLocation(560, 0);
            return true;
        });
    }

    @AfterEach
    void stopEngines() {
        alice.close();
        bob.close();
    }

    @Test
    void replyReactEditDeleteAndForwardInOneWindowShowInTheOther() throws Exception {
        bob.engine().chat().send(alice.peerId(), "rope or no rope?");
        await("Alice has it", () -> has(alice, bob, "rope or no rope?"));
        for (int i = 0; i < 100; i++) {
            bob.engine().chat().send(alice.peerId(), "filler " + i);
        }
        await("Alice has the fillers", () -> has(alice, bob, "filler 99"));
        // Read, so that her window opens on one page (the unread would make it longer).
        alice.engine().chat().markRead(bob.peerId());
        GuiActionRunner.execute(() -> {
            main(aliceWindow).conversationList().reload();
            return true;
        });
        await("Alice's list without unread", () -> main(aliceWindow).conversationList().model().find(bob.peerId())
                .filter(overview -> overview.unread() == 0).isPresent());
        open(aliceWindow, bob);
        open(bobWindow, alice);
        await("the question is beyond Alice's first page", () -> row(aliceWindow, "filler 99").isPresent()
                && row(aliceWindow, "rope or no rope?").isEmpty());

        // Reply: from the menu of a right-click on the bubble; the composer shows the quote, the reply shows it too.
        aliceWindow.focus();
        robot.click(bubble(aliceWindow, "filler 99"), MouseButton.RIGHT_BUTTON);
        clickMenuItem("actionReply");
        await("the composer quotes Bob", () -> panel(aliceWindow).composer().contextText()
                .equals("Replying to Bob: filler 99"));
        aliceWindow.textBox("composer").enterText("the last one\n");
        await("Bob sees the reply with its quote", () -> row(bobWindow, "the last one")
                .filter(reply -> reply.quote().isVisible() && reply.quote().getText().equals("You: filler 99"))
                .isPresent());
        await("Alice's reply shows its quote", () -> row(aliceWindow, "the last one")
                .filter(reply -> reply.quote().getText().equals("Bob: filler 99")).isPresent());
        assertThat(onEdt(() -> panel(aliceWindow).composer().contextText())).isEmpty();

        // React: from the hover button beside the bubble, then the picker.
        robot.moveMouse(bubble(aliceWindow, "filler 99"));
        robot.click(awaitShowing("the hover button shows", () -> row(aliceWindow, "filler 99")
                .map(MessageRow::hoverButton)));
        clickMenuItem("actionReact");
        clickMenuItem("react 👍");
        await("Bob sees Alice's reaction with her name", () -> chip(bobWindow, "filler 99", "👍")
                .filter(chip -> chip.names().equals(List.of("Alice")) && !chip.mine()).isPresent());
        await("Alice's chip is hers", () -> chip(aliceWindow, "filler 99", "👍")
                .filter(ReactionChips.Chip::mine).isPresent());
        assertThat(onEdt(() -> chipButton(bobWindow, "filler 99", "👍").orElseThrow().getToolTipText()))
                .isEqualTo("👍 Alice");
        // A click on her own chip takes it back, on both sides.
        robot.click(awaitShowing("Alice's chip", () -> chipButton(aliceWindow, "filler 99", "👍")));
        await("the reaction gone at Bob's", () -> row(bobWindow, "filler 99")
                .filter(row -> row.chips().chips().isEmpty()).isPresent());

        // Copy text.
        robot.click(bubble(aliceWindow, "filler 98"), MouseButton.RIGHT_BUTTON);
        clickMenuItem("actionCopy");
        await("the text on the clipboard", () -> "filler 98".equals(Toolkit.getDefaultToolkit()
                .getSystemClipboard().getData(DataFlavor.stringFlavor)));

        // Edit: Up in the empty composer takes Alice's last message; the other side shows "edited" and the versions.
        aliceWindow.textBox("composer").focus();
        aliceWindow.textBox("composer").pressAndReleaseKeys(KeyEvent.VK_UP);
        await("the composer edits the last message", () -> panel(aliceWindow).composer().contextText()
                .equals("Editing your message") && aliceWindow.textBox("composer").target().getText()
                .equals("the last one"));
        aliceWindow.textBox("composer").enterText(" (59)\n");
        await("Bob sees the edit", () -> row(bobWindow, "the last one (59)")
                .filter(row -> row.editedMark().isShowing()).isPresent());
        bobWindow.focus();
        robot.click(awaitShowing("Bob's \"edited\"", () -> row(bobWindow, "the last one (59)")
                .map(MessageRow::editedMark)));
        await("the versions shown", () -> panel(bobWindow).actions().versionsDialog()
                .filter(dialog -> dialog.lines().size() == 2 && dialog.lines().get(0).endsWith(": the last one")
                        && dialog.lines().get(1).endsWith(": the last one (59)")).isPresent());
        GuiActionRunner.execute(() -> {
            panel(bobWindow).actions().versionsDialog().orElseThrow().dispose();
            return true;
        });

        // Forward: Alice forwards Bob's message to Bob, picked in the dialog with its filter.
        aliceWindow.focus();
        robot.click(bubble(aliceWindow, "filler 98"), MouseButton.RIGHT_BUTTON);
        clickMenuItem("actionForward");
        DialogFixture forward = WindowFinder.findDialog("forwardDialog").withTimeout(WAIT.toMillis()).using(robot);
        forward.textBox("forwardFilter").enterText("bo");
        await("Bob listed", () -> forward.list("forwardTargets").contents().length == 1);
        press(forward, "Forward");
        await("Bob gets the forward, marked \"Forwarded\" above its bubble", () -> row(bobWindow, "filler 98")
                .filter(row -> row.details().forwarded() && forwardedMarkAbove(row)).isPresent());
        await("Alice's copy is marked too", () -> row(aliceWindow, "filler 98")
                .filter(row -> row.message().outgoing() && forwardedMarkAbove(row)).isPresent());
        assertThat(onEdt(() -> panel(bobWindow).timeline().rows().stream()
                .filter(row -> row.message().text().equals("filler 98") && !row.details().forwarded())
                .allMatch(original -> !original.forwardedMark().isVisible())))
                .as("Bob's original is no forward").isTrue();

        // Delete for everyone, confirmed: Bob's window shows the sentence instead of the text.
        robot.click(bubble(aliceWindow, "the last one (59)"), MouseButton.RIGHT_BUTTON);
        clickMenuItem("actionDeleteForEveryone");
        DialogFixture confirm = WindowFinder.findDialog("confirmDelete").withTimeout(WAIT.toMillis()).using(robot);
        press(confirm, "Delete for everyone");
        await("Bob sees it deleted", () -> panel(bobWindow).timeline().rows().stream().anyMatch(row ->
                row.deleted() && row.textPane().text().equals("This message was deleted")
                        && row.message().text().isEmpty()));
        await("Alice too", () -> row(aliceWindow, "the last one (59)").isEmpty());
        // A deleted message offers only Delete for me.
        bobWindow.focus();
        robot.click(awaitShowing("Bob's deleted message", () -> panel(bobWindow).timeline().rows().stream()
                .filter(MessageRow::deleted).findFirst().map(MessageRow::textPane)), MouseButton.RIGHT_BUTTON);
        await("the menu shows", () -> panel(bobWindow).actions().popup().isPresent());
        assertThat(onEdt(() -> itemNames(panel(bobWindow).actions().popup().orElseThrow())))
                .containsExactly("actionDeleteForMe");
        clickMenuItem("actionDeleteForMe");
        await("Bob's row gone", () -> panel(bobWindow).timeline().rows().stream().noneMatch(MessageRow::deleted));
        assertThat(onEdt(() -> panel(aliceWindow).timeline().rows().stream().anyMatch(MessageRow::deleted)))
                .as("deleting for himself leaves Alice's").isTrue();

        // A reply to a message not loaded: a click on its quote loads the conversation around it and highlights it.
        bob.engine().actions().reply(ref(bob, alice, "rope or no rope?"), "well?");
        await("the reply to the old question shown", () -> row(aliceWindow, "well?")
                .filter(reply -> reply.quote().getText().equals("Bob: rope or no rope?")).isPresent());
        robot.click(awaitShowing("the quote in \"well?\"", () -> row(aliceWindow, "well?").map(MessageRow::quote)));
        await("the original loaded and highlighted", () -> row(aliceWindow, "rope or no rope?")
                .filter(MessageRow::highlighted).isPresent());
    }

    /** Whether {@code row} shows "Forwarded" on screen, just above its bubble and within its sides. */
    private static boolean forwardedMarkAbove(MessageRow row) {
        JLabel mark = row.forwardedMark();
        java.awt.Rectangle bubble = row.bubbleBounds();
        return mark.isShowing() && mark.getText().equals("Forwarded") && mark.getY() + mark.getHeight() <= bubble.y
                && mark.getX() >= bubble.x && mark.getX() + mark.getWidth() <= bubble.x + bubble.width;
    }

    private static List<String> itemNames(JPopupMenu menu) {
        return java.util.Arrays.stream(menu.getComponents()).filter(JMenuItem.class::isInstance)
                .map(java.awt.Component::getName).toList();
    }

    static void open(FrameFixture window, TestPeer with) {
        GuiActionRunner.execute(() -> main(window).openConversation(with.peerId()));
        await("the conversation open", () -> main(window).conversationPanel().timeline().messageCount() > 0);
    }

    static ConversationPanel panel(FrameFixture window) {
        return main(window).conversationPanel();
    }

    static Optional<MessageRow> row(FrameFixture window, String text) {
        return onEdt(() -> panel(window).timeline().rows().stream()
                .filter(row -> row.message().text().equals(text)).reduce((first, second) -> second));
    }

    static Optional<ReactionChips.Chip> chip(FrameFixture window, String text, String emoji) {
        return row(window, text).flatMap(row -> onEdt(() -> Optional.ofNullable(row.chips().byEmoji().get(emoji))));
    }

    static Optional<JButton> chipButton(FrameFixture window, String text, String emoji) {
        return onEdt(() -> row(window, text).flatMap(row -> Arrays.stream(row.chips().getComponents())
                .filter(c -> ("reaction " + emoji).equals(c.getName())).map(JButton.class::cast).findFirst()));
    }

    /** The text of the newest message reading {@code text}, once on screen, for a click right after. */
    static MessageText bubble(FrameFixture window, String text) {
        return awaitBubble("\"" + text + "\" on screen", () -> row(window, text));
    }

    static boolean has(TestPeer peer, TestPeer with, String text) throws EngineException {
        return peer.engine().history().newest(with.peerId(), 100).messages().stream().map(ChatMessage::text)
                .anyMatch(text::equals);
    }

    /** The message reading {@code text} in {@code peer}'s conversation with {@code with}, as actions name it. */
    static dev.parley.app.engine.api.MessageRef ref(TestPeer peer, TestPeer with, String text)
            throws EngineException {
        ChatMessage message = peer.engine().history().newest(with.peerId(), 200).messages().stream()
                .filter(m -> m.text().equals(text)).findFirst().orElseThrow();
        return new dev.parley.app.engine.api.MessageRef(
                new dev.parley.app.engine.api.ConversationRef.Direct(with.peerId()),
                message.outgoing() ? peer.peerId() : with.peerId(), message.id());
    }
}
