package dev.parley.store;

import static dev.parley.store.TestData.ALICE;
import static dev.parley.store.TestData.CHAT;
import static dev.parley.store.TestData.ME;
import static dev.parley.store.TestData.T0;
import static dev.parley.store.TestData.addAliceChat;
import static dev.parley.store.TestData.fromAlice;
import static dev.parley.store.TestData.incoming;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.store.MessageActions.Outcome;
import dev.parley.store.MessageActions.PendingAction;
import dev.parley.store.MessageActions.PendingKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A second review's attacks on the fixes of the message action promises (app README, Promises: "what a deletion
 * for everyone leaves", "who can react"), on a real SQLite file: actions that wait for their message, replayed and
 * late actions, and what stays in the file's and the WAL's bytes.
 */
class ActionFixesReviewTest extends StoreOnDisk {
    private static final String SECRET = "the-ferry-leaves-pier-9-at-0440";

    @BeforeEach
    void chatWithAlice() {
        addAliceChat(store);
    }

    /**
     * Held since its fix, which the review made; the review found it broken before. A member who joined a room late
     * keeps the actions of another member that name messages from before its joining, and those messages never come
     * (Alice reacting to old messages is enough). Once 256 of Alice's wait, her deletion for everyone of a new message
     * that arrives before the message (another route, a sync) was dropped like any action beyond the bound: the
     * message then arrived, was shown with its text and kept it for good.
     */
    @Test
    void aDeletionThatComesBeforeItsMessageWaitsForItWhateverElseItsAuthorHasWaiting() throws Exception {
        for (int i = 0; i < MessageActions.MAX_PENDING_PER_SENDER; i++) {
            assertThat(store.actions().take(new PendingAction(fromAlice("before-our-joining-" + i), ALICE, "r" + i,
                    PendingKind.REACT, 100 + i, "👍", T0))).isEqualTo(Outcome.MISSING);
        }
        MessageKey withdrawn = fromAlice("withdrawn");
        assertThat(store.actions().take(new PendingAction(withdrawn, ALICE, "deletion", PendingKind.DELETE, 1_000,
                "", T0))).isEqualTo(Outcome.MISSING);
        assertThat(store.actions().pendingCount(CHAT)).as("the bound still holds")
                .isEqualTo(MessageActions.MAX_PENDING_PER_SENDER);

        store.messages().insert(incoming(CHAT, "withdrawn", 900, "meet at " + SECRET));
        assertThat(store.actions().applyPending(withdrawn)).contains(Outcome.APPLIED);

        assertThat(store.messages().get(withdrawn).orElseThrow().body()).as("the text its author withdrew").isEmpty();
        assertThat(store.actions().extras(List.of(withdrawn)).get(withdrawn).deleted()).isTrue();
        assertThat(fileBytesContain(SECRET)).isFalse();
    }

    /**
     * Holds: reactions that wait for their message are held to the per-person bound when it arrives, so a contact
     * cannot pass the bound by reacting before the message is here.
     */
    @Test
    void reactionsThatWaitedForTheirMessageAreHeldToTheBoundWhenItArrives() {
        MessageKey later = fromAlice("later");
        List<String> emoji = "😀 😃 😄 😁 😆 😅 🤣 😂 🙂 🙃 😉 😊 😇 🥰 😍 🤩 😘 😗 😚 😙 😋 😛 😜 🤪 😝 🤑 🤗 🤭 🤫 🤔 🤐 🤨 😐 😑 😶 😏 😒 🙄 😬 🤥"
                .lines().flatMap(line -> Arrays.stream(line.split(" "))).toList();
        assertThat(emoji).hasSizeGreaterThan(MessageActions.MAX_REACTIONS_PER_PERSON);
        for (int i = 0; i < emoji.size(); i++) {
            assertThat(store.actions().take(new PendingAction(later, ALICE, "r" + i, PendingKind.REACT, 100 + i,
                    emoji.get(i), T0))).isEqualTo(Outcome.MISSING);
        }

        store.messages().insert(incoming(CHAT, "later", 50, "what do you think?"));
        store.actions().applyPending(later);

        assertThat(store.actions().extras(List.of(later)).get(later).reactions())
                .hasSize(MessageActions.MAX_REACTIONS_PER_PERSON);
        assertThat(store.actions().pendingCount(CHAT)).isZero();
    }

