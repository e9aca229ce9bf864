package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.formdev.flatlaf.FlatLaf;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.crypto.RoomId;
import java.awt.Component;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.event.KeyEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JLayeredPane;
import javax.swing.JList;
import javax.swing.SwingUtilities;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A room has what a 1:1 conversation has, in real windows over real engines on loopback: the unread badge and bold
 * name, the title's count, how far our messages reached, paging, a toast that names the room; and the admins'
 * actions, asked first, the removed member told so, the room dialogs' Cancel and whole errors. Screenshots of a
 * room, light and dark: app/target/screenshots/room-light.png and room-dark.png.
 */
class RoomParityWindowTest extends WindowTest {
    TestPeer alice;
    TestPeer bob;
    TestPeer carol;

    @BeforeEach
    void aliceBobAndCarol() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        bob = TestPeer.start(temp, "Bob");
        carol = TestPeer.start(temp, "Carol");
        TestPeer.befriend(alice, bob);
        TestPeer.befriend(alice, carol);
    }

    @AfterEach
    void stopEngines() {
        alice.close();
        bob.close();
        carol.close();
    }

    /** Alice's room with {@code members} in it, each having accepted. */
    private RoomId roomWith(String name, List<TestPeer> members) throws Exception {
        RoomId room = alice.engine().rooms().create(name).id();
        for (TestPeer member : members) {
            alice.engine().rooms().invite(room, member.peerId());
            await(member.name + " invited", () -> member.engine().rooms().get(room).map(RoomInfo::status)
                    .equals(Optional.of(RoomStatus.INVITED)));
            member.engine().rooms().accept(room);
        }
        await("everyone in", () -> alice.engine().rooms().get(room).orElseThrow().members().size()
                == members.size() + 1);
        return room;
    }

    @Test
    void anUnreadRoomIsBadgedCountedAnnouncedAndReadWithDeliveriesShown() throws Exception {
        RoomId room = roomWith("Café club", List.of(bob));
        FrameFixture aliceWindow = openWindow(alice.engine(), false);
        await("the room listed", () -> main(aliceWindow).roomList().rooms().size() == 1);
        assertThat(aliceWindow.target().getTitle()).isEqualTo("Parley — Alice");
        FrameFixture bobWindow = openWindow(bob.engine(), false);
        await("Bob's room listed", () -> main(bobWindow).roomList().rooms().size() == 1);
        GuiActionRunner.execute(() -> main(bobWindow).openRoom(room));
        await("Bob's room open", () -> main(bobWindow).roomPanel().isShowing());
        bobWindow.focus();
        await("Alice's window not in front", () -> !main(aliceWindow).isFocused());

        bobWindow.textBox("roomComposer").click();
        bobWindow.textBox("roomComposer").enterText("hello");
        robot.pressKey(KeyEvent.VK_SHIFT);
        robot.pressKey(KeyEvent.VK_ENTER);
        robot.releaseKey(KeyEvent.VK_ENTER);
        robot.releaseKey(KeyEvent.VK_SHIFT);
        robot.waitForIdle();
        assertThat(bobWindow.textBox("roomComposer").text()).as("Shift+Enter starts a line").isEqualTo("hello\n");
        bobWindow.textBox("roomComposer").enterText("anyone for coffee?");
        bobWindow.textBox("roomComposer").pressAndReleaseKeys(KeyEvent.VK_ENTER);
        await("Bob's message reached Alice, who stored it", () -> main(bobWindow).roomPanel().conversation()
                .deliveryNotes().equals(List.of("delivered to 1 of 1")));
        assertThat(main(bobWindow).roomPanel().lineTexts()).endsWith("Me: hello\nanyone for coffee?");

        await("the toast names Bob and the room", () -> toasts(aliceWindow).stream()
                .anyMatch(text -> text.startsWith("Bob in Café club: ") && text.contains("anyone for coffee?")));
        await("the room's line counts one unread", () -> main(aliceWindow).roomList().lineTexts()
                .equals(List.of("Café club · 2 members, 1 unread")));
        assertThat(roomLineFont(aliceWindow).isBold()).as("an unread room's name is bold").isTrue();
        assertThat(aliceWindow.target().getTitle()).isEqualTo("(1) Parley — Alice");

        // Xvfb has no window manager to hand the focus back: Bob's window goes, and Alice clicks her room's line.
        GuiActionRunner.execute(() -> bobWindow.target().dispose());
        aliceWindow.focus();
        aliceWindow.list("rooms").clickItem(0);
        await("Alice's room open", () -> main(aliceWindow).roomPanel().isShowing());
        await("Alice's window in front", () -> main(aliceWindow).isActive());
        await("the room read", () -> main(aliceWindow).roomList().lineTexts()
                .equals(List.of("Café club · 2 members")));
        assertThat(roomLineFont(aliceWindow).isBold()).as("a read room's name is plain").isFalse();
        await("the title without a count", () -> aliceWindow.target().getTitle().equals("Parley — Alice"));
        assertThat(main(aliceWindow).roomPanel().lineTexts()).contains("Bob: hello\nanyone for coffee?");

        aliceWindow.textBox("roomComposer").click();
        aliceWindow.textBox("roomComposer").enterText("yes! the usual place at 4?");
        aliceWindow.textBox("roomComposer").pressAndReleaseKeys(KeyEvent.VK_ENTER);
        await("Alice's message delivered to Bob", () -> main(aliceWindow).roomPanel().conversation()
                .deliveryNotes().equals(List.of("delivered to 1 of 1")));
        bob.engine().rooms().say(room, "perfect, see you there ☕");
        await("Bob's answer shown", () -> main(aliceWindow).roomPanel().lineTexts()
                .contains("Bob: perfect, see you there ☕"));
        // The toast of Bob's first message would cover Alice's answer in the pictures.
        GuiActionRunner.execute(() -> Arrays.stream(main(aliceWindow).getLayeredPane()
                .getComponentsInLayer(JLayeredPane.POPUP_LAYER)).filter(c -> c instanceof Toast)
                .forEach(toast -> toast.setVisible(false)));
        robot.waitForIdle();
        screenshot(aliceWindow.target(), "room-light");
        GuiActionRunner.execute(() -> {
            Theme.install(true);
            FlatLaf.updateUI();
        });
        robot.waitForIdle();
        screenshot(aliceWindow.target(), "room-dark");
        GuiActionRunner.execute(() -> {
            Theme.install(false);
            FlatLaf.updateUI();
        });
    }

    @Test
    void aRoomOfFiveHundredLinesPagesBackToItsStartHoldingAtMostMaxRowsAndScrollsDownToTheNewestAgain()
            throws Exception {
        RoomId room = roomWith("Long room", List.of(bob));
        for (int i = 0; i < 500; i++) {
            bob.engine().rooms().say(room, "line " + i);
        }
        await("Alice has all 500", () -> alice.engine().rooms().unread().getOrDefault(room, 0) == 500);
        FrameFixture window = openWindow(alice.engine(), false);
        await("the room listed", () -> main(window).roomList().rooms().size() == 1);
        GuiActionRunner.execute(() -> main(window).openRoom(room));
        RoomConversation conversation = main(window).roomPanel().conversation();
        await("the newest page shown", () -> conversation.lineTexts().contains("Bob: line 499"));
        assertThat(onEdt(conversation::loadedLines)).as("only the newest page").isEqualTo(RoomConversation.PAGE);

        // Up to the room's first line, its creation (line 0 may arrive a page before it): each page loaded above
        // drops as many lines at the bottom once at the cap.
        String created = "Alice created the room Long room";
        for (int round = 0; round < 40 && !onEdt(() -> conversation.lineTexts().getFirst()).equals(created);
                round++) {
            String oldest = onEdt(() -> conversation.lineTexts().getFirst());
            GuiActionRunner.execute(() -> conversation.scrollModel().setValue(0));
            await("an older page loaded", () -> !conversation.lineTexts().getFirst().equals(oldest));
            assertThat(onEdt(conversation::loadedLines)).as("lines held while paging back")
                    .isLessThanOrEqualTo(RoomConversation.MAX_ROWS);
        }
        List<String> atTheStart = onEdt(conversation::lineTexts);
        assertThat(atTheStart.getFirst()).isEqualTo(created);
        assertThat(atTheStart).hasSize(RoomConversation.MAX_ROWS).doesNotContain("Bob: line 499");
        assertThat(bobsLines(atTheStart)).isEqualTo(consecutiveLines(0, bobsLines(atTheStart).size()));

        // Down to the newest again: pages load below and the oldest lines go.
        for (int round = 0; round < 40 && !lastLine(conversation).equals("Bob: line 499"); round++) {
            String newest = lastLine(conversation);
            GuiActionRunner.execute(() -> conversation.scrollModel().setValue(conversation.scrollModel().getMaximum()));
            await("a newer page loaded", () -> !lastLine(conversation).equals(newest));
            assertThat(onEdt(conversation::loadedLines)).as("lines held while paging down")
                    .isLessThanOrEqualTo(RoomConversation.MAX_ROWS);
        }
        List<String> atTheEnd = onEdt(conversation::lineTexts);
        assertThat(atTheEnd).hasSize(RoomConversation.MAX_ROWS).doesNotContain("Bob: line 0");
        assertThat(atTheEnd).isEqualTo(consecutiveLines(500 - RoomConversation.MAX_ROWS, RoomConversation.MAX_ROWS));

        // Back at the newest lines, a new one shows as it arrives, and the oldest loaded gives way.
        bob.engine().rooms().say(room, "line 500");
        await("the new line shown", () -> lastLine(conversation).equals("Bob: line 500"));
        assertThat(onEdt(conversation::loadedLines)).isEqualTo(RoomConversation.MAX_ROWS);
    }

    private static String lastLine(RoomConversation conversation) {
        return onEdt(() -> conversation.lineTexts().getLast());
    }

    private static List<String> bobsLines(List<String> lines) {
        return lines.stream().filter(line -> line.startsWith("Bob: line ")).toList();
    }

    /** "Bob: line FROM" and the {@code count - 1} after it. */
    private static List<String> consecutiveLines(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> "Bob: line " + i).toList();
    }

    @Test
    void adminsChangeTheRoomAfterAConfirmationAndTheRemovedMemberIsToldWhoRemovedThem() throws Exception {
        RoomId room = roomWith("Café club", List.of(bob, carol));
        FrameFixture bobWindow = openWindow(bob.engine(), false);
        await("Bob's room listed", () -> main(bobWindow).roomList().rooms().size() == 1);
        GuiActionRunner.execute(() -> main(bobWindow).openRoom(room));
        await("Bob's room open", () -> main(bobWindow).roomPanel().subtitleText().startsWith("3 members"));
        bobWindow.button("roomMembers").click();
        DialogFixture bobsMembers = bobWindow.dialog("membersDialog");
        assertThat(bobsMembers.list("memberList").contents()).hasSize(3);
        assertThat(onEdt(() -> robot.finder().findByName(bobsMembers.target(), "removeMember", JButton.class, false)
                .isShowing()))
                .as("a member who is no admin sees the list only").isFalse();
        // Pressed on the EDT and awaited: Xvfb sometimes drops the robot's first click on a new dialog, and a members
        // dialog of Bob's left open would be found again below as Alice's.
        GuiActionRunner.execute(() -> bobsMembers.button("closeMembers").target().doClick());
        await("Bob's members dialog closed", () -> !bobsMembers.target().isShowing());

        FrameFixture window = openWindow(alice.engine(), false);
        await("the room listed", () -> main(window).roomList().rooms().size() == 1);
        GuiActionRunner.execute(() -> main(window).openRoom(room));
        await("the room open", () -> main(window).roomPanel().subtitleText().startsWith("3 members"));
        window.focus();
        window.button("roomMembers").click();
        DialogFixture members = window.dialog("membersDialog");
        members.list("memberList").selectItem("Bob · online");
        pressToOpen(members, "removeMember");
        DialogFixture ask = confirmDialog();
        assertThat(ask.target().getTitle()).isEqualTo("Remove Bob?");
        GuiActionRunner.execute(() -> ask.button("cancelAction").target().doClick());
        await("the question gone", () -> !ask.target().isShowing());
        assertThat(alice.engine().rooms().get(room).orElseThrow().members()).hasSize(3);

        pressToOpen(members, "removeMember");
        DialogFixture remove = confirmDialog();
        GuiActionRunner.execute(() -> remove.button("confirmAction").target().doClick());
        await("the list follows: Bob gone", () -> members.list("memberList").target().getModel().getSize() == 2);
        assertThat(members.list("memberList").contents()).containsExactly("Alice · admin · online",
                "Carol · online");

        members.list("memberList").selectItem("Carol · online");
        pressToOpen(members, "promoteMember");
        DialogFixture promote = confirmDialog();
        assertThat(promote.target().getTitle()).isEqualTo("Make Carol an admin?");
        GuiActionRunner.execute(() -> promote.button("confirmAction").target().doClick());
        await("Carol an admin", () -> Arrays.asList(members.list("memberList").contents())
                .contains("Carol · admin · online"));

        pressToOpen(members, "renameRoom");
        DialogFixture rename = confirmDialog();
        rename.textBox("newRoomName").deleteText();
        rename.textBox("newRoomName").enterText("Tea club");
        GuiActionRunner.execute(() -> rename.button("confirmAction").target().doClick());
        await("the dialog follows the new name", () -> members.target().getTitle().equals("Tea club — members"));
        GuiActionRunner.execute(() -> members.button("closeMembers").target().doClick());

        await("Bob is told who removed him", () -> main(bobWindow).roomPanel().subtitleText()
                .equals("you were removed by Alice"));
        assertThat(bob.engine().rooms().get(room).orElseThrow().status()).isEqualTo(RoomStatus.LEFT);
        assertThat(onEdt(() -> bobWindow.textBox("roomComposer").target().isEnabled())).isFalse();
        await("Bob's composer says so", () -> placeholderOf(bobWindow).equals(
                "You were removed from this room by Alice"));
    }

    @Test
    void theNewRoomAndInviteDialogsHaveATitleCancelAndShowAnErrorWhole() throws Exception {
        FrameFixture window = openWindow(alice.engine(), false);
        await("both contacts listed", () -> main(window).conversationList().model().getSize() == 2);
        window.menuItemWithPath("Rooms", "New room…").click();
        DialogFixture create = window.dialog("newRoomDialog");
        assertThat(create.target().getTitle()).isEqualTo("New room");
        create.button("createRoom").click();
        JLabel error = create.label("roomError").target();
        await("the error shown", () -> error.getAccessibleContext().getAccessibleName() != null
                && error.getAccessibleContext().getAccessibleName().contains("a name is not empty"));
        await("the error whole within the dialog", () -> error.getHeight() >= error.getPreferredSize().height
                && error.getWidth() >= error.getPreferredSize().width && within(error, (JDialog) create.target()));
        create.button("cancelNewRoom").click();
        await("the dialog closed", () -> !create.target().isShowing());
        assertThat(alice.engine().rooms().list()).isEmpty();

        RoomId room = alice.engine().rooms().create("Book club").id();
        await("the room listed", () -> main(window).roomList().rooms().size() == 1);
        GuiActionRunner.execute(() -> main(window).openRoom(room));
        await("the room open", () -> main(window).roomPanel().isShowing());
        window.button("inviteToRoom").click();
        DialogFixture invite = window.dialog("inviteDialog");
        assertThat(invite.target().getTitle()).isEqualTo("Invite to Book club");
        invite.checkBox("invite Bob").check();
        invite.button("cancelInvite").click();
        await("the dialog closed", () -> !invite.target().isShowing());
        assertThat(bob.engine().rooms().get(room)).as("Cancel invites no one").isEmpty();
        assertThat(alice.engine().rooms().get(room).orElseThrow().members()).hasSize(1);
    }

    private DialogFixture confirmDialog() {
        return WindowFinder.findDialog("confirmDialog").withTimeout(WAIT.toMillis()).using(robot);
    }

    private static boolean within(Component part, JDialog dialog) {
        Rectangle bounds = SwingUtilities.convertRectangle(part.getParent(), part.getBounds(),
                dialog.getContentPane());
        return new Rectangle(dialog.getContentPane().getSize()).contains(bounds);
    }

    private static String placeholderOf(FrameFixture window) {
        return main(window).roomPanel().conversation().placeholder();
    }

    private static Font roomLineFont(FrameFixture window) {
        return onEdt(() -> {
            @SuppressWarnings("unchecked")
            JList<RoomInfo> rooms = (JList<RoomInfo>) window.list("rooms").target();
            return rooms.getCellRenderer().getListCellRendererComponent(rooms, rooms.getModel().getElementAt(0), 0,
                    false, false).getFont();
        });
    }

    private static List<String> toasts(FrameFixture window) {
        return Arrays.stream(main(window).getLayeredPane().getComponentsInLayer(JLayeredPane.POPUP_LAYER))
                .filter(c -> c instanceof Toast toast && toast.isVisible()).map(c -> ((Toast) c).text()).toList();
    }
}
