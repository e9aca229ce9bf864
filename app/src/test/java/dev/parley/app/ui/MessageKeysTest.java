package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.ui.actions.ReactionPicker;
import java.awt.AWTEvent;
import java.awt.Color;
import java.awt.KeyboardFocusManager;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Toolkit;
import java.awt.event.AWTEventListener;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.swing.JMenuItem;
import javax.swing.MenuElement;
import javax.swing.MenuSelectionManager;
import javax.swing.UIManager;
import org.junit.jupiter.api.Test;

/**
 * The message actions from the keyboard alone, with not one mouse event: Alice's window (the only one, so that Xvfb,
 * which has no window manager, leaves it the keyboard focus) and Bob's engine on loopback. Shift+Tab from the
 * composer reaches the newest message, Up and Down move between messages, Shift+F10 opens the focused one's actions,
 * Escape goes back to the composer, and Up in the empty composer edits Alice's last message.
 */
class MessageKeysTest extends KeyboardWindowTest {
    private static final String QUESTION = "keys only today?";
    private static final String EARLIER = "which way up?";
    private static final String ANSWER = "yes, keys only";

    @Test
    void fromTheKeyboardAloneAMessageIsRepliedToReactedToAndEdited() throws Exception {
        bob.engine().chat().send(alice.peerId(), EARLIER);
        bob.engine().chat().send(alice.peerId(), QUESTION);
        await("Alice has both", () -> has(alice, bob, QUESTION) && has(alice, bob, EARLIER));
        List<MouseEvent> mouse = new CopyOnWriteArrayList<>();
        AWTEventListener clicks = event -> {
            if (event.getID() == MouseEvent.MOUSE_PRESSED || event.getID() == MouseEvent.MOUSE_RELEASED
                    || event.getID() == MouseEvent.MOUSE_CLICKED || event.getID() == MouseEvent.MOUSE_WHEEL) {
                mouse.add((MouseEvent) event);
            }
        };
        Toolkit.getDefaultToolkit().addAWTEventListener(clicks,
                AWTEvent.MOUSE_EVENT_MASK | AWTEvent.MOUSE_WHEEL_EVENT_MASK);
        try {
            chord(CTRL, KeyEvent.VK_K);
            awaitFocusOn("jumpQuery");
            type("bob");
            press(KeyEvent.VK_ENTER);
            awaitOpen(chatWith(bob));
            awaitFocusOn("composer");
            await("both messages shown", () -> row(EARLIER).isPresent() && row(QUESTION).isPresent());

            // Shift+Tab from the composer: the newest message, with a ring around its bubble; the others have none.
            chord(SHIFT, KeyEvent.VK_TAB);
            awaitFocusOnMessage(QUESTION);
            await("the focused bubble has the ring", () -> ringShown(row(QUESTION).orElseThrow()));
            assertThat(onEdt(() -> ringShown(row(EARLIER).orElseThrow()))).as("a ring on another bubble").isFalse();
            press(KeyEvent.VK_UP);
            awaitFocusOnMessage(EARLIER);
            await("the ring moved up", () -> ringShown(row(EARLIER).orElseThrow())
                    && !ringShown(row(QUESTION).orElseThrow()));
            press(KeyEvent.VK_DOWN);
            awaitFocusOnMessage(QUESTION);

            // Reply: Shift+F10 opens the menu on Reply; Enter, then the answer and Enter.
            chord(SHIFT, KeyEvent.VK_F10);
            await("the menu open on Reply", () -> selectedMenuItem().equals(Optional.of("actionReply")));
            press(KeyEvent.VK_ENTER);
            await("replying", () -> panel().composer().contextText().equals("Replying to Bob: " + QUESTION));
            awaitFocusOn("composer");
            type(ANSWER);
            press(KeyEvent.VK_ENTER);
            ChatMessage question = bobsMessage(QUESTION).orElseThrow();
            await("Bob has the answer, quoting his question", () -> bobsMessage(ANSWER)
                    .flatMap(answer -> answer.details().replyTo())
                    .filter(quote -> quote.message().id().equals(question.id())).isPresent());
            await("Alice's answer stored and shown", () -> row(ANSWER).filter(row -> !row.provisional()).isPresent());

            // React: from the composer up to the answer, Up to the question, the menu's second item, the picker's
            // second emoji.
            chord(SHIFT, KeyEvent.VK_TAB);
            awaitFocusOnMessage(ANSWER);
            press(KeyEvent.VK_UP);
            awaitFocusOnMessage(QUESTION);
            chord(SHIFT, KeyEvent.VK_F10);
            await("the menu open on Reply", () -> selectedMenuItem().equals(Optional.of("actionReply")));
            press(KeyEvent.VK_DOWN);
            await("React selected", () -> selectedMenuItem().equals(Optional.of("actionReact")));
            press(KeyEvent.VK_ENTER);
            String heart = ReactionPicker.COMMON.get(1);
            await("the picker open on the first emoji", () -> selectedMenuItem()
                    .equals(Optional.of("react " + ReactionPicker.COMMON.getFirst())));
            press(KeyEvent.VK_DOWN);
            await("the second emoji selected", () -> selectedMenuItem().equals(Optional.of("react " + heart)));
            press(KeyEvent.VK_ENTER);
            await("Bob sees Alice's reaction", () -> bobsMessage(QUESTION)
                    .filter(message -> message.details().reactionCounts().equals(Map.of(heart, 1))).isPresent());

            // Edit: Escape back to the composer, Up in it takes the answer, and Enter sends the new text.
            awaitFocusOnMessage(QUESTION);
            press(KeyEvent.VK_ESCAPE);
            awaitFocusOn("composer");
            press(KeyEvent.VK_UP);
            await("editing the answer", () -> panel().composer().contextText().equals("Editing your message")
                    && window.textBox("composer").target().getText().equals(ANSWER));
            type("!");
            press(KeyEvent.VK_ENTER);
            await("Bob has the edit", () -> bobsMessage(ANSWER + "!")
                    .filter(message -> message.details().edited()).isPresent());
        } finally {
            Toolkit.getDefaultToolkit().removeAWTEventListener(clicks);
        }
        assertThat(mouse).as("mouse events").isEmpty();
    }

