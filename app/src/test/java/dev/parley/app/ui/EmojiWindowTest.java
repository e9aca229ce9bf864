package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.formdev.flatlaf.util.UIScale;
import java.awt.Component;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.event.KeyEvent;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JLayeredPane;
import javax.swing.JList;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.Test;

/**
 * Colour emoji wherever the window draws user text (the list's names and previews, the header, the toast, the
 * rooms), told apart from grey and black text by their coloured pixels on screen; and the composer's emoji picker,
 * with the mouse and with the keyboard, its Recent row kept across windows. Alice uses the window; Bob is an engine.
 */
class EmojiWindowTest extends AliceAndBobWindowTest {
    /** The room of the issue, whose 📚 used to go missing. */
    static final String CLUB = "Café ☕ 📚 club";
    /** Pixels whose channels differ by this much are coloured; text in the list is grey, black or white. */
    static final int COLOURED = 80;
    /** An emoji at the list's text size covers hundreds of coloured pixels; anti-aliased text none. */
    static final int EMOJI_PIXELS = 40;

    @Override
    String bobsName() {
        return "Bob 🍊";
    }

    @Test
    void emojiInTheListPreviewTheHeaderTheToastAndARoomNameAreInColour() throws Exception {
        JFrame elsewhere = anotherApplicationInFront(window);
        try {
            bob.engine().chat().send(alice.peerId(), CLUB);
            // Its text is looked up with the check that it shows the message: a toast replaces its text at each show.
            JComponent toastText = awaitFound("the toast shown", () -> Arrays.stream(main(window).getLayeredPane()
                    .getComponentsInLayer(JLayeredPane.POPUP_LAYER))
                    .filter(c -> c instanceof Toast shown && shown.isVisible() && shown.text().endsWith(CLUB))
                    .map(toast -> (JComponent) find((java.awt.Container) toast, "toastText")).findFirst());
            robot.waitForIdle();
            assertThat(colouredPixels(toastText, onEdt(() -> new Rectangle(toastText.getSize()))))
                    .as("the toast's 📚").isGreaterThan(EMOJI_PIXELS);
        } finally {
            GuiActionRunner.execute(elsewhere::dispose);
        }

        JList<?> conversations = window.list("conversations").target();
        await("the preview shows the message", () -> main(window).conversationList().lineTexts().getFirst()
                .endsWith(": " + CLUB));
        robot.waitForIdle();
        assertThat(onEdt(() -> conversations.isSelectedIndex(0))).as("not in the selection's colour").isFalse();
        screenshot(window.target(), "emoji-list-light");
        Rectangle line = onEdt(() -> conversations.getCellBounds(0, 0));
        int textLeft = UIScale.scale(12 + 44 + 12);
        int middle = line.y + line.height / 2;
        Rectangle preview = new Rectangle(textLeft, middle + UIScale.scale(2), UIScale.scale(140), UIScale.scale(20));
        Rectangle name = new Rectangle(textLeft, middle - UIScale.scale(22), UIScale.scale(70), UIScale.scale(22));
        assertThat(colouredPixels(conversations, preview)).as("the preview's 📚").isGreaterThan(EMOJI_PIXELS);
        assertThat(colouredPixels(conversations, name)).as("Bob's 🍊 in the list").isGreaterThan(EMOJI_PIXELS);

        window.list("conversations").clickItem(0);
        JLabel header = window.label("contactName").target();
        await("the header names Bob", () -> header.getText().equals("Bob 🍊"));
        robot.waitForIdle();
        assertThat(colouredPixels(header, onEdt(() -> new Rectangle(header.getSize()))))
                .as("Bob's 🍊 in the header").isGreaterThan(EMOJI_PIXELS);

        alice.engine().rooms().create(CLUB);
        JList<?> rooms = window.list("rooms").target();
        await("the room listed", () -> rooms.getModel().getSize() == 1);
        robot.waitForIdle();
        assertThat(colouredPixels(rooms, onEdt(() -> rooms.getCellBounds(0, 0)))).as("the room's 📚")
                .isGreaterThan(EMOJI_PIXELS);
    }