    /**
     * Holds: an edit re-sent after its message was deleted for everyone, with a newer clock (re-sealed) or an older
     * one (replayed), neither brings text back nor waits with it, and the file holds none of it.
     */
    @Test
    void anEditSentAgainAfterADeletionForEveryoneKeepsNoText() throws Exception {
        MessageKey message = fromAlice("m");
        store.messages().insert(incoming(CHAT, "m", 10, "first draft"));
        assertThat(store.actions().take(new PendingAction(message, ALICE, "del", PendingKind.DELETE, 20, "", T0)))
                .isEqualTo(Outcome.APPLIED);

        for (long hlc : new long[] {15, 30}) {
            assertThat(store.actions().take(new PendingAction(message, ALICE, "edit-" + hlc, PendingKind.EDIT, hlc,
                    "now with " + SECRET, T0))).isEqualTo(Outcome.UNCHANGED);
        }
        assertThat(store.actions().take(new PendingAction(message, ME, "react", PendingKind.REACT, 31, "🔥", T0)))
                .isNotEqualTo(Outcome.MISSING);

        assertThat(store.messages().get(message).orElseThrow().body()).isEmpty();
        assertThat(store.actions().versions(message)).isEmpty();
        assertThat(store.actions().pendingCount(CHAT)).isZero();
        assertThat(store.search().search(SECRET, 10)).isEmpty();
        assertThat(fileBytesContain(SECRET)).isFalse();
    }

    /**
     * Holds: in a room, once Bob's deletion for everyone stands in for his message, the message's envelope sent again
     * (by a member who still holds it, in a sync or a push) brings its sealed text back neither to the envelopes nor to
     * the message, and a sync page hands on the deletion in its place.
     */
    @Test
    void aRoomMessagesEnvelopeSentAgainAfterItsDeletionStoodInBringsNothingBack() throws Exception {
        String room = "room-1";
        String chat = "room-chat";
        String bob = "12D3KooWBob";
        MembershipEvent created = new MembershipEvent(room, 0, new byte[] {10}, bob, new byte[] {1});
        MembershipEvent added = new MembershipEvent(room, 1, new byte[] {11}, bob, new byte[] {2});
        store.rooms().create(Conversation.room(chat, room, "Climbing", T0), RoomStatus.JOINED, bob,
                List.of(created, added), List.of(new RoomMember(room, bob, RoomRole.ADMIN, 0),
                        new RoomMember(room, ME, RoomRole.MEMBER, 1)));
        RoomEnvelope sealedText = new RoomEnvelope(room, bob, 1, 1, "m1",
                ("sealed " + SECRET).getBytes(StandardCharsets.UTF_8));
        StoredMessage opened = new StoredMessage("m1", chat, bob, 1, T0, T0, Direction.INCOMING, MessageKind.TEXT,
                "opened " + SECRET, MessageState.RECEIVED);
        assertThat(store.roomEnvelopes().addAsync(sealedText, Optional.of(opened)).join())
                .isEqualTo(InsertOutcome.INSERTED);
        MessageKey message = new MessageKey(chat, bob, "m1");
        RoomEnvelope deletion = new RoomEnvelope(room, bob, 2, 1, "d1", new byte[] {42});
        store.roomEnvelopes().addAsync(deletion, Optional.empty()).join();
        assertThat(store.actions().deleteForEveryone(message, bob, T0)).isEqualTo(Outcome.APPLIED);
        store.roomEnvelopes().standIn(deletion, 1, "m1");

        assertThat(store.roomEnvelopes().addAsync(sealedText, Optional.of(opened)).join())
                .isEqualTo(InsertOutcome.DUPLICATE);

        assertThat(store.messages().get(message).orElseThrow().body()).isEmpty();
        assertThat(store.roomEnvelopes().after(room, bob, 0, 0, 10)).extracting(RoomEnvelope::envelope)
                .containsExactly(new byte[] {42}, new byte[] {42});
        assertThat(fileBytesContain(SECRET)).isFalse();
    }

    private boolean fileBytesContain(String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        for (Path part : Stream.of("", "-wal").map(suffix -> file().resolveSibling(file().getFileName() + suffix))
                .filter(Files::exists).toList()) {
            byte[] bytes = Files.readAllBytes(part);
            for (int i = 0; i + needle.length <= bytes.length; i++) {
                if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                    return true;
                }
            }
        }
        return false;
    }
}