    private ConversationPanel panel() {
        return main(window).conversationPanel();
    }

    private Optional<MessageRow> row(String text) {
        return onEdt(() -> panel().timeline().rows().stream().filter(row -> row.message().text().equals(text))
                .findFirst());
    }

    /** Waits until the text of the message reading {@code text} has the keyboard focus. */
    private void awaitFocusOnMessage(String text) {
        await("the focus on \"" + text + "\"", () -> KeyboardFocusManager.getCurrentKeyboardFocusManager()
                .getFocusOwner() instanceof MessageText focused && focused.text().equals(text));
    }

    /** The name of the item selected in the menu or picker open now. */
    private static Optional<String> selectedMenuItem() {
        MenuElement[] path = MenuSelectionManager.defaultManager().getSelectedPath();
        return path.length > 0 && path[path.length - 1] instanceof JMenuItem item && item.isShowing()
                ? Optional.of(item.getName()) : Optional.empty();
    }

    /**
     * Whether the screen shows the focus colour just left of {@code row}'s bubble, where the focus ring goes (no
     * other part of a row paints there). Read on the EDT, after the paints it has queued.
     */
    private static boolean ringShown(MessageRow row) throws java.awt.AWTException {
        Rectangle bubble = row.bubbleBounds();
        Point onScreen = row.getLocationOnScreen();
        Rectangle strip = new Rectangle(onScreen.x + bubble.x - 5, onScreen.y + bubble.y + bubble.height / 2, 5, 1);
        BufferedImage pixels = new java.awt.Robot().createScreenCapture(strip);
        Color focus = UIManager.getColor("Component.focusColor");
        for (int x = 0; x < strip.width; x++) {
            Color seen = new Color(pixels.getRGB(x, 0));
            if (Math.abs(seen.getRed() - focus.getRed()) + Math.abs(seen.getGreen() - focus.getGreen())
                    + Math.abs(seen.getBlue() - focus.getBlue()) < 60) {
                return true;
            }
        }
        return false;
    }

    private Optional<ChatMessage> bobsMessage(String text) throws EngineException {
        return bob.engine().history().newest(alice.peerId(), 20).messages().stream()
                .filter(message -> message.text().equals(text)).findFirst();
    }

    private static boolean has(TestPeer peer, TestPeer with, String text) throws EngineException {
        return peer.engine().history().newest(with.peerId(), 20).messages().stream().map(ChatMessage::text)
                .anyMatch(text::equals);
    }
}
