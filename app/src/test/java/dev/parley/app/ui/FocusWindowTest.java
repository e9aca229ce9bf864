package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.crypto.RoomId;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Optional;
import javax.swing.JList;
import javax.swing.JScrollPane;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;
import org.junit.jupiter.api.Test;

/** Where the focus is seen and where it goes: the list's focus ring, and the composer after Accept and Join. */
class FocusWindowTest extends KeyboardWindowTest {
    @Test
    void theConversationListShowsARingWhileItHasTheFocusAroundItAndAroundTheLineTheKeyboardIsOn() {
        bobsConversationThenTheRoom();
        Color ring = onEdt(() -> UIManager.getColor("Component.focusColor"));
        JList<?> list = window.list("conversations").target();
        JScrollPane scroll = onEdt(() -> (JScrollPane) SwingUtilities.getAncestorOfClass(JScrollPane.class, list));

        window.list("rooms").focus();
        await("the rooms have the focus", () -> window.list("rooms").target().hasFocus());
        BufferedImage unfocused = paint(scroll);
        window.list("conversations").focus();
        await("the conversations have the focus", list::hasFocus);
        BufferedImage focused = paint(scroll);

        int middle = unfocused.getWidth() / 2;
        assertThat(new Color(focused.getRGB(middle, 1))).as("the frame, focused").isEqualTo(ring);
        assertThat(new Color(unfocused.getRGB(middle, 1))).as("the frame, not focused").isNotEqualTo(ring);
        // No line is selected while the room is open; the ring shows which one Enter opens: Bob's.
        int bobsTop = onEdt(() -> list.getCellBounds(lineOf(bob), lineOf(bob)).y) + scrollInset(scroll);
        assertThat(onEdt(list::getSelectedIndex)).isEqualTo(-1);
        assertThat(new Color(focused.getRGB(middle, bobsTop))).as("the line's ring").isEqualTo(ring);
        assertThat(new Color(unfocused.getRGB(middle, bobsTop))).isNotEqualTo(ring);
    }

    @Test
    void afterAcceptingARequestTheFocusIsInTheComposerOfThatConversation() throws Exception {
        try (TestPeer dave = TestPeer.start(temp, "Dave")) {
            dave.engine().contacts().add(alice.engine().invite());
            dave.engine().chat().send(alice.peerId(), "hello, I am Dave from the station");
            await("Dave's request listed", () -> main(window).conversationList().model().indexOf(dave.peerId()) >= 0);
            window.list("conversations").clickItem(lineOf(dave));
            awaitOpen(new Place.Contact(dave.peerId()));
            window.button("accept").click();
            awaitFocusOn("composer");
            assertThat(onEdt(() -> main(window).conversationPanel().composer().reason())).isEmpty();
        }
    }

    @Test
    void afterJoiningARoomTheFocusIsInTheRoomsComposer() throws Exception {
        RoomId trip = bob.engine().rooms().create("Weekend trip").id();
        bob.engine().rooms().invite(trip, alice.peerId());
        await("the invitation listed", () -> main(window).roomList().rooms().stream()
                .anyMatch(room -> room.id().equals(trip) && room.status() == RoomStatus.INVITED));
        int line = onEdt(() -> main(window).roomList().rooms().stream().map(RoomInfo::id).toList().indexOf(trip));
        window.list("rooms").clickItem(line);
        awaitOpen(new Place.Room(trip));
        window.button("acceptRoom").click();
        awaitFocusOn("roomComposer");
        assertThat(alice.engine().rooms().get(trip).map(RoomInfo::status)).isEqualTo(Optional.of(RoomStatus.JOINED));
    }

    private static int scrollInset(JScrollPane scroll) {
        return onEdt(() -> scroll.getInsets().top);
    }

    private static BufferedImage paint(JScrollPane scroll) {
        return onEdt(() -> {
            BufferedImage image = new BufferedImage(scroll.getWidth(), scroll.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            try {
                scroll.paint(g);
            } finally {
                g.dispose();
            }
            return image;
        });
    }
}
