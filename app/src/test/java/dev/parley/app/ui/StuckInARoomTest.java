package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.event.KeyEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's "stuck in a room": with Bob's conversation open, Alice opens a room, then goes back to Bob's
 * conversation in the list, with the mouse, the arrow keys, Enter, and the search box. Each way the room goes and
 * Bob's conversation shows, though his line was the list's last choice.
 */
class StuckInARoomTest extends KeyboardWindowTest {
    @BeforeEach
    void bobsConversationThenTheRoomOpen() {
        bobsConversationThenTheRoom();
    }

    @Test
    void aClickOnTheLineOfTheConversationOpenBeforeTheRoomOpensItAgain() {
        window.list("conversations").clickItem(lineOf(bob));
        awaitOpen(chatWith(bob));
    }

    @Test
    void enterOnTheListOpensTheLineTheKeyboardIsOnWhichIsTheConversationOpenBeforeTheRoom() {
        window.list("conversations").focus();
        press(KeyEvent.VK_ENTER);
        awaitOpen(chatWith(bob));
        assertThat(focusOwner().getName()).isEqualTo("conversations");
    }

    @Test
    void theArrowKeysOpenTheLinesTheyMoveToAndBackToTheConversationOpenBeforeTheRoom() {
        window.list("conversations").focus();
        boolean bobFirst = lineOf(bob) == 0;
        press(bobFirst ? KeyEvent.VK_DOWN : KeyEvent.VK_UP);
        awaitOpen(chatWith(carol));
        press(bobFirst ? KeyEvent.VK_UP : KeyEvent.VK_DOWN);
        awaitOpen(chatWith(bob));

        window.list("rooms").focus();
        press(KeyEvent.VK_ENTER);
        awaitOpen(new Place.Room(bookClub));
        window.list("conversations").focus();
        press(bobFirst ? KeyEvent.VK_DOWN : KeyEvent.VK_UP);
        awaitOpen(chatWith(carol));
    }

    @Test
    void enterInTheSearchBoxOpensTheFirstConversationFoundAndDownGoesToTheList() {
        chord(CTRL, KeyEvent.VK_F);
        awaitFocusOn("filter");
        type("bo");
        press(KeyEvent.VK_ENTER);
        awaitOpen(chatWith(bob));

        window.list("rooms").clickItem(0);
        awaitOpen(new Place.Room(bookClub));
        chord(CTRL, KeyEvent.VK_F);
        awaitFocusOn("filter");
        press(KeyEvent.VK_DOWN);
        awaitFocusOn("conversations");
        press(KeyEvent.VK_ENTER);
        awaitOpen(chatWith(bob));

        chord(CTRL, KeyEvent.VK_F);
        awaitFocusOn("filter");
        press(KeyEvent.VK_ESCAPE);
        await("the search box emptied, every conversation listed", () -> main(window).conversationList()
                .filterField().getText().isEmpty() && main(window).conversationList().model().getSize() == 2);
    }
}