    @Test
    void thePickerInsertsAtTheCaretWithTheMouseAndTheKeyboardAndRemembersWhatWasPicked() throws Exception {
        window.list("conversations").clickItem(0);
        ConversationPanel open = main(window).conversationPanel();
        await("composer enabled", () -> open.composer().reason().isEmpty());
        window.textBox("composer").enterText("see you ");

        window.button("emoji").click();
        await("the picker open", () -> open.composer().pickerShowing());
        assertThat(window.tabbedPane("emojiCategories").target().getTitleAt(
                window.tabbedPane("emojiCategories").target().getSelectedIndex()))
                .as("nothing recent yet: the first category").isEqualTo("Smileys");
        window.list("emojiSmileys").clickItem(1);
        await("the picker closed", () -> !open.composer().pickerShowing());
        window.textBox("composer").requireText("see you 😃");
        await("the keyboard back in the text", () -> window.textBox("composer").target().hasFocus());

        window.textBox("composer").pressAndReleaseKeys(KeyEvent.VK_HOME);
        window.textBox("composer").pressAndReleaseKeys(KeyEvent.VK_TAB);
        await("Tab reaches the emoji button", () -> window.button("emoji").target().hasFocus());
        window.button("emoji").pressAndReleaseKeys(KeyEvent.VK_SPACE);
        await("the picker open on Recent, the keyboard in it", () -> open.composer().pickerShowing()
                && window.list("emojiRecent").target().hasFocus());
        assertThat(window.list("emojiRecent").contents()).containsExactly("😃");
        robot.pressKey(KeyEvent.VK_CONTROL);
        robot.pressAndReleaseKey(KeyEvent.VK_PAGE_DOWN);
        robot.releaseKey(KeyEvent.VK_CONTROL);
        await("Ctrl+Page Down shows the next category, the keyboard in it", () ->
                window.list("emojiSmileys").target().hasFocus());
        robot.pressAndReleaseKeys(KeyEvent.VK_RIGHT, KeyEvent.VK_RIGHT, KeyEvent.VK_ENTER);
        await("the picker closed", () -> !open.composer().pickerShowing());
        window.textBox("composer").requireText("😄see you 😃");

        window.textBox("composer").focus();
        window.textBox("composer").pressAndReleaseKeys(KeyEvent.VK_TAB);
        window.button("emoji").pressAndReleaseKeys(KeyEvent.VK_SPACE);
        await("the picker open", () -> open.composer().pickerShowing());
        robot.pressAndReleaseKeys(KeyEvent.VK_ESCAPE);
        await("Escape closes it", () -> !open.composer().pickerShowing());
        window.textBox("composer").requireText("😄see you 😃");
        await("saved at once, the latest first", () -> UiSettings.load(temp.resolve("window-settings"))
                .recentEmoji().equals(List.of("😄", "😃")));

        GuiActionRunner.execute(() -> main(window).close());
        FrameFixture again = openWindow(alice.engine(), false);
        await("Bob listed", () -> main(again).conversationList().model().getSize() == 1);
        again.list("conversations").clickItem(0);
        await("composer enabled", () -> main(again).conversationPanel().composer().reason().isEmpty());
        again.button("emoji").click();
        await("the picker open", () -> main(again).conversationPanel().composer().pickerShowing());
        assertThat(again.list("emojiRecent").contents()).as("Recent, after a restart").containsExactly("😄", "😃");
        assertAccessibleNames(again);
    }

    /** The button, the categories, each grid and each emoji in it have a name a screen reader can say. */
    private static void assertAccessibleNames(FrameFixture fixture) {
        assertThat(onEdt(() -> fixture.button("emoji").target().getAccessibleContext().getAccessibleName()))
                .isEqualTo("Emoji");
        JList<?> recent = fixture.list("emojiRecent").target();
        assertThat(onEdt(() -> recent.getAccessibleContext().getAccessibleName())).isEqualTo("Recent emoji");
        assertThat(onEdt(() -> recent.getAccessibleContext().getAccessibleChild(0).getAccessibleContext()
                .getAccessibleName())).isEqualTo("smiling face with open mouth and smiling eyes");
        assertThat(onEdt(() -> fixture.tabbedPane("emojiCategories").target().getAccessibleContext()
                .getAccessibleName())).isEqualTo("Emoji categories");
    }

    private static Component find(java.awt.Container in, String name) {
        for (Component child : in.getComponents()) {
            if (name.equals(child.getName())) {
                return child;
            }
            if (child instanceof java.awt.Container container) {
                Component found = find(container, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** How many pixels of {@code area} (in {@code component}'s coordinates) are clearly coloured on screen. */
    static int colouredPixels(Component component, Rectangle area) throws Exception {
        Point at = onEdt(component::getLocationOnScreen);
        BufferedImage image = new java.awt.Robot().createScreenCapture(
                new Rectangle(at.x + area.x, at.y + area.y, area.width, area.height));
        int coloured = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                List<Integer> channels = List.of(rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF);
                if (channels.stream().max(Integer::compare).orElseThrow()
                        - channels.stream().min(Integer::compare).orElseThrow() > COLOURED) {
                    coloured++;
                }
            }
        }
        return coloured;
    }
}
