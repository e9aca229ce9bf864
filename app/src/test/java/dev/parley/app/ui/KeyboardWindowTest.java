package dev.parley.app.ui;

import dev.parley.crypto.RoomId;
import java.awt.Color;
import java.awt.Component;
import java.awt.KeyboardFocusManager;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.event.KeyEvent;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;
import javax.swing.JMenuItem;
import javax.swing.MenuElement;
import javax.swing.MenuSelectionManager;
import javax.swing.UIManager;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Alice's window with two contacts, Bob and Carol, and a room, Book club, driven as a user does; engines on
 * loopback. The base of the tests that move between conversations and work the window from the keyboard, with what
 * they look for: the focused message, the selected menu item, the focus ring.
 */
abstract class KeyboardWindowTest extends WindowTest {
    static final int CTRL = KeyEvent.VK_CONTROL;
    static final int SHIFT = KeyEvent.VK_SHIFT;
    static final int ALT = KeyEvent.VK_ALT;

    TestPeer alice;
    TestPeer bob;
    TestPeer carol;
    RoomId bookClub;
    FrameFixture window;

    @BeforeEach
    void aliceWithTwoContactsAndARoom() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        bob = TestPeer.start(temp, "Bob");
        carol = TestPeer.start(temp, "Carol");
        TestPeer.befriend(alice, bob);
        TestPeer.befriend(alice, carol);
        bookClub = alice.engine().rooms().create("Book club").id();
        window = openWindow(alice.engine(), false);
        await("both contacts and the room listed", () -> main(window).conversationList().model().getSize() == 2
                && main(window).roomList().rooms().size() == 1);
    }

    @AfterEach
    void stopEngines() {
        alice.close();
        bob.close();
        carol.close();
    }

    /** Opens Bob's conversation, then the room, with clicks on their lines. */
    void bobsConversationThenTheRoom() {
        window.list("conversations").clickItem(lineOf(bob));
        awaitOpen(chatWith(bob));
        window.list("rooms").clickItem(0);
        awaitOpen(new Place.Room(bookClub));
    }

    /** Presses {@code keys} together, as fingers do: each down in turn, then up in the reverse order. */
    void chord(int... keys) {
        for (int key : keys) {
            robot.pressKey(key);
        }
        for (int i = keys.length - 1; i >= 0; i--) {
            robot.releaseKey(keys[i]);
        }
        robot.waitForIdle();
    }

    void press(int key) {
        chord(key);
    }

    /** Types {@code text} with the keyboard into whatever has the focus. */
    void type(String text) {
        robot.enterText(text);
        robot.waitForIdle();
    }

    static Component focusOwner() {
        return onEdt(() -> KeyboardFocusManager.getCurrentKeyboardFocusManager().getFocusOwner());
    }

    /** Waits until the component named {@code name} has the keyboard focus; says where it is when it does not. */
    static void awaitFocusOn(String name) {
        Pause.pause(new Condition("the focus on " + name) {
            @Override
            public boolean test() {
                return onEdt(() -> {
                    Component owner = KeyboardFocusManager.getCurrentKeyboardFocusManager().getFocusOwner();
                    return owner != null && name.equals(owner.getName());
                });
            }

            @Override
            protected String descriptionAddendum() {
                return onEdt(() -> {
                    KeyboardFocusManager focus = KeyboardFocusManager.getCurrentKeyboardFocusManager();
                    return " (it is on " + describe(focus.getFocusOwner()) + " in " + describe(focus.getFocusedWindow())
                            + ")";
                });
            }
        }, Timeout.timeout(WAIT.toMillis()));
    }

    private static String describe(Component component) {
        return component == null ? "nothing" : component.getClass().getSimpleName() + " " + component.getName();
    }

    /** Waits until the text of the message reading {@code text} has the keyboard focus. */
    static void awaitFocusOnMessage(String text) {
        await("the focus on \"" + text + "\"", () -> KeyboardFocusManager.getCurrentKeyboardFocusManager()
                .getFocusOwner() instanceof MessageText focused && focused.text().equals(text));
    }

    /** The name of the item selected in the menu or picker open now. */
    static Optional<String> selectedMenuItem() {
        MenuElement[] path = MenuSelectionManager.defaultManager().getSelectedPath();
        return path.length > 0 && path[path.length - 1] instanceof JMenuItem item && item.isShowing()
                ? Optional.of(item.getName()) : Optional.empty();
    }

    /**
     * Whether the screen shows the focus colour just left of {@code row}'s bubble, where the focus ring goes (no
     * other part of a row paints there). Read on the EDT, after the paints it has queued.
     */
    static boolean ringShown(MessageRow row) throws java.awt.AWTException {
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


    List<Place> places() {
        return onEdt(() -> main(window).places());
    }

    /** Waits until {@code place} is open and its panel on screen. */
    void awaitOpen(Place place) {
        await(place + " open and shown", () -> main(window).openPlace().equals(Optional.of(place))
                && (place instanceof Place.Room ? main(window).roomPanel() : main(window).conversationPanel())
                        .isShowing());
    }

    static Place.Contact chatWith(TestPeer peer) {
        return new Place.Contact(peer.peerId());
    }

    int lineOf(TestPeer peer) {
        return onEdt(() -> main(window).conversationList().model().indexOf(peer.peerId()));
    }
}
