package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.formdev.flatlaf.FlatLaf;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.MessageRef;
import java.util.Locale;
import java.util.Optional;
import org.assertj.swing.core.MouseButton;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Message actions on screen, saved to app/target/screenshots/: a conversation with a reply and its quote,
 * reactions, an edited and a deleted message, with the action menu open (actions-menu-light.png, -dark, -de) and
 * the reaction picker open (actions-picker-light.png).
 */
class MessageActionsScreenshotsTest extends AliceAndBobWindowTest {
    private final Locale before = Locale.getDefault();

    @AfterEach
    void restoreLocale() {
        Locale.setDefault(before);
    }

    @Test
    void theActionsLightDarkAndInGerman() throws Exception {
        aConversationWithEveryAction();
        shoot(window, "light");
        robot.pressAndReleaseKeys(java.awt.event.KeyEvent.VK_ESCAPE);
        robot.click(awaitBubble("the question", () -> row(window, "Shall we climb on Saturday?")),
                MouseButton.RIGHT_BUTTON);
        clickMenuItem("actionReact");
        await("the picker open", () -> main(window).conversationPanel().actions().popup()
                .filter(popup -> "reactionPicker".equals(popup.getName())).isPresent());
        robot.waitForIdle();
        screenshot(window.target(), "actions-picker-light");
        robot.pressAndReleaseKeys(java.awt.event.KeyEvent.VK_ESCAPE);

        GuiActionRunner.execute(() -> {
            Theme.install(true);
            FlatLaf.updateUI();
        });
        shoot(window, "dark");
        robot.pressAndReleaseKeys(java.awt.event.KeyEvent.VK_ESCAPE);
        GuiActionRunner.execute(() -> window.target().dispose());

        Locale.setDefault(Locale.GERMAN);
        FrameFixture german = openWindow(alice.engine(), false);
        await("Bob listed", () -> main(german).conversationList().model().getSize() == 1);
        GuiActionRunner.execute(() -> main(german).openConversation(bob.peerId()));
        await("the conversation shown", () -> main(german).conversationPanel().timeline().messageCount() == 5);
        awaitReadInTheList(german);
        shoot(german, "de");
        assertThat(onEdt(() -> row(german, "").orElseThrow().textPane().text()))
                .isEqualTo("Diese Nachricht wurde gelöscht");
    }

    private void aConversationWithEveryAction() throws Exception {
        MessageRef question = bobSays("Shall we climb on Saturday?");
        aliceSeesIt("Shall we climb on Saturday?");
        MessageRef answer = new MessageRef(new ConversationRef.Direct(bob.peerId()), alice.peerId(),
                alice.engine().actions().reply(question, "Yes! Which crag?"));
        MessageRef plan = bobSays("Frankenjura, 9 o'clock");
        aliceSeesIt("Frankenjura, 9 o'clock");
        bob.engine().actions().edit(asBobsOwn(plan), "Frankenjura, 8 o'clock at the car park");
        MessageRef oops = bobSays("that was for Carol, sorry");
        aliceSeesIt("that was for Carol, sorry");
        bob.engine().actions().deleteForEveryone(asBobsOwn(oops));
        MessageRef last = bobSays("bring the long rope");
        aliceSeesIt("bring the long rope");
        alice.engine().actions().react(question, "👍");
        alice.engine().actions().react(plan, "❤️");
        await("Bob has Alice's reply", () -> bob.engine().history().newest(alice.peerId(), 20).messages().stream()
                .anyMatch(m -> m.text().equals("Yes! Which crag?")));
        bob.engine().actions().react(fromAlice(answer), "😂");
        await("everything arrived", () -> alice.engine().history().newest(bob.peerId(), 10).messages().stream()
                .anyMatch(m -> m.details().deleted()) && alice.engine().history().newest(bob.peerId(), 10)
                .messages().stream().anyMatch(m -> m.details().edited()) && alice.engine().history()
                .newest(bob.peerId(), 10).messages().stream().anyMatch(m -> m.text().equals("Yes! Which crag?")
                        && m.details().reactionCounts().equals(java.util.Map.of("😂", 1))));
        // Opened in the window, which marks it read itself: no unread badge on the open conversation in the shots.
        GuiActionRunner.execute(() -> main(window).openConversation(bob.peerId()));
        await("the conversation shown", () -> main(window).conversationPanel().timeline().messageCount() == 5);
        awaitReadInTheList(window);
        assertThat(last).isNotNull();
    }

    /** Waits until the list shows Bob's conversation with nothing unread, and the title no count. */
    private void awaitReadInTheList(FrameFixture shown) {
        await("Bob's conversation read in the list", () -> main(shown).conversationList().model().find(bob.peerId())
                .filter(line -> line.unread() == 0).isPresent() && !shown.target().getTitle().startsWith("("));
    }

    /** Bob's message as Bob's engine names it. */
    private MessageRef asBobsOwn(MessageRef message) {
        return new MessageRef(new ConversationRef.Direct(alice.peerId()), bob.peerId(), message.id());
    }

    /** Alice's reply as Bob's engine names it. */
    private MessageRef fromAlice(MessageRef answer) {
        return new MessageRef(new ConversationRef.Direct(alice.peerId()), alice.peerId(), answer.id());
    }

    private MessageRef bobSays(String text) throws Exception {
        return new MessageRef(new ConversationRef.Direct(bob.peerId()), bob.peerId(),
                bob.engine().chat().send(alice.peerId(), text));
    }

    private void aliceSeesIt(String text) {
        await("Alice has " + text, () -> alice.engine().history().newest(bob.peerId(), 20).messages().stream()
                .map(ChatMessage::text).anyMatch(text::equals));
    }

    /** The window with the menu of Bob's edited message open. */
    private void shoot(FrameFixture shown, String variant) {
        robot.waitForIdle();
        robot.click(awaitBubble("Bob's edited message", () -> row(shown, "Frankenjura, 8 o'clock at the car park")),
                MouseButton.RIGHT_BUTTON);
        await("the menu open", () -> main(shown).conversationPanel().actions().popup().isPresent());
        robot.waitForIdle();
        screenshot(shown.target(), "actions-menu-" + variant);
    }

    private static Optional<MessageRow> row(FrameFixture shown, String text) {
        return onEdt(() -> main(shown).conversationPanel().timeline().rows().stream()
                .filter(row -> row.message().text().equals(text)).findFirst());
    }
}
