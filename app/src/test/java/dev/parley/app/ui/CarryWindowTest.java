package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.formdev.flatlaf.FlatLaf;
import dev.parley.app.engine.EngineProbes;
import dev.parley.app.engine.api.WhereHeld;
import dev.parley.app.engine.mailbox.Carrying;
import dev.parley.crypto.ContactCard;
import java.awt.Component;
import java.awt.Window;
import java.awt.event.KeyEvent;
import java.util.List;
import java.util.Optional;
import javax.swing.JCheckBox;
import javax.swing.JSpinner;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Contacts who carry, in Ada's window (app/README.md, "Contacts who carry"): a message to Bo, who is offline and has
 * no mailbox, shown "With Carol for Bo" while Carol keeps it, after the conversation is opened again too, then
 * delivered once Bo is back; and the setting in Settings, which turns carrying off and on and sets its quota. Real
 * engines on loopback with their stores.
 */
class CarryWindowTest extends WindowTest {
    private static final long MIB = 1L << 20;
    /**
     * How long Bo may take, once started, to get the message from Carol and Ada to hear it was delivered: Bo's start,
     * its dial to Carol, her hand-over and his receipt, on a machine shared with other builds.
     */
    private static final Timeout BACK_AND_DELIVERED = Timeout.timeout(60_000);

    private TestPeer ada;
    private TestPeer bo;
    private TestPeer carol;
    private TestPeer dan;

    @AfterEach
    void stopPeers() {
        for (TestPeer peer : new TestPeer[] {ada, bo, carol, dan}) {
            if (peer != null) {
                peer.close();
            }
        }
    }

    @Test
    void aMessageToOfflineBoShowsWithCarolForBoAlsoWhenOpenedAgainThenDelivered() throws Exception {
        carol = TestPeer.start(temp, "Carol");
        FrameFixture window = adaWritesToOfflineBo(carol);
        ConversationPanel open = main(window).conversationPanel();

        MessageRow carried = awaitFound("the bubble with Carol", () -> carriedRow(open));
        assertThat(ada.engine().chat().whereHeld(bo.peerId(), carried.message().id()))
                .isEqualTo(new WhereHeld.WithCarriers(List.of(carol.peerId())));
        await("the note says so", () -> open.deliveryNote().isShowing() && open.deliveryNote().getText()
                .equals("Bo is offline. Your messages are with Carol, who will pass them on once Bo is back online."));
        robot.waitForIdle();
        screenshot(open, "conversation-with-carrier-light");
        inTheme(true, window.target());
        screenshot(open, "conversation-with-carrier-dark");
        inTheme(false, window.target());

        openConversation(window, carol);
        openConversation(window, bo);
        MessageRow reopened = awaitFound("the bubble with Carol after opening the conversation again",
                () -> carriedRow(open).filter(row -> row != carried));
        assertThat(onEdt(reopened::carriers)).containsExactly("Carol");

        bo.startEngine();
        Pause.pause(new Condition("the bubble delivered once Bo is back") {
            @Override
            public boolean test() {
                return onEdt(() -> row(open, "for Bo, carried").filter(row -> row.deliveryMark()
                        == DeliveryIcon.Mark.DELIVERED && row.description().endsWith(" · Delivered")).isPresent());
            }
        }, BACK_AND_DELIVERED);
        await("the note gone", () -> !open.deliveryNote().isShowing());
        assertThat(ada.engine().chat().whereHeld(bo.peerId(), carried.message().id()))
                .as("delivered: out of the outbox").isEqualTo(new WhereHeld.Nowhere());
    }

    @Test
    void aMessageTwoContactsCarryNamesThemBoth() throws Exception {
        carol = TestPeer.start(temp, "Carol");
        dan = TestPeer.start(temp, "Dan");
        FrameFixture window = adaWritesToOfflineBo(carol, dan);
        ConversationPanel open = main(window).conversationPanel();

        // Both take it in one hand-over, which the event reports with the first alone: the names come from whereHeld.
        MessageRow carried = awaitFound("the bubble with Carol and Dan", () -> row(open, "for Bo, carried")
                .filter(row -> row.deliveryMark() == DeliveryIcon.Mark.WITH_CARRIER && row.carriers().size() == 2));
        String both = String.join(" and ", onEdt(carried::carriers));
        assertThat(both).isIn("Carol and Dan", "Dan and Carol");
        assertThat(onEdt(carried::description)).endsWith(" · With " + both + " for Bo");
        await("the note names both", () -> open.deliveryNote().getText().equals("Bo is offline. Your messages are with "
                + both + ", who will pass them on once Bo is back online."));
    }

