package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineException;
import java.awt.Cursor;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.awt.event.KeyEvent;
import java.awt.geom.Rectangle2D;
import java.net.URI;
import java.util.Locale;
import javax.swing.JButton;
import javax.swing.JLabel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long content in the window at its default size: a paste beyond the longest message is counted and refused before
 * sending, in characters; a long message shows collapsed with Show more; a long link wraps inside its bubble; a bare
 * www. address is a link. Alice uses the window; Bob is an engine on loopback.
 */
class LongContentWindowTest extends AliceAndBobWindowTest {
    ConversationPanel open;

    @BeforeEach
    void bobsConversationOpen() {
        window.list("conversations").clickItem(0);
        open = main(window).conversationPanel();
        await("composer enabled", () -> open.composer().reason().isEmpty());
    }

    @Test
    void aHundredThousandCharacterPasteIsCountedAndRefusedBeforeSendingAndSixtyThousandGoThrough() throws Exception {
        window.textBox("composer").enterText("almost ");
        assertThat(onEdt(() -> open.composer().counterText())).as("no count far from the limit").isEmpty();

        Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection("x".repeat(100_000)), null);
        paste();
        await("the count says how many too many", () -> open.composer().counterText()
                .equals(String.format(Locale.ROOT, "%,d characters too many", 100_007 - MessageLength.MAX_BYTES)));
        window.button("send").requireDisabled();
        JLabel error = window.label("composerError").target();
        String refusal = "This message is " + String.format(Locale.ROOT, "%,d", 100_007 - MessageLength.MAX_BYTES)
                + " characters too long to send. Shorten it or send it in parts.";
        await("the refusal above the composer", () -> error.isShowing() && error.getText().contains(refusal));
        assertWhollyVisible(error);
        assertWhollyVisible(window.label("composerCounter").target());

        window.textBox("composer").pressAndReleaseKeys(KeyEvent.VK_ENTER);
        window.textBox("composer").requireText("almost " + "x".repeat(100_000));
        assertThat(onEdt(() -> open.timeline().messageCount())).as("Enter sends nothing").isZero();

        String sixtyThousand = "y".repeat(60_000);
        Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(sixtyThousand), null);
        window.textBox("composer").selectAll();
        paste();
        await("the count says what is left", () -> open.composer().counterText()
                .equals(String.format(Locale.ROOT, "%,d characters left", MessageLength.MAX_BYTES - 60_000)));
        await("the refusal gone", () -> !error.isShowing());
        window.button("send").requireEnabled().click();
        await("Bob has the 60,000 characters", () -> bobHas(sixtyThousand));
        await("the count gone with the text", () -> open.composer().counterText().isEmpty());
    }

    @Test
    void aSixtyThousandCharacterMessageShowsCollapsedUntilShowMore() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 60_000; i++) {
            text.append("Line ").append(i).append(" of a very long report, with words that wrap.\n");
        }
        String report = text.substring(0, 60_000);
        bob.engine().chat().send(alice.peerId(), report);
        await("the message shown", () -> open.timeline().messageCount() == 1);
        MessageRow row = onEdt(() -> open.timeline().rows().getFirst());
        MessageText shown = onEdt(row::textPane);
        await("collapsed to its first lines", () -> shown.getDocument().getLength() < MessageText.COLLAPSED_CHARACTERS
                && shown.getText().startsWith("Line 0 of") && shown.getText().endsWith("…"));
        int collapsedHeight = onEdt(row::getHeight);
        JButton more = button(window, "showMore").requireText("Show more").target();

        button(window, "showMore").click();
        await("the whole message", () -> shown.getDocument().getLength() == 60_000 && more.getText().equals("Show less"));
        await("the row grown", () -> row.getHeight() > 10 * collapsedHeight);

        onEdt(() -> {
            more.scrollRectToVisible(new Rectangle(more.getSize()));
            return null;
        });
        button(window, "showMore").click();
        await("collapsed again", () -> shown.getDocument().getLength() < MessageText.COLLAPSED_CHARACTERS
                && more.getText().equals("Show more") && row.getHeight() == collapsedHeight);
    }

    @Test
    void aLongLinkWrapsInsideItsBubbleAndABareWwwAddressIsALink() throws Exception {
        String link = "https://www.example.org/" + "very-long-path-segment/".repeat(20) + "end";
        bob.engine().chat().send(alice.peerId(), "the report: " + link + " and tickets at www.example.org today");
        await("the message shown", () -> open.timeline().messageCount() == 1);
        MessageText shown = onEdt(() -> open.timeline().rows().getFirst().textPane());
        await("laid out", () -> shown.getWidth() > 0);
        int linkEnd = "the report: ".length() + link.length();
        Rectangle2D lastLetter = onEdt(() -> shown.modelToView2D(linkEnd - 1));
        Rectangle2D firstLetter = onEdt(() -> shown.modelToView2D("the report: ".length()));
        assertThat(lastLetter.getMaxX()).as("the link's end is inside the bubble")
                .isLessThanOrEqualTo(onEdt(shown::getWidth));
        assertThat(lastLetter.getY()).as("on a later line than its start").isGreaterThan(firstLetter.getY());
        assertThat(onEdt(() -> shown.linkAt(linkEnd - 1))).contains(URI.create(link));

        int bare = onEdt(() -> shown.getText().indexOf("www.example.org today")) + 4;
        assertThat(onEdt(() -> shown.linkAt(bare))).contains(URI.create("https://www.example.org"));
        Rectangle2D letter = onEdt(() -> shown.modelToView2D(bare));
        robot.moveMouse(shown, new Point((int) letter.getCenterX(), (int) letter.getCenterY()));
        await("the hand over the www. link", () -> shown.getCursor().getType() == Cursor.HAND_CURSOR);
    }

    /** The component is on screen whole: not cut by its parents, not shorter than its text needs. */
    private static void assertWhollyVisible(javax.swing.JComponent component) {
        Rectangle visible = onEdt(component::getVisibleRect);
        assertThat(visible.width).as(component.getName() + " shown at its full width")
                .isEqualTo(onEdt(component::getWidth));
        assertThat(visible.height).as(component.getName() + " shown at its full height")
                .isEqualTo(onEdt(component::getHeight));
        assertThat(onEdt(component::getHeight)).as(component.getName() + " as tall as its text")
                .isGreaterThanOrEqualTo(onEdt(() -> component.getPreferredSize().height));
        assertThat(onEdt(component::getWidth)).as(component.getName() + " as wide as its text")
                .isGreaterThanOrEqualTo(onEdt(() -> component.getPreferredSize().width));
    }

    /** Ctrl+V in the composer, as the user pastes. */
    private void paste() {
        window.textBox("composer").focus();
        robot.pressKey(KeyEvent.VK_CONTROL);
        robot.pressAndReleaseKey(KeyEvent.VK_V);
        robot.releaseKey(KeyEvent.VK_CONTROL);
    }

    private boolean bobHas(String text) throws EngineException {
        return bob.engine().history().newest(alice.peerId(), 5).messages().stream().map(ChatMessage::text)
                .anyMatch(text::equals);
    }
}
