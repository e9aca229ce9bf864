package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.EngineEvent;
import java.awt.event.KeyEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.junit.jupiter.api.Test;

/**
 * The keys that move about the window: Tab out of the composer and Shift+Tab back, Ctrl+Tab and Alt+Down to the
 * next conversation or room and their reverses, round from the last to the first, and Ctrl+K to jump to one by
 * name.
 */
class ConversationKeysTest extends KeyboardWindowTest {
    @Test
    void tabLeavesTheComposerWithoutTypingATabOrTellingBobAboutTypingAndShiftTabComesBack() throws Exception {
        List<EngineEvent> bobHears = new CopyOnWriteArrayList<>();
        Consumer<EngineEvent> listener = bobHears::add;
        bob.engine().subscribe(listener);
        try {
            window.list("conversations").clickItem(lineOf(bob));
            awaitOpen(chatWith(bob));
            window.textBox("composer").focus();
            awaitFocusOn("composer");

            press(KeyEvent.VK_TAB);
            await("the focus gone from the composer", () -> !"composer".equals(focusOwner().getName()));
            assertThat(window.textBox("composer").text()).isEmpty();
            chord(SHIFT, KeyEvent.VK_TAB);
            awaitFocusOn("composer");
            assertThat(window.textBox("composer").text()).isEmpty();

            // A message sent after the Tab arrives after any typing notice the Tab would have sent.
            alice.engine().chat().send(bob.peerId(), "after the tabs");
            await("Bob has the message", () -> bobHears.stream().anyMatch(event ->
                    event instanceof EngineEvent.MessageReceived received
                            && received.message().text().equals("after the tabs")));
            assertThat(bobHears).noneMatch(event -> event instanceof EngineEvent.Typing);
        } finally {
            bob.engine().unsubscribe(listener);
        }
    }

    @Test
    void ctrlTabAndAltDownGoToTheNextConversationOrRoomRoundToTheFirstAndTheirReversesBack() {
        List<Place> places = places();
        assertThat(places).hasSize(3).endsWith(new Place.Room(bookClub));
        window.list("conversations").clickItem(0);
        awaitOpen(places.get(0));
        window.textBox("composer").focus();
        awaitFocusOn("composer");

        chord(CTRL, KeyEvent.VK_TAB);
        awaitOpen(places.get(1));
        awaitFocusOn("composer");
        chord(ALT, KeyEvent.VK_DOWN);
        awaitOpen(places.get(2));
        awaitFocusOn("roomComposer");
        chord(CTRL, KeyEvent.VK_TAB);
        awaitOpen(places.get(0));
        awaitFocusOn("composer");

        chord(CTRL, SHIFT, KeyEvent.VK_TAB);
        awaitOpen(places.get(2));
        chord(ALT, KeyEvent.VK_UP);
        awaitOpen(places.get(1));
        awaitFocusOn("composer");
        assertThat(window.textBox("composer").text()).isEmpty();

        // In the list the focus stays there, the line moving with the conversation.
        window.list("conversations").focus();
        chord(ALT, KeyEvent.VK_DOWN);
        awaitOpen(places.get(2));
        assertThat(focusOwner().getName()).isEqualTo("conversations");
        chord(CTRL, KeyEvent.VK_TAB);
        awaitOpen(places.get(0));
        assertThat(onEdt(() -> main(window).conversationList().lineTexts().size())).isEqualTo(2);
        assertThat(window.list("conversations").target().getSelectedIndex()).isZero();
    }

    @Test
    void ctrlKFindsAConversationOrRoomByPartOfItsNameAndEnterOpensItWithTheFocusInItsComposer() {
        chord(CTRL, KeyEvent.VK_K);
        DialogFixture jump = WindowFinder.findDialog("jumpDialog").withTimeout(WAIT.toMillis()).using(robot);
        awaitFocusOn("jumpQuery");
        assertThat(lines(jump)).containsExactlyInAnyOrder("Bob, contact", "Carol, contact", "Book club, room");
        type("club");
        await("the room found", () -> lines(jump).equals(List.of("Book club, room")));
        press(KeyEvent.VK_ENTER);
        awaitOpen(new Place.Room(bookClub));
        awaitFocusOn("roomComposer");

        chord(CTRL, KeyEvent.VK_K);
        DialogFixture again = WindowFinder.findDialog("jumpDialog").withTimeout(WAIT.toMillis()).using(robot);
        awaitFocusOn("jumpQuery");
        List<String> everything = lines(again);
        press(KeyEvent.VK_DOWN);
        press(KeyEvent.VK_DOWN);
        press(KeyEvent.VK_DOWN);
        press(KeyEvent.VK_UP);
        press(KeyEvent.VK_ENTER);
        Place second = places().get(1);
        assertThat(everything.get(1)).startsWith(second.equals(chatWith(bob)) ? "Bob" : "Carol");
        awaitOpen(second);
        awaitFocusOn("composer");

        chord(CTRL, KeyEvent.VK_K);
        DialogFixture ranked = WindowFinder.findDialog("jumpDialog").withTimeout(WAIT.toMillis()).using(robot);
        awaitFocusOn("jumpQuery");
        type("c");
        // "Carol" starts with it, "Book club" has a word that does.
        await("both found, the one starting with it first", () -> lines(ranked).equals(List.of("Carol, contact",
                "Book club, room")));
        press(KeyEvent.VK_ENTER);
        awaitOpen(chatWith(carol));
        awaitFocusOn("composer");

        chord(CTRL, KeyEvent.VK_K);
        DialogFixture closed = WindowFinder.findDialog("jumpDialog").withTimeout(WAIT.toMillis()).using(robot);
        awaitFocusOn("jumpQuery");
        type("zz");
        await("nothing found, and it says so", () -> lines(closed).isEmpty()
                && closed.label("jumpStatus").target().getText().startsWith("No contact or room"));
        press(KeyEvent.VK_ESCAPE);
        await("the dialog closed", () -> !closed.target().isShowing());
        awaitOpen(chatWith(carol));
    }

    private static List<String> lines(DialogFixture jump) {
        return onEdt(() -> ((JumpDialog) jump.target()).lineTexts());
    }
}
