package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.formdev.flatlaf.FlatLaf;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import java.awt.event.KeyEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.swing.JLabel;
import org.assertj.swing.core.GenericTypeMatcher;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alice writes to Bob while his Parley is closed: the window says why her message waits, and Quit warns her that it
 * is not delivered; once Bob is back it is delivered and Quit asks nothing. The same for a message in a room whose
 * only other member is Bob.
 */
class DeliveryWindowTest extends WindowTest {
    /** How often the engine syncs rooms with connected members (the engine's RoomAntiEntropy.PERIOD). */
    private static final Duration SYNC_ROUND = Duration.ofSeconds(30);
    private static final String WAITING = "Bob is offline. Your messages will be delivered when you are both online.";

    TestPeer alice;
    TestPeer bob;
    FrameFixture window;

    @BeforeEach
    void aliceWithBobOffline() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        bob = TestPeer.start(temp, "Bob");
        TestPeer.befriend(alice, bob);
        bob.stopEngine();
        window = openWindow(alice.engine(), false);
        await("Bob listed", () -> main(window).conversationList().model().getSize() == 1);
    }

    @AfterEach
    void stopEngines() {
        alice.close();
        bob.close();
    }

    @Test
    void aMessageToAnOfflineContactSaysWhyItWaitsAndQuitWarnsUntilItIsDelivered() throws Exception {
        window.list("conversations").clickItem(0);
        await("Bob offline", () -> !main(window).conversationPanel().contact().orElseThrow().online());
        ConversationPanel open = main(window).conversationPanel();
        assertThat(onEdt(() -> open.deliveryNote().isShowing())).as("nothing waits yet").isFalse();
        await("composer enabled", () -> open.composer().reason().isEmpty());
        window.textBox("composer").enterText("are you there?");
        window.textBox("composer").pressAndReleaseKeys(KeyEvent.VK_ENTER);

        await("the note shown", () -> open.deliveryNote().isShowing());
        window.label("deliveryNote").requireText(WAITING);
        await("the bubble's tooltip says why it waits", () -> open.timeline().rows().stream()
                .anyMatch(row -> row.message().text().equals("are you there?")
                        && row.description().endsWith("Sending. " + WAITING)));

        window.menuItemWithPath("Parley", "Quit").click();
        DialogFixture warning = WindowFinder.findDialog("quitWarning").withTimeout(WAIT.toMillis()).using(robot);
        assertThat(warning.label(new LabelContaining("1 message to Bob is not delivered yet")).target()).isNotNull();
        // Focused, the dialog is on screen and painted (Xvfb has no window manager to say so).
        await("Cancel focused", () -> warning.button("cancelQuit").target().hasFocus());
        robot.waitForIdle();
        screenshot(warning.target(), "quit-warning-light");
        GuiActionRunner.execute(() -> {
            Theme.install(true);
            FlatLaf.updateUI();
            warning.target().pack();
        });
        robot.waitForIdle();
        screenshot(warning.target(), "quit-warning-dark");
        warning.pressAndReleaseKeys(KeyEvent.VK_ESCAPE);
        await("Escape closed the warning", () -> !warning.target().isShowing());
        assertThat(window.target().isShowing()).as("Escape cancels the quit").isTrue();

        bob.startEngine();
        await("the bubble says delivered", () -> open.timeline().rows().stream()
                .anyMatch(row -> row.message().text().equals("are you there?")
                        && row.description().endsWith("Delivered")));
        await("the note gone", () -> !open.deliveryNote().isShowing());

        window.menuItemWithPath("Parley", "Quit").click();
        await("the window closed without asking", () -> !window.target().isDisplayable());
    }

    @Test
    void quitAnywayQuitsWithMessagesWaiting() throws Exception {
        alice.engine().chat().send(bob.peerId(), "first");
        alice.engine().chat().send(bob.peerId(), "second");

        window.menuItemWithPath("Parley", "Quit").click();
        DialogFixture warning = WindowFinder.findDialog("quitWarning").withTimeout(WAIT.toMillis()).using(robot);
        assertThat(warning.label(new LabelContaining("2 messages to Bob are not delivered yet")).target()).isNotNull();
        press(warning, "Quit anyway");

        await("the window closed", () -> !window.target().isDisplayable());
    }

    @Test
    void quitWarnsOfARoomMessageNoMemberHasUntilOneHasIt() throws Exception {
        bob.startEngine();
        RoomId room = alice.engine().rooms().create("Climbing").id();
        alice.engine().rooms().invite(room, bob.peerId());
        await("Bob invited", () -> bob.engine().rooms().get(room).map(RoomInfo::status)
                .equals(Optional.of(RoomStatus.INVITED)));
        bob.engine().rooms().accept(room);
        await("Bob in the room at Alice's", () -> alice.engine().rooms().get(room)
                .map(info -> info.members().size() == 2).orElse(false));
        bob.stopEngine();
        await("Bob offline", () -> !alice.engine().contacts().get(bob.peerId()).orElseThrow().online());
        MessageId waiting = alice.engine().rooms().say(room, "anyone at the wall?");

        window.menuItemWithPath("Parley", "Quit").click();
        DialogFixture warning = WindowFinder.findDialog("quitWarning").withTimeout(WAIT.toMillis()).using(robot);
        warning.label(new LabelContaining("1 message in Climbing is not delivered yet"));
        warning.label(new LabelContaining("or a member of the room"));
        press(warning, "Cancel");
        await("the warning closed", () -> !warning.target().isShowing());
        assertThat(window.target().isShowing()).as("Cancel stays").isTrue();

        bob.startEngine();
        await("Bob has the message", () -> bob.engine().rooms().history(room, 10).stream()
                .anyMatch(line -> line.id().equals(waiting)));
        // Alice learns that he holds it from his next sync digest: one anti-entropy round after he is back at most.
        Pause.pause(new Condition("Alice knows that Bob holds it") {
            @Override
            public boolean test() {
                try {
                    return alice.engine().rooms().deliveries(room, List.of(waiting)).get(waiting).stored() == 1;
                } catch (EngineException e) {
                    throw new AssertionError(e);
                }
            }
        }, Timeout.timeout(SYNC_ROUND.plus(WAIT).toMillis()));
        window.menuItemWithPath("Parley", "Quit").click();
        await("the window closed without asking", () -> !window.target().isDisplayable());
    }

    /** A showing label whose text contains {@code part} (the warning's note is HTML). */
    private static final class LabelContaining extends GenericTypeMatcher<JLabel> {
        private final String part;

        LabelContaining(String part) {
            super(JLabel.class);
            this.part = part;
        }

        @Override
        protected boolean isMatching(JLabel label) {
            return label.isShowing() && label.getText() != null && label.getText().contains(part);
        }
    }
}
