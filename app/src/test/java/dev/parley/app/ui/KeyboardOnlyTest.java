package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineException;
import java.awt.AWTEvent;
import java.awt.Component;
import java.awt.Toolkit;
import java.awt.event.AWTEventListener;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A whole conversation from the keyboard, with not one mouse event: Alice's window, Bob and Carol on loopback. */
class KeyboardOnlyTest extends KeyboardWindowTest {
    @Test
    void aliceOpensBobsConversationWritesToHimGoesToCarolsAndBackAndWritesAgainWithTheKeyboardAlone()
            throws Exception {
        List<MouseEvent> mouse = new CopyOnWriteArrayList<>();
        AWTEventListener clicks = event -> {
            if (event.getID() == MouseEvent.MOUSE_PRESSED || event.getID() == MouseEvent.MOUSE_RELEASED
                    || event.getID() == MouseEvent.MOUSE_CLICKED || event.getID() == MouseEvent.MOUSE_WHEEL
                    || event.getID() == MouseEvent.MOUSE_DRAGGED) {
                mouse.add((MouseEvent) event);
            }
        };
        Toolkit.getDefaultToolkit().addAWTEventListener(clicks,
                AWTEvent.MOUSE_EVENT_MASK | AWTEvent.MOUSE_MOTION_EVENT_MASK | AWTEvent.MOUSE_WHEEL_EVENT_MASK);
        try {
            chord(CTRL, KeyEvent.VK_K);
            awaitFocusOn("jumpQuery");
            type("bob");
            press(KeyEvent.VK_ENTER);
            awaitOpen(chatWith(bob));
            awaitFocusOn("composer");
            type("hello Bob, no mouse today");
            press(KeyEvent.VK_ENTER);
            await("Bob has it", () -> has(bob, "hello Bob, no mouse today"));
            ConversationPanel open = main(window).conversationPanel();
            await("its bubble shown, delivered", () -> open.timeline().rows().stream().anyMatch(row ->
                    row.message().text().equals("hello Bob, no mouse today")
                            && row.description().endsWith("Delivered")));

            // To Carol's conversation through the list: the search box, Down into the list, the arrow to her line,
            // then Tab on to her composer.
            chord(CTRL, KeyEvent.VK_F);
            awaitFocusOn("filter");
            press(KeyEvent.VK_DOWN);
            awaitFocusOn("conversations");
            press(lineOf(carol) > lineOf(bob) ? KeyEvent.VK_DOWN : KeyEvent.VK_UP);
            awaitOpen(chatWith(carol));
            tabToTheComposer();
            type("hi Carol");
            press(KeyEvent.VK_ENTER);
            await("Carol has it", () -> has(carol, "hi Carol"));

            // And back to Bob's with Alt and an arrow, the focus following into his composer.
            int step = places().indexOf(chatWith(bob)) - places().indexOf(chatWith(carol));
            chord(ALT, step > 0 ? KeyEvent.VK_DOWN : KeyEvent.VK_UP);
            awaitOpen(chatWith(bob));
            awaitFocusOn("composer");
            await("the earlier message still there", () -> open.timeline().rows().stream()
                    .anyMatch(row -> row.message().text().equals("hello Bob, no mouse today")));
            type("and back again");
            press(KeyEvent.VK_ENTER);
            await("Bob has the second", () -> has(bob, "and back again"));
            assertThat(window.textBox("composer").text()).isEmpty();
        } finally {
            Toolkit.getDefaultToolkit().removeAWTEventListener(clicks);
        }
        assertThat(mouse).as("mouse events").isEmpty();
    }

    /**
     * Presses Tab until the focus is in the composer, as a user would, one press at a time: each waits until the focus
     * has left where it was. Fails if it never gets there, naming the way the focus went (once in CI the focus was
     * still in the list after 30 presses).
     */
    private void tabToTheComposer() {
        ConversationPanel open = main(window).conversationPanel();
        await("the composer enabled", () -> onEdt(() -> open.composer().reason().isEmpty()));
        List<String> way = new ArrayList<>();
        for (int i = 0; i < 30 && !"composer".equals(focusOwner().getName()); i++) {
            Component before = focusOwner();
            way.add(before == null ? "nothing" : before.getClass().getSimpleName() + " " + before.getName());
            press(KeyEvent.VK_TAB);
            await("Tab to move the focus on from " + way.getLast() + " (the way so far: " + way + ")",
                    () -> focusOwner() != before);
        }
        assertThat(focusOwner().getName()).as("where Tab took the focus: " + way).isEqualTo("composer");
    }

    private boolean has(TestPeer peer, String text) throws EngineException {
        return peer.engine().history().newest(alice.peerId(), 10).messages().stream().map(ChatMessage::text)
                .anyMatch(text::equals);
    }
}
