package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.MessageDetails;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.crypto.RoomId;
import java.awt.Component;
import java.awt.event.ContainerAdapter;
import java.awt.event.ContainerEvent;
import java.awt.event.KeyEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.swing.core.MouseButton;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The message actions in a room of three, the same menu and controls as in a 1:1 conversation: Alice and Bob in
 * windows, Carol an engine, all on loopback. Reply, react, edit and delete for everyone in one window show in the
 * other and reach Carol.
 */
class RoomActionsWindowTest extends WindowTest {
    TestPeer alice;
    TestPeer bob;
    TestPeer carol;
    RoomId room;

    @BeforeEach
    void aRoomOfThree() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        bob = TestPeer.start(temp, "Bob");
        carol = TestPeer.start(temp, "Carol");
        TestPeer.befriend(alice, bob);
        TestPeer.befriend(alice, carol);
        TestPeer.befriend(bob, carol);
        room = alice.engine().rooms().create("Climbing").id();
        for (TestPeer member : List.of(bob, carol)) {
            alice.engine().rooms().invite(room, member.peerId());
            await(member.name + " invited", () -> member.engine().rooms().get(room).map(RoomInfo::status)
                    .equals(Optional.of(RoomStatus.INVITED)));
            member.engine().rooms().accept(room);
        }
        await("everyone in, everywhere", () -> List.of(alice, bob, carol).stream().allMatch(peer ->
                peer.engine().rooms().get(room).map(info -> info.members().size() == 3).orElse(false)));
    }

    @AfterEach
    void stopEngines() {
        alice.close();
        bob.close();
        carol.close();
    }

    @Test
    void replyReactEditAndDeleteInOneWindowShowInTheOtherAndReachTheThirdMember() throws Exception {
        carol.engine().rooms().say(room, "who brings the map?");
        FrameFixture aliceWindow = openRoom(alice);
        FrameFixture bobWindow = openRoom(bob);
        GuiActionRunner.execute(() -> {
            bobWindow.target().setLocation(560, 0);
            return true;
        });
        await("Carol's line at Alice's", () -> line(aliceWindow, "who brings the map?").isPresent());
        await("and at Bob's", () -> line(bobWindow, "who brings the map?").isPresent());

        aliceWindow.focus();
        robot.click(awaitBubble("Carol's question at Alice's", () -> line(aliceWindow, "who brings the map?")),
                MouseButton.RIGHT_BUTTON);
        clickMenuItem("actionReply");
        await("the composer quotes Carol", () -> conversation(aliceWindow).composer().contextText()
                .equals("Replying to Carol: who brings the map?"));
        List<Component> removedAtAlices = rowsRemovedFrom(conversation(aliceWindow).timeline());
        aliceWindow.textBox("roomComposer").enterText("I do\n");
        await("Bob sees the reply with its quote", () -> line(bobWindow, "I do")
                .filter(reply -> reply.quote().isVisible()
                        && reply.quote().getText().equals("Carol: who brings the map?")).isPresent());
        await("Carol has it as a reply", () -> carolsLine("I do").flatMap(line -> details(carol, line).replyTo())
                .isPresent());
        await("Alice's reply stored", () -> line(aliceWindow, "I do").filter(row -> !row.provisional()).isPresent());
        assertThat(removedAtAlices).as("the row shown while sending is the stored line's: none taken away").isEmpty();

        aliceWindow.textBox("roomComposer").focus();
        aliceWindow.textBox("roomComposer").pressAndReleaseKeys(KeyEvent.VK_UP);
        await("editing the last message", () -> conversation(aliceWindow).composer().contextText()
                .equals("Editing your message"));
        aliceWindow.textBox("roomComposer").enterText(", and the compass\n");
        await("Bob sees the edit", () -> line(bobWindow, "I do, and the compass")
                .filter(row -> row.editedMark().isShowing()).isPresent());
        await("Carol has the edit", () -> carolsLine("I do, and the compass").isPresent());

        bobWindow.focus();
        robot.moveMouse(awaitBubble("the edited reply at Bob's", () -> line(bobWindow, "I do, and the compass")));
        robot.click(awaitShowing("the hover button shows", () -> line(bobWindow, "I do, and the compass")
                .map(MessageRow::hoverButton)));
        clickMenuItem("actionReact");
        clickMenuItem("react 🙏");
        await("Alice sees Bob's reaction", () -> line(aliceWindow, "I do, and the compass").map(row -> onEdt(() ->
                row.chips().byEmoji().get("🙏"))).filter(chip -> chip.names().equals(List.of("Bob"))).isPresent());
        await("Carol has it", () -> carolsLine("I do, and the compass").map(line -> details(carol, line).reactionCounts())
                .filter(counts -> counts.equals(java.util.Map.of("🙏", 1))).isPresent());

        // Forward: Bob sends Carol's question on into the room itself; both windows mark the copy "Forwarded".
        robot.click(awaitBubble("Carol's question at Bob's", () -> line(bobWindow, "who brings the map?")),
                MouseButton.RIGHT_BUTTON);
        clickMenuItem("actionForward");
        DialogFixture forward = WindowFinder.findDialog("forwardDialog").withTimeout(WAIT.toMillis()).using(robot);
        forward.textBox("forwardFilter").enterText("climb");
        await("the room listed alone", () -> forward.list("forwardTargets").contents().length == 1);
        press(forward, "Forward");
        await("Alice sees Bob's forward marked above its bubble", () -> forwardedCopy(aliceWindow)
                .filter(copy -> !copy.message().outgoing() && markAboveBubble(copy)).isPresent());
        await("Bob sees his copy marked", () -> forwardedCopy(bobWindow)
                .filter(copy -> copy.message().outgoing() && markAboveBubble(copy)).isPresent());
        assertThat(onEdt(() -> line(aliceWindow, "who brings the map?").orElseThrow().forwardedMark().isVisible()))
                .as("Carol's original is no forward").isFalse();

        aliceWindow.focus();
        robot.click(awaitBubble("Alice's edited reply", () -> line(aliceWindow, "I do, and the compass")),
                MouseButton.RIGHT_BUTTON);
        clickMenuItem("actionDeleteForEveryone");
        DialogFixture confirm = WindowFinder.findDialog("confirmDelete").withTimeout(WAIT.toMillis()).using(robot);
        press(confirm, "Delete for everyone");
        await("Bob sees it deleted", () -> conversation(bobWindow).lineTexts()
                .contains("Alice: This message was deleted"));
        await("gone from Carol's history", () -> carolsLine("I do, and the compass").isEmpty());
        assertThat(conversation(aliceWindow).lineTexts()).contains("Me: This message was deleted");
    }

    private FrameFixture openRoom(TestPeer peer) throws Exception {
        FrameFixture window = openWindow(peer.engine(), false);
        await("the room listed", () -> main(window).roomList().rooms().size() == 1);
        GuiActionRunner.execute(() -> main(window).openRoom(room));
        await("the room open", () -> main(window).roomPanel().isShowing());
        return window;
    }

    private static Optional<MessageRow> forwardedCopy(FrameFixture window) {
        return onEdt(() -> conversation(window).timeline().rows().stream()
                .filter(row -> row.message().text().equals("who brings the map?") && row.details().forwarded())
                .findFirst());
    }

    /** Whether {@code row} shows "Forwarded" on screen, between its top (where a sender's name goes) and its bubble. */
    private static boolean markAboveBubble(MessageRow row) {
        javax.swing.JLabel mark = row.forwardedMark();
        return mark.isShowing() && mark.getText().equals("Forwarded")
                && mark.getY() + mark.getHeight() <= row.bubbleBounds().y;
    }

    /** The rows taken out of {@code timeline} from now on, as they go. */
    private static List<Component> rowsRemovedFrom(Timeline timeline) {
        List<Component> removed = new CopyOnWriteArrayList<>();
        GuiActionRunner.execute(() -> timeline.addContainerListener(new ContainerAdapter() {
            @Override
            public void componentRemoved(ContainerEvent event) {
                removed.add(event.getChild());
            }
        }));
        return removed;
    }

    private static RoomConversation conversation(FrameFixture window) {
        return main(window).roomPanel().conversation();
    }

    private static Optional<MessageRow> line(FrameFixture window, String text) {
        return onEdt(() -> conversation(window).timeline().rows().stream()
                .filter(row -> row.message().text().equals(text)).findFirst());
    }

    private Optional<RoomMessage> carolsLine(String text) throws Exception {
        return carol.engine().rooms().history(room, 50).stream().filter(line -> line.text().equals(text))
                .findFirst();
    }

    private MessageDetails details(TestPeer peer, RoomMessage line) {
        try {
            return peer.engine().actions().details(new MessageRef(new ConversationRef.Room(room), line.sender(),
                    line.id()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