    @Test
    void settingsTurnCarryingOffAndOnAgainAndChangeItsQuota() throws Exception {
        ada = TestPeer.start(temp, "Ada");
        assertThat(ada.engine().carryQuotaBytes()).as("on by default").isEqualTo(Carrying.DEFAULT_QUOTA_BYTES);
        FrameFixture window = openWindow(ada.engine(), false);

        DialogFixture settings = openSettings(window);
        settings.checkBox("carry").requireSelected();
        assertThat(quota(settings)).isEqualTo(64);
        Component section = OnScreen.named(robot, settings.target(), "carrySection", CarrySection.class);
        robot.waitForIdle();
        screenshot(section, "settings-carry-light");
        inTheme(true, settings.target());
        screenshot(section, "settings-carry-dark");
        inTheme(false, settings.target());
        toggleCarry(settings);
        JSpinner spinner = spinner(settings);
        assertThat(onEdt(spinner::isEnabled)).as("no quota while off").isFalse();
        saveAndClose(settings);
        assertThat(ada.engine().carryQuotaBytes()).isZero();
        assertThat(ada.engine().card().supports(ContactCard.Feature.CARRIES_FOR_CONTACTS)).isFalse();

        DialogFixture again = openSettings(window);
        again.checkBox("carry").requireNotSelected();
        toggleCarry(again);
        assertThat(quota(again)).as("the default offered").isEqualTo(64);
        saveAndClose(again);
        assertThat(ada.engine().carryQuotaBytes()).isEqualTo(Carrying.DEFAULT_QUOTA_BYTES);
        assertThat(ada.engine().card().supports(ContactCard.Feature.CARRIES_FOR_CONTACTS)).isTrue();

        DialogFixture larger = openSettings(window);
        larger.spinner("carryQuota").enterText("200");
        saveAndClose(larger);
        assertThat(ada.engine().carryQuotaBytes()).isEqualTo(200 * MIB);

        DialogFixture off = openSettings(window);
        toggleCarry(off);
        saveAndClose(off);
        assertThat(ada.engine().carryQuotaBytes()).isZero();
        DialogFixture onAgain = openSettings(window);
        assertThat(quota(onAgain)).as("the last quota offered again").isEqualTo(200);
        toggleCarry(onAgain);
        saveAndClose(onAgain);
        assertThat(ada.engine().carryQuotaBytes()).isEqualTo(200 * MIB);
    }

    /**
     * Ada, Bo and {@code carriers}, each a contact of Ada and Bo: Ada has written to every one of them before (a
     * session with each, their cards known) and is connected to the carriers, as contacts who just talked are; Bo goes
     * offline, and Ada writes to him from her window.
     */
    private FrameFixture adaWritesToOfflineBo(TestPeer... carriers) throws Exception {
        ada = TestPeer.start(temp, "Ada");
        bo = TestPeer.start(temp, "Bo");
        TestPeer.befriend(ada, bo);
        for (TestPeer carrier : carriers) {
            TestPeer.befriend(ada, carrier);
            TestPeer.befriend(bo, carrier);
        }
        ada.engine().chat().send(bo.peerId(), "see you next week");
        EngineProbes.awaitDeliveredEverythingTo(ada.engine(), bo.peerId(), WAIT);
        for (TestPeer carrier : carriers) {
            ada.engine().chat().send(carrier.peerId(), "are you around tonight?");
            EngineProbes.awaitDeliveredEverythingTo(ada.engine(), carrier.peerId(), WAIT);
        }
        bo.stopEngine();

        FrameFixture window = openWindow(ada.engine(), false);
        await("everyone listed", () -> main(window).conversationList().model().getSize() == 1 + carriers.length);
        ConversationPanel open = openConversation(window, bo);
        await("Bo offline", () -> !open.contact().orElseThrow().online());
        await("composer enabled", () -> open.composer().reason().isEmpty());
        window.textBox("composer").enterText("for Bo, carried");
        window.textBox("composer").pressAndReleaseKeys(KeyEvent.VK_ENTER);
        return window;
    }

    private ConversationPanel openConversation(FrameFixture window, TestPeer peer) {
        window.list("conversations").clickItem(onEdt(() -> main(window).conversationList().model()
                .indexOf(peer.peerId())));
        ConversationPanel open = main(window).conversationPanel();
        await("the conversation with " + peer.name + " open",
                () -> open.peer().filter(peer.peerId()::equals).isPresent());
        return open;
    }

    /** Ada's message to Bo shown with Carol, as its mark, tooltip and carriers say; read on the EDT. */
    private static Optional<MessageRow> carriedRow(ConversationPanel open) {
        return row(open, "for Bo, carried").filter(row -> row.deliveryMark() == DeliveryIcon.Mark.WITH_CARRIER
                && row.description().endsWith(" · With Carol for Bo"));
    }

    private static Optional<MessageRow> row(ConversationPanel open, String text) {
        return open.timeline().rows().stream().filter(row -> row.message().text().equals(text)).findFirst();
    }

    private DialogFixture openSettings(FrameFixture window) {
        window.menuItem("Settings…").click();
        return WindowFinder.findDialog("settings").withTimeout(WAIT.toMillis()).using(robot);
    }

    /**
     * Clicks the carry box on the EDT, as press() clicks buttons: the robot's first click in a new modal dialog is
     * sometimes lost under Xvfb.
     */
    private void toggleCarry(DialogFixture settings) {
        JCheckBox carry = OnScreen.named(robot, settings.target(), "carry", JCheckBox.class);
        GuiActionRunner.execute(() -> carry.doClick());
    }

    private JSpinner spinner(DialogFixture settings) {
        return OnScreen.named(robot, settings.target(), "carryQuota", JSpinner.class);
    }

    private int quota(DialogFixture settings) {
        JSpinner spinner = spinner(settings);
        return onEdt(() -> (Integer) spinner.getValue());
    }

    /** Saves, and returns once the dialog closed: it closes once the engine took the settings. */
    private static void saveAndClose(DialogFixture settings) {
        press(settings, "Save");
        await("the settings dialog closed", () -> !settings.target().isShowing());
    }

    /** Shows {@code window} in the dark or the light theme, laid out again. */
    private void inTheme(boolean dark, Window window) {
        GuiActionRunner.execute(() -> {
            Theme.install(dark);
            FlatLaf.updateUI();
            window.validate();
        });
        robot.waitForIdle();
    }
}
