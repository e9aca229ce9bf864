package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.MessageStatus;
import java.awt.Rectangle;
import java.awt.event.KeyEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.swing.JFrame;
import javax.swing.JLayeredPane;
import javax.swing.JScrollBar;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.junit.jupiter.api.Test;

/** Alice uses the window; Bob (and a stranger, Carol) are engines on loopback. */
class ChatWindowTest extends AliceAndBobWindowTest {
    @Test
    void aMessageSentFromTheWindowReachesBobAndItsBubbleGoesFromSendingToDeliveredToRead() throws Exception {
        window.list("conversations").clickItem(0);
        await("composer enabled", () -> main(window).conversationPanel().composer().reason().isEmpty());
        window.textBox("composer").enterText("hello bob");
        window.textBox("composer").pressAndReleaseKeys(KeyEvent.VK_ENTER);

        ConversationPanel open = main(window).conversationPanel();
        await("the bubble shown", () -> open.timeline().rows().stream()
                .anyMatch(row -> row.message().text().equals("hello bob")));
        assertThat(window.textBox("composer").text()).isEmpty();
        await("Bob has it", () -> bobHas("hello bob"));
        await("the bubble says delivered", () -> bubble(open, "hello bob").description().endsWith("Delivered"));

        bob.engine().chat().markRead(alice.peerId());
        await("the bubble says read", () -> bubble(open, "hello bob").description().endsWith("Read"));
        assertThat(onEdt(() -> bubble(open, "hello bob").message().status())).isEqualTo(MessageStatus.READ);
    }

    @Test
    void aMessageFromBobShowsInTheListWithAnUnreadBadgeThenInTheViewAndIsMarkedRead() throws Exception {
        bob.engine().chat().send(alice.peerId(), "hi alice, are you there?");
        await("the list shows it unread", () -> main(window).conversationList().lineTexts().getFirst()
                .matches("Bob, 1 unread, \\d\\d:\\d\\d: hi alice, are you there\\?"));
        await("the title counts it", () -> main(window).getTitle().equals("(1) Parley — Alice"));

        window.list("conversations").clickItem(0);
        ConversationPanel open = main(window).conversationPanel();
        await("the message in the view", () -> open.timeline().messageCount() == 1);
        assertThat(onEdt(() -> open.timeline().rows().getFirst().showsUnreadDivider())).isTrue();
        await("read now that it is seen", () -> main(window).getTitle().equals("Parley — Alice"));
        await("Bob hears it was read", () -> bob.engine().history().newest(alice.peerId(), 1).messages().getFirst()
                .status() == MessageStatus.READ);

        bob.engine().chat().typing(alice.peerId());
        await("typing shown", () -> open.header().statusText().equals("typing…"));
        bob.engine().chat().send(alice.peerId(), "second one");
        await("the next message appended", () -> open.timeline().messageCount() == 2);
        await("online, with how and how fast", () -> open.header().statusText()
                .matches("online · LAN · [\\d.]+ ms round trip"));
    }

    @Test
    void aMessageArrivingWhileAnotherWindowHasTheFocusIsAnnounced() throws Exception {
        JFrame elsewhere = anotherApplicationInFront(window);
        try {
            bob.engine().chat().send(alice.peerId(), "are you coming tonight?");
            // Xvfb has no notification area, so the announcement is the window's own toast.
            await("the toast names Bob and shows the text", () -> Arrays.stream(main(window).getLayeredPane()
                    .getComponentsInLayer(JLayeredPane.POPUP_LAYER))
                    .filter(c -> c instanceof Toast toast && toast.isVisible())
                    .map(c -> ((Toast) c).text())
                    .anyMatch(text -> text.startsWith("Bob: ") && text.contains("are you coming tonight?")));
        } finally {
            GuiActionRunner.execute(elsewhere::dispose);
        }
    }

    @Test
    void aRequestCannotBeAnsweredUntilAcceptedAndTheComposerSaysWhy() throws Exception {
        try (TestPeer carol = TestPeer.start(temp, "Carol")) {
            carol.engine().contacts().add(alice.engine().invite());
            carol.engine().chat().send(alice.peerId(), "hello, we met at the conference");
            await("the request listed", () -> main(window).conversationList().lineTexts().stream()
                    .anyMatch(line -> line.startsWith("Carol, message request, 1 unread")));
            int index = onEdt(() -> main(window).conversationList().model().indexOf(carol.peerId()));
            window.list("conversations").clickItem(index);

            ConversationPanel open = main(window).conversationPanel();
            await("the message shown", () -> open.timeline().messageCount() == 1);
            window.textBox("composer").requireDisabled();
            assertThat(onEdt(() -> open.composer().reason())).isEqualTo("Accept Carol's request to reply");
            window.panel("requestBar").requireVisible();
            window.button("send").requireDisabled();

            window.button("accept").click();
            await("the composer enabled", () -> open.composer().reason().isEmpty());
            assertThat(onEdt(() -> open.requestBar().isVisible())).isFalse();
            window.textBox("composer").enterText("nice to meet you");
            window.textBox("composer").pressAndReleaseKeys(KeyEvent.VK_ENTER);
            await("Carol has the reply", () -> carol.engine().history().newest(alice.peerId(), 5).messages().stream()
                    .anyMatch(m -> m.text().equals("nice to meet you")));
        }
    }

