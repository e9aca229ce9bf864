package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.formdev.flatlaf.FlatLaf;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.ui.contacts.AddContactDialog;
import dev.parley.crypto.RoomId;
import dev.parley.store.MessageState;
import java.awt.Graphics2D;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.swing.JLayeredPane;
import javax.swing.JScrollBar;
import javax.swing.SwingUtilities;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The main window with a conversation open, light and dark, saved to app/target/screenshots/main-light.png and
 * main-dark.png: a conversation over two days with emoji, a link and every delivery state. Then, light, the list with
 * the keyboard in it and Ctrl+K's dialog.
 */
class ScreenshotsTest extends WindowTest {
    TestPeer alice;
    TestPeer bob;
    TestPeer carol;
    TestPeer dave;

    @BeforeEach
    void aliceWithAHistoryAndThreeContacts() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        bob = TestPeer.start(temp, "Bob Martin");
        carol = TestPeer.start(temp, "Carol");
        dave = TestPeer.start(temp, "Dave Okafor");
        TestPeer.befriend(alice, bob);
        TestPeer.befriend(alice, carol);
        TestPeer.befriend(alice, dave);
        alice.stopEngine();
        carol.stopEngine();
        alice.insertHistory(history(alice, bob, carol));
        alice.startEngine();
    }

    @AfterEach
    void stopEngines() {
        alice.close();
        bob.close();
        dave.close();
    }

    @Test
    void mainWindowWithAConversationOpenInLightAndDark() throws Exception {
        FrameFixture window = openWindow(alice.engine(), false);
        await("Bob's conversation listed", () -> main(window).conversationList().model().getSize() == 3);
        GuiActionRunner.execute(() -> main(window).openConversation(bob.peerId()));
        ConversationPanel open = main(window).conversationPanel();
        await("the conversation shown", () -> open.timeline().messageCount() == 9);
        await("Bob online, with the connection", () -> open.header().statusText().startsWith("online · LAN"));
        robot.waitForIdle();
        screenshot(window.target(), "main-light");

        GuiActionRunner.execute(() -> {
            Theme.install(true);
            FlatLaf.updateUI();
        });
        robot.waitForIdle();
        screenshot(window.target(), "main-dark");
        assertThat(onEdt(() -> open.timeline().rows().getFirst().dayHeading())).isEqualTo("Yesterday");
        assertThat(onEdt(() -> open.timeline().rows().get(5).dayHeading())).isEqualTo("Today");
    }

    /** The list with the keyboard in it (its ring), then Ctrl+K's dialog: list-focused-light.png, jump-light.png. */
    @Test
    void theFocusedListAndTheJumpDialogInLight() throws Exception {
        alice.engine().rooms().create("Book club");
        FrameFixture window = openWindow(alice.engine(), false);
        await("the conversations and the room listed", () -> main(window).conversationList().model().getSize() == 3
                && main(window).roomList().rooms().size() == 1);
        GuiActionRunner.execute(() -> main(window).openConversation(bob.peerId()));
        ConversationPanel open = main(window).conversationPanel();
        await("the conversation shown", () -> open.timeline().messageCount() == 9);
        window.list("conversations").focus();
        await("the list focused", () -> window.list("conversations").target().hasFocus());
        robot.waitForIdle();
        screenshot(window.target(), "list-focused-light");

        window.menuItemWithPath("Go", "Jump to conversation…").click();
        DialogFixture jump = WindowFinder.findDialog("jumpDialog").withTimeout(WAIT.toMillis()).using(robot);
        jump.textBox("jumpQuery").enterText("o");
        await("four found", () -> ((JumpDialog) jump.target()).lineTexts().size() == 4);
        robot.waitForIdle();
        screenshot(window.target(), "jump-light");
        GuiActionRunner.execute(() -> jump.target().dispose());
    }

    /**
     * The same profile in German: the main window, Settings, Add contact and a room, saved as main-de-light.png,
     * settings-de-light.png, add-contact-de-light.png and room-de-light.png.
     */
    @Test
    void theMainWindowSettingsAddContactAndARoomInGerman() throws Exception {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMAN);
        try {
            RoomId club = alice.engine().rooms().create("Buchclub").id();
            alice.engine().rooms().invite(club, bob.peerId());
            await("Bob invited", () -> bob.engine().rooms().get(club).map(RoomInfo::status)
                    .equals(Optional.of(RoomStatus.INVITED)));
            bob.engine().rooms().accept(club);
            await("Bob in the room", () -> alice.engine().rooms().get(club).orElseThrow().members().size() == 2);
            FrameFixture window = openWindow(alice.engine(), false);
            MainWindow main = main(window);
            await("the conversations listed", () -> main.conversationList().model().getSize() == 3);
            GuiActionRunner.execute(() -> main.openConversation(bob.peerId()));
            ConversationPanel open = main.conversationPanel();
            await("the conversation shown", () -> open.timeline().messageCount() == 9);
            await("Bob online, with the connection", () -> open.header().statusText().startsWith("online · LAN"));
            robot.waitForIdle();
            screenshot(window.target(), "main-de-light");
            assertThat(onEdt(() -> open.timeline().rows().getFirst().dayHeading())).isEqualTo("Gestern");

            UiSettings germanSettings = UiSettings.load(temp.resolve("de-settings"));
            SwingUtilities.invokeLater(() -> new SettingsDialog(main, alice.engine(), germanSettings).setVisible(true));
            DialogFixture settings = WindowFinder.findDialog("settings").withTimeout(WAIT.toMillis()).using(robot);
            await("the Settings dialog on screen", () -> settings.target().isShowing());
            robot.waitForIdle();
            painted(settings.target(), "settings-de-light");
            assertThat(settings.target().getTitle()).isEqualTo("Einstellungen");
            GuiActionRunner.execute(() -> settings.target().dispose());

            SwingUtilities.invokeLater(() -> AddContactDialog.show(main, alice.engine()));
            DialogFixture add = WindowFinder.findDialog("addContactDialog").withTimeout(WAIT.toMillis()).using(robot);
            await("the Add contact dialog on screen", () -> add.target().isShowing());
            robot.waitForIdle();
            painted(add.target(), "add-contact-de-light");
            assertThat(add.target().getTitle()).isEqualTo("Kontakt hinzufügen");
            GuiActionRunner.execute(() -> add.target().dispose());

            bob.engine().rooms().say(club, "Wer kommt am Donnerstag? Ich bringe Kuchen mit 🍰");
            await("Bob's room message listed", () -> main.roomList().lineTexts().stream()
                    .anyMatch(line -> line.startsWith("Buchclub · 2 Mitglieder")));
            GuiActionRunner.execute(() -> main.openRoom(club));
            await("the room open", () -> main.roomPanel().isShowing()
                    && main.roomPanel().lineTexts().stream().anyMatch(line -> line.contains("Kuchen")));
            GuiActionRunner.execute(() -> Arrays.stream(main.getLayeredPane()
                    .getComponentsInLayer(JLayeredPane.POPUP_LAYER)).filter(c -> c instanceof Toast)
                    .forEach(toast -> toast.setVisible(false)));
            robot.waitForIdle();
            screenshot(window.target(), "room-de-light");
            assertThat(onEdt(() -> main.roomPanel().lineTexts())).startsWith("Alice hat den Raum Buchclub erstellt",
                    "Alice hat Bob Martin hinzugefügt");
        } finally {
            Locale.setDefault(before);
        }
    }

    /**
     * Saves {@code dialog} as it paints itself rather than as the screen shows it: Xvfb, with no window manager, may
     * still be placing a new dialog when the screen is read, and the picture then holds whatever was under it.
     */
    private static void painted(Window dialog, String name) throws IOException {
        BufferedImage image = onEdt(() -> {
            BufferedImage picture = new BufferedImage(dialog.getWidth(), dialog.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = picture.createGraphics();
            dialog.paint(g);
            g.dispose();
            return picture;
        });
        Path folder = Path.of("target", "screenshots");
        Files.createDirectories(folder);
        ImageIO.write(image, "png", folder.resolve(name + ".png").toFile());
    }

    /** Settings, whose first rows say who you are: settings-identity-light.png and settings-identity-dark.png. */
    @Test
    void settingsWithWhoYouAreInLightAndDark() throws Exception {
        FrameFixture window = openWindow(alice.engine(), false);
        window.menuItem("Settings…").click();
        DialogFixture settings = WindowFinder.findDialog("settings").withTimeout(WAIT.toMillis()).using(robot);
        // Not clicked into to wait for it: Xvfb, with no window manager, sometimes drops the robot's first click on a
        // new modal dialog (see WindowTest.press), and the focus then never came (red in a clean-clone CI run).
        await("the Settings dialog on screen", () -> settings.target().isShowing());
        robot.waitForIdle();
        screenshot(settings.target(), "settings-identity-light");

        GuiActionRunner.execute(() -> {
            Theme.install(true);
            FlatLaf.updateUI();
            settings.target().pack();
        });
        robot.waitForIdle();
        screenshot(settings.target(), "settings-identity-dark");
        assertThat(settings.textBox("peerId").text()).isEqualTo(alice.peerId().toBase58());
        GuiActionRunner.execute(() -> settings.target().dispose());
    }

    /**
     * A long message collapsed, then the emoji picker over it, light and dark: long-message-light.png,
     * emoji-picker-light.png, long-message-dark.png, emoji-picker-dark.png.
     */
    @Test
    void theEmojiPickerAndALongMessageCollapsedInLightAndDark() throws Exception {
        FrameFixture window = openWindow(alice.engine(), false);
        await("the conversations listed", () -> main(window).conversationList().model().getSize() == 3);
        StringBuilder minutes = new StringBuilder("Minutes of the book club, 4 December 📚\n");
        for (int i = 1; minutes.length() < 6_000; i++) {
            minutes.append(i).append(". We talked about chapter ").append(i)
                    .append(", which everyone liked, and about where to meet next time ☕\n");
        }
        dave.engine().chat().send(alice.peerId(), minutes.toString());
        await("Dave's message arrived", () -> main(window).conversationList().lineTexts().stream()
                .anyMatch(line -> line.startsWith("Dave Okafor, 1 unread")));
        GuiActionRunner.execute(() -> main(window).openConversation(dave.peerId()));
        ConversationPanel open = main(window).conversationPanel();
        await("the message shown collapsed", () -> open.timeline().messageCount() == 1
                && !open.timeline().rows().getFirst().textPane().expanded());
        for (boolean dark : List.of(false, true)) {
            if (dark) {
                GuiActionRunner.execute(() -> {
                    Theme.install(true);
                    FlatLaf.updateUI();
                });
            }
            String theme = dark ? "dark" : "light";
            await("scrolled to the message's end, Show more in sight", () -> {
                JScrollBar bar = open.scrollPane().getVerticalScrollBar();
                bar.setValue(bar.getMaximum());
                return bar.getValue() + bar.getVisibleAmount() == bar.getMaximum();
            });
            robot.waitForIdle();
            screenshot(window.target(), "long-message-" + theme);
            window.button("emoji").click();
            await("the picker open", () -> open.composer().pickerShowing());
            robot.waitForIdle();
            screenshot(window.target(), "emoji-picker-" + theme);
            robot.pressAndReleaseKeys(java.awt.event.KeyEvent.VK_ESCAPE);
            await("the picker closed", () -> !open.composer().pickerShowing());
        }
    }

    private static List<dev.parley.store.StoredMessage> history(TestPeer alice, TestPeer bob, TestPeer carol) {
        ZoneId zone = ZoneId.systemDefault();
        LocalDate today = LocalDate.now(zone);
        Instant yesterday = today.minusDays(1).atTime(LocalTime.of(19, 2)).atZone(zone).toInstant();
        Instant now = Instant.now();
        Instant earlier = now.minusSeconds(50 * 60).isBefore(today.atStartOfDay(zone).toInstant())
                ? today.atStartOfDay(zone).toInstant().plusSeconds(60) : now.minusSeconds(50 * 60);
        List<dev.parley.store.StoredMessage> messages = new ArrayList<>();
        messages.add(alice.message(bob, false, "Are we still on for the hike on Saturday? 🥾", yesterday, 0,
                MessageState.READ));
        messages.add(alice.message(bob, true, "Yes! Weather looks great ☀️", yesterday.plusSeconds(60), 0,
                MessageState.READ));
        messages.add(alice.message(bob, true, "I'll bring sandwiches", yesterday.plusSeconds(70), 0,
                MessageState.READ));
        messages.add(alice.message(bob, false, "Perfect 👍 Here's the trail: https://www.example.org/trails/ridge-loop",
                yesterday.plusSeconds(400), 0, MessageState.READ));
        messages.add(alice.message(bob, false, "It's about 12 km, with a lake halfway for lunch.", yesterday.plusSeconds(420), 0,
                MessageState.READ));
        messages.add(alice.message(bob, false, "Good morning! I just checked the forecast again: sunny all day, 21 °C."
                + " Shall we meet at the station at 8:30 and take the 8:45 train?", earlier, 0, MessageState.READ));
        messages.add(alice.message(bob, true, "Sounds good 🚆 See you at 8:30", earlier.plusSeconds(120), 0,
                MessageState.READ));
        messages.add(alice.message(bob, true, "I'll get the tickets", earlier.plusSeconds(130), 0,
                MessageState.DELIVERED));
        messages.add(alice.message(bob, true, "Can't wait 🎉", earlier.plusSeconds(140), 0, MessageState.SENDING));
        messages.add(alice.message(carol, false, "Thanks for the book, I loved it! 📚", earlier.minusSeconds(3_000), 0,
                MessageState.RECEIVED));
        messages.add(alice.message(carol, false, "Lunch next week?", earlier.minusSeconds(2_990), 0,
                MessageState.RECEIVED));
        return messages;
    }
}
