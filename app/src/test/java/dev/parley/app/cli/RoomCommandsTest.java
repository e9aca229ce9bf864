package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /room} in {@code parley chat --json}: three child JVMs on loopback make a room and talk in it. */
class RoomCommandsTest {
    @TempDir
    Path temp;

    private static void befriend(ChatProcess a, ChatProcess b) {
        a.send("/invite");
        b.send("/add " + a.await("invite").path("code").asText());
        b.await("contact");
        b.send("/invite");
        a.send("/add " + b.await("invite").path("code").asText());
    }

    @Test
    void aRoomIsCreatedJoinedTalkedInAndAMemberRemoved() throws Exception {
        try (ChatProcess alice = new ChatProcess(temp.resolve("alice"), "Alice", "--json");
             ChatProcess bob = new ChatProcess(temp.resolve("bob"), "Bob", "--json");
             ChatProcess carol = new ChatProcess(temp.resolve("carol"), "Carol", "--json")) {
            String bobPeer = bob.await("ready").path("peerId").asText();
            String carolPeer = carol.await("ready").path("peerId").asText();
            alice.await("ready");
            befriend(alice, bob);
            befriend(alice, carol);
            alice.await("contact", node -> node.path("peerId").asText().equals(carolPeer));

            alice.send("/room create \"Climbing club\"");
            JsonNode created = alice.await("room-created");
            String room = created.path("room").asText();
            assertThat(room).hasSize(32);
            assertThat(created.path("name").asText()).isEqualTo("Climbing club");
            alice.send("/room invite \"Climbing club\" Bob");
            alice.send("/room invite " + room.substring(0, 8) + " Carol");

            for (ChatProcess invitee : new ChatProcess[] {bob, carol}) {
                JsonNode invitation = invitee.await("room-invitation");
                assertThat(invitation.path("room").asText()).isEqualTo(room);
                assertThat(invitation.path("name").asText()).isEqualTo("Climbing club");
                assertThat(invitation.path("fromName").asText()).isEqualTo("Alice");
                invitee.send("/room accept " + room);
            }
            carol.await("room", node -> node.path("status").asText().equals("joined")
                    && node.path("members").size() == 3);

            bob.send("/room say \"Climbing club\" Saturday at the crag?");
            String id = bob.await("room-sent").path("id").asText();
            JsonNode heard = carol.await("room-message", node -> !node.path("notice").asBoolean());
            assertThat(heard.path("text").asText()).isEqualTo("Saturday at the crag?");
            assertThat(heard.path("name").asText()).isEqualTo("Bob");
            assertThat(heard.path("peerId").asText()).isEqualTo(bobPeer);
            assertThat(heard.path("id").asText()).isEqualTo(id);
            assertThat(heard.path("room").asText()).isEqualTo(room);

            carol.send("/room members " + room);
            JsonNode members = carol.await("room-members");
            assertThat(members.path("members")).extracting(m -> m.path("name").asText())
                    .containsExactly("Alice", "Bob", "Carol");
            assertThat(members.path("members")).extracting(m -> m.path("admin").asBoolean())
                    .containsExactly(true, false, false);

            alice.send("/room remove \"Climbing club\" Carol");
            carol.await("room", node -> node.path("status").asText().equals("left"));
            bob.await("room-message", node -> node.path("notice").asBoolean()
                    && node.path("text").asText().equals("Alice removed Carol"));
            carol.send("/room say " + room + " am I still here?");
            assertThat(carol.await("error").path("message").asText()).contains("not a member");

            bob.send("/room history " + room);
            JsonNode history = bob.await("room-history");
            assertThat(history.path("messages")).extracting(m -> m.path("text").asText()).containsSubsequence(
                    "Alice created the room Climbing club", "Alice added Bob", "Alice added Carol",
                    "Saturday at the crag?", "Alice removed Carol");
            bob.send("/room say Nowhere hello");
            assertThat(bob.await("error").path("message").asText()).contains("no room is called");
        }
    }
}