    @Test
    void aContactAddedByInviteCodeFromTheMenuOpensTheirConversationAndTheHeaderShowsWhoTheyAre() throws Exception {
        try (TestPeer dave = TestPeer.start(temp, "Dave")) {
            window.menuItem("Add contact…").click();
            DialogFixture add = WindowFinder.findDialog("addContactDialog").using(robot);
            add.textBox("inviteCode").enterText(dave.engine().invite());
            add.button("addContact").click();

            ConversationPanel open = main(window).conversationPanel();
            await("Dave's conversation open", () -> open.peer().equals(Optional.of(dave.peerId())));
            await("Dave listed", () -> main(window).conversationList().lineTexts().stream()
                    .anyMatch(line -> line.startsWith("Dave")));
            await("composer enabled", () -> open.composer().reason().isEmpty());
            // Xvfb has no window manager to hand the focus back to the window when the modal dialog closes: a click does.
            window.textBox("composer").click();
            window.textBox("composer").enterText("hi Dave, it's Alice");
            window.textBox("composer").pressAndReleaseKeys(KeyEvent.VK_ENTER);
            await("Dave has it, as a request", () -> dave.engine().contacts().requests().stream()
                    .anyMatch(request -> request.peer().equals(alice.peerId())));

            window.panel("conversationHeader").click();
            DialogFixture info = WindowFinder.findDialog("contactInfoDialog").using(robot);
            await("the name shown", () -> info.label("contactName").text().equals("Dave"));
            List<String> digits = dave.engine().contacts().safetyNumber(alice.peerId()).groups();
            await("the safety number shown", () -> info.label("safetyGroup0").text().equals(digits.getFirst()));
            info.button("closeContactInfo").click();
        }
    }

    @Test
    void searchFindsAMessageAndOpeningTheResultShowsItHighlighted() throws Exception {
        for (int i = 0; i < 120; i++) {
            bob.engine().chat().send(alice.peerId(),
                    i == 30 ? "the old lighthouse at dawn" : "filler message number " + i);
        }
        await("all arrived", () -> main(window).conversationList().lineTexts().getFirst().contains("120 unread"));

        window.menuItem("Search all messages…").click();
        DialogFixture search = WindowFinder.findDialog("search").using(robot);
        search.textBox("query").enterText("lighthouse");
        await("a result", () -> search.list("results").target().getModel().getSize() == 1);
        assertThat(search.label("searchStatus").text()).isEqualTo("1 match");
        search.list("results").clickItem(0);

        ConversationPanel open = main(window).conversationPanel();
        await("opened at the hit", () -> open.timeline().rows().stream()
                .anyMatch(row -> row.highlighted() && row.message().text().equals("the old lighthouse at dawn")));
        MessageRow hit = bubble(open, "the old lighthouse at dawn");
        await("the hit on screen", () -> {
            Rectangle visible = open.scrollPane().getViewport().getViewRect();
            return visible.intersects(hit.getBounds());
        });
        assertThat(onEdt(() -> open.timeline().messageCount())).isBetween(ConversationPanel.PAGE, 120);

        await("newer pages loaded down to the newest while scrolling down", () -> {
            JScrollBar bar = open.scrollPane().getVerticalScrollBar();
            bar.setValue(bar.getMaximum());
            return open.timeline().newest().map(ChatMessage::text).equals(Optional.of("filler message number 119"));
        });
    }

    @Test
    void searchNamesWhoWroteEachHitOurOwnAsYouToTheContact() throws Exception {
        alice.engine().chat().send(bob.peerId(), "meet me at the lighthouse");
        bob.engine().chat().send(alice.peerId(), "which lighthouse?");
        await("Bob's reply arrived", () -> main(window).conversationList().lineTexts().getFirst().contains("unread"));

        window.menuItem("Search all messages…").click();
        DialogFixture search = WindowFinder.findDialog("search").using(robot);
        search.textBox("query").enterText("lighthou");

        await("both found", () -> search.list("results").target().getModel().getSize() == 2);
        assertThat(onEdt(() -> {
            var model = search.list("results").target().getModel();
            return List.of(model.getElementAt(0), model.getElementAt(1));
        })).extracting(hit -> ((MessageSearchDialog.Hit) hit).name()).containsExactly("Bob", "You, to Bob");
        search.close();
    }

    private boolean bobHas(String text) throws EngineException {
        List<ChatMessage> messages = bob.engine().history().newest(alice.peerId(), 10).messages();
        return messages.stream().anyMatch(m -> m.text().equals(text));
    }

    private static MessageRow bubble(ConversationPanel open, String text) {
        return onEdt(() -> open.timeline().rows().stream().filter(row -> row.message().text().equals(text))
                .findFirst().orElseThrow());
    }
}
