package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.MessageDetails;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.api.RoomStatus;
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
 * A room worked from the keyboard alone, with not one mouse event: Alice's window (the only one, so that Xvfb, which
 * has no window manager, leaves it the keyboard focus) and Bob's engine, both members of Book club, on loopback.
 * Ctrl+K reaches the room, Enter in its composer sends, Shift+Tab reaches the messages, Up, Down, Home and End move
 * among them, Shift+F10 opens the actions to reply and react, and Escape goes back to the composer: what
 * {@link MessageKeysTest} does in a 1:1 conversation.
 */
class RoomKeysTest extends KeyboardWindowTest {
    private static final String OLDEST = "tonight's chapter?";
    private static final String EARLIER = "I'm on page 40";
    private static final String QUESTION = "who read the ending?";
    private static final String HELLO = "hello, club";
    private static final String ANSWER = "not me, no spoilers";

    @Test
    void fromTheKeyboardAloneAMessageIsWrittenRepliedToAndReactedToInARoom() throws Exception {
        alice.engine().rooms().invite(bookClub, bob.peerId());
        await("Bob invited", () -> bob.engine().rooms().get(bookClub).map(RoomInfo::status)
                .equals(Optional.of(RoomStatus.INVITED)));
        bob.engine().rooms().accept(bookClub);
        await("Bob a member at Alice's", () -> alice.engine().rooms().get(bookClub)
                .map(info -> info.members().size() == 2).orElse(false));
        for (String line : List.of(OLDEST, EARLIER, QUESTION)) {
            bob.engine().rooms().say(bookClub, line);
        }
        await("Alice has Bob's three lines", () -> line(alice, QUESTION).isPresent()
                && line(alice, EARLIER).isPresent() && line(alice, OLDEST).isPresent());
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
            type("book");
            press(KeyEvent.VK_ENTER);
            awaitOpen(new Place.Room(bookClub));
            awaitFocusOn("roomComposer");
            await("Bob's lines shown", () -> row(OLDEST).isPresent() && row(EARLIER).isPresent()
                    && row(QUESTION).isPresent());

            type(HELLO);
            press(KeyEvent.VK_ENTER);
            await("Bob has Alice's line", () -> line(bob, HELLO).isPresent());
            await("and her window shows it stored", () -> row(HELLO).filter(row -> !row.provisional()).isPresent());

            // Shift+Tab: Alice's own line, the newest; then up, to the first and back to the last.
            chord(SHIFT, KeyEvent.VK_TAB);
            awaitFocusOnMessage(HELLO);
            press(KeyEvent.VK_UP);
            awaitFocusOnMessage(QUESTION);
            await("the ring on Bob's question", () -> ringShown(row(QUESTION).orElseThrow()));
            press(KeyEvent.VK_HOME);
            awaitFocusOnMessage(OLDEST);
            press(KeyEvent.VK_DOWN);
            awaitFocusOnMessage(EARLIER);
            press(KeyEvent.VK_END);
            awaitFocusOnMessage(HELLO);
            press(KeyEvent.VK_UP);
            awaitFocusOnMessage(QUESTION);

            // Reply: Shift+F10 opens the menu on Reply; Enter, then the answer and Enter.
            chord(SHIFT, KeyEvent.VK_F10);
            await("the menu open on Reply", () -> selectedMenuItem().equals(Optional.of("actionReply")));
            press(KeyEvent.VK_ENTER);
            await("replying", () -> room().composer().contextText().equals("Replying to Bob: " + QUESTION));
            awaitFocusOn("roomComposer");
            type(ANSWER);
            press(KeyEvent.VK_ENTER);
            RoomMessage question = line(bob, QUESTION).orElseThrow();
            await("Bob has the answer, quoting his question", () -> line(bob, ANSWER)
                    .flatMap(answer -> details(bob, answer).replyTo())
                    .filter(quote -> quote.message().id().equals(question.id())).isPresent());
            await("Alice's answer shown with its quote", () -> row(ANSWER)
                    .filter(row -> !row.provisional() && row.quote().isVisible()).isPresent());

            // React: from the composer to the answer, up past Alice's line to the question, the menu's second item,
            // the picker's second emoji.
            chord(SHIFT, KeyEvent.VK_TAB);
            awaitFocusOnMessage(ANSWER);
            press(KeyEvent.VK_UP);
            awaitFocusOnMessage(HELLO);
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
            await("Bob sees Alice's reaction", () -> line(bob, QUESTION)
                    .filter(line -> details(bob, line).reactionCounts().equals(Map.of(heart, 1))).isPresent());
            await("Alice's window shows her chip", () -> row(QUESTION)
                    .filter(row -> row.chips().byEmoji().containsKey(heart)).isPresent());

            // Escape: back to the composer from the message.
            awaitFocusOnMessage(QUESTION);
            press(KeyEvent.VK_ESCAPE);
            awaitFocusOn("roomComposer");
        } finally {
            Toolkit.getDefaultToolkit().removeAWTEventListener(clicks);
        }
        assertThat(mouse).as("mouse events").isEmpty();
    }

    private RoomConversation room() {
        return main(window).roomPanel().conversation();
    }

    private Optional<MessageRow> row(String text) {
        return onEdt(() -> room().timeline().rows().stream().filter(row -> row.message().text().equals(text))
                .findFirst());
    }

    private Optional<RoomMessage> line(TestPeer peer, String text) throws Exception {
        return peer.engine().rooms().history(bookClub, 50).stream().filter(line -> line.text().equals(text))
                .findFirst();
    }

    private MessageDetails details(TestPeer peer, RoomMessage line) {
        try {
            return peer.engine().actions().details(new MessageRef(new ConversationRef.Room(bookClub), line.sender(),
                    line.id()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
