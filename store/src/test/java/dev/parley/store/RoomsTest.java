package dev.parley.store;

import static dev.parley.store.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoomsTest extends StoreOnDisk {
    static final String ROOM = "room-1";

    @BeforeEach
    void addRoom() {
        store.conversations().create(Conversation.room("room-chat", ROOM, "Climbing", T0));
    }

    static MembershipEvent event(long epoch, int hash) {
        return new MembershipEvent(ROOM, epoch, new byte[] {(byte) hash}, "admin", new byte[] {42, (byte) epoch});
    }

    static RoomMember member(String peer, RoomRole role, long epoch) {
        return new RoomMember(ROOM, peer, role, epoch);
    }

    @Test
    void theLogIsASetOfEventsAndMembersFollowTheLatest() {
        store.rooms().append(event(0, 10), List.of(member("admin", RoomRole.ADMIN, 0)));
        store.rooms().append(event(1, 11), List.of(member("admin", RoomRole.ADMIN, 0),
                member("bob", RoomRole.MEMBER, 1)));
        store.rooms().append(event(2, 13), List.of(member("admin", RoomRole.ADMIN, 0),
                member("bob", RoomRole.ADMIN, 1), member("carol", RoomRole.MEMBER, 2)));
        // Two members changed the room at once: two events at one epoch, both kept.
        store.rooms().append(event(2, 12), List.of(member("admin", RoomRole.ADMIN, 0),
                member("carol", RoomRole.MEMBER, 2)));

        assertThat(store.rooms().log(ROOM)).extracting(MembershipEvent::epoch).containsExactly(0L, 1L, 2L, 2L);
        assertThat(store.rooms().log(ROOM)).extracting(event -> event.hash()[0]).containsExactly((byte) 10,
                (byte) 11, (byte) 12, (byte) 13);
        assertThat(store.rooms().log(ROOM).get(1).event()).containsExactly(42, 1);
        assertThat(TestData.room(store, ROOM).members()).containsExactly(member("admin", RoomRole.ADMIN, 0),
                member("carol", RoomRole.MEMBER, 2));
    }

    @Test
    void anEventAlreadyStoredIsADuplicate() {
        store.rooms().append(event(0, 10), List.of(member("admin", RoomRole.ADMIN, 0)));
        assertThat(store.rooms().append(event(0, 10), List.of())).isEqualTo(InsertOutcome.DUPLICATE);
        assertThat(TestData.room(store, ROOM).members()).hasSize(1);
    }

    @Test
    void anUnknownRoomAndAForeignMemberAreNamed() {
        MembershipEvent elsewhere = new MembershipEvent("room-x", 0, new byte[] {1}, "a", new byte[] {1});
        assertThatThrownBy(() -> store.rooms().append(elsewhere, List.of()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no room with id 'room-x'");
        assertThatThrownBy(() -> store.rooms().append(event(0, 10),
                List.of(new RoomMember("room-x", "bob", RoomRole.MEMBER, 0))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("member bob of room room-x");
        assertThatThrownBy(() -> event(-1, 11)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("negative epoch");
    }

    @Test
    void deletingTheRoomConversationDropsItsLogAndMembers() throws Exception {
        store.rooms().append(event(0, 10), List.of(member("admin", RoomRole.ADMIN, 0)));
        SchemaFiles.deleteConversation(file(), "room-chat");
        assertThat(store.rooms().log(ROOM)).isEmpty();
        assertThat(SchemaFiles.query(file(), "SELECT count(*) FROM room_members"))
                .containsExactly("0");
    }

    @Test
    void aSenderKeyIsHandedOutAgainOnlyToWhomItFirstWentAlsoAfterARestart() {
        store.senderKeys().addRecipients(ROOM, 3, List.of("bob", "carol"));
        store.senderKeys().addRecipients(ROOM, 4, List.of("bob"));
        store.senderKeys().addRecipients(ROOM, 3, List.of("bob"));
        store.close();
        store = SqliteStore.open(file());

        assertThat(store.senderKeys().handedTo(ROOM, 3, "bob")).isTrue();
        assertThat(store.senderKeys().handedTo(ROOM, 3, "carol")).isTrue();
        assertThat(store.senderKeys().handedTo(ROOM, 4, "carol")).as("out at epoch 4").isFalse();
        assertThat(store.senderKeys().handedTo(ROOM, 3, "dave")).as("never a recipient").isFalse();
        assertThat(store.senderKeys().handedTo("room-2", 3, "bob")).as("another room").isFalse();
    }
}
