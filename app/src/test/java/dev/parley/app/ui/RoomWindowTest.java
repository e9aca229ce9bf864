package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.crypto.RoomId;
import java.awt.event.KeyEvent;
import java.util.List;
import java.util.Optional;
import javax.swing.JList;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alice makes a room in the window and invites Bob and Carol, engines on loopback; they talk in it. */
class RoomWindowTest extends WindowTest {
    TestPeer alice;
    TestPeer bob;
    TestPeer carol;
    FrameFixture window;

    @BeforeEach
    void aliceBobAndCarol() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        bob = TestPeer.start(temp, "Bob");
        carol = TestPeer.start(temp, "Carol");
        TestPeer.befriend(alice, bob);
        TestPeer.befriend(alice, carol);
        window = openWindow(alice.engine(), false);
        await("both contacts listed", () -> main(window).conversationList().model().getSize() == 2);
    }

    @AfterEach
    void stopEngines() {
        alice.close();
        bob.close();
        carol.close();
    }

    @Test
    void aRoomIsCreatedTwoContactsInvitedAndMessagesGoBothWays() throws Exception {
        window.menuItemWithPath("Rooms", "New room…").click();
        DialogFixture create = window.dialog("newRoomDialog");
        create.textBox("roomName").enterText("Weekend trip");
        create.button("createRoom").click();
        await("the room open", () -> main(window).roomPanel().room().map(RoomInfo::name)
                .equals(Optional.of("Weekend trip")));
        RoomId room = onEdt(() -> main(window).roomPanel().room().orElseThrow().id());
        await("the room listed", () -> main(window).roomList().lineTexts().equals(List.of("Weekend trip · 1 member")));

        window.button("inviteToRoom").click();
        DialogFixture invite = window.dialog("inviteDialog");
        invite.checkBox("invite Bob").check();
        invite.checkBox("invite Carol").check();
        invite.button("sendInvitations").click();
        for (TestPeer invitee : List.of(bob, carol)) {
            await(invitee.name + " invited", () -> invitee.engine().rooms().get(room).map(RoomInfo::status)
                    .equals(Optional.of(RoomStatus.INVITED)));
            invitee.engine().rooms().accept(room);
        }
        await("three members shown", () -> main(window).roomPanel().subtitleText().startsWith("3 members"));
        await("the notices shown", () -> main(window).roomPanel().lineTexts().containsAll(List.of(
                "Alice created the room Weekend trip", "Alice added Bob", "Alice added Carol")));

        bob.engine().rooms().say(room, "I can bring the tent");
        await("Bob's message shown", () -> main(window).roomPanel().lineTexts().contains("Bob: I can bring the tent"));

        window.focus();
        window.textBox("roomComposer").click();
        window.textBox("roomComposer").enterText("great, see you both Saturday");
        window.textBox("roomComposer").pressAndReleaseKeys(KeyEvent.VK_ENTER);
        await("Alice's message shown", () -> main(window).roomPanel().lineTexts()
                .contains("Me: great, see you both Saturday"));
        for (TestPeer member : List.of(bob, carol)) {
            await(member.name + " has it", () -> texts(member, room).contains("great, see you both Saturday"));
        }
        assertThat(texts(carol, room)).containsExactly("I can bring the tent", "great, see you both Saturday");
        assertThat(window.textBox("roomComposer").text()).isEmpty();

        window.button("roomMembers").click();
        DialogFixture members = window.dialog("membersDialog");
        assertThat(members.list("memberList").contents()).containsExactly("Alice · admin · online",
                "Bob · online", "Carol · online");
        screenshot(window.target(), "room");
        members.close();
    }

    @Test
    void aConversationLeftForARoomOpensAgainWithAClickOnItsLineAfterTheListIsReloaded() throws Exception {
        JList<?> conversations = window.list("conversations").target();
        window.list("conversations").clickItem(onEdt(() -> main(window).conversationList().model()
                .indexOf(bob.peerId())));
        await("Bob's conversation open", () -> main(window).conversationPanel().isShowing());
        window.menuItemWithPath("Rooms", "New room…").click();
        DialogFixture create = window.dialog("newRoomDialog");
        create.textBox("roomName").enterText("Book club");
        create.button("createRoom").click();
        await("the room open", () -> main(window).roomPanel().isShowing());

        bob.engine().chat().send(alice.peerId(), "are you there?");
        await("the list read again", () -> main(window).conversationList().lineTexts().stream()
                .anyMatch(line -> line.startsWith("Bob, 1 unread")));
        assertThat(onEdt(conversations::getSelectedIndex)).as("no line chosen while the room is open").isEqualTo(-1);
        window.list("conversations").clickItem(onEdt(() -> main(window).conversationList().model()
                .indexOf(bob.peerId())));
        await("Bob's conversation open again", () -> main(window).conversationPanel().isShowing());
    }

    private static List<String> texts(TestPeer member, RoomId room) throws EngineException {
        return member.engine().rooms().history(room, 100).stream().filter(line -> !line.notice())
                .map(RoomMessage::text).toList();
    }
}
