package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.ui.actions.ReactionPicker;
import java.awt.AWTEvent;
import java.awt.Toolkit;
import java.awt.event.AWTEventListener;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The message actions from the keyboard alone, with not one mouse event: Alice's window (the only one, so that Xvfb,
 * which has no window manager, leaves it the keyboard focus) and Bob's engine on loopback. Shift+Tab from the
 * composer reaches the newest message, Up and Down move between messages, Home and End go to the first and the last,
 * Shift+F10 opens the focused one's actions,
 * Escape goes back to the composer, and Up in the empty composer edits Alice's last message.
 */
class MessageKeysTest extends KeyboardWindowTest {
    private static final String QUESTION = "keys only today?";
    private static final String OLDEST = "morning!";
    private static final String EARLIER = "which way up?";
    private static final String ANSWER = "yes, keys only";

    @Test
    void fromTheKeyboardAloneAMessageIsRepliedToReactedToAndEdited() throws Exception {
        bob.engine().chat().send(alice.peerId(), OLDEST);
        bob.engine().chat().send(alice.peerId(), EARLIER);
        bob.engine().chat().send(alice.peerId(), QUESTION);
        await("Alice has all three", () -> has(alice, bob, QUESTION) && has(alice, bob, EARLIER)
                && has(alice, bob, OLDEST));
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
            await("the three messages shown", () -> row(OLDEST).isPresent() && row(EARLIER).isPresent()
                    && row(QUESTION).isPresent());

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
            // Home and End: the first and the last message, past the one between them.
            press(KeyEvent.VK_HOME);
            awaitFocusOnMessage(OLDEST);
            await("the ring on the first", () -> ringShown(row(OLDEST).orElseThrow()));
            press(KeyEvent.VK_END);
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

    private Optional<ChatMessage> bobsMessage(String text) throws EngineException {
        return bob.engine().history().newest(alice.peerId(), 20).messages().stream()
                .filter(message -> message.text().equals(text)).findFirst();
    }

    private static boolean has(TestPeer peer, TestPeer with, String text) throws EngineException {
        return peer.engine().history().newest(with.peerId(), 20).messages().stream().map(ChatMessage::text)
                .anyMatch(text::equals);
    }
}
