package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.await;
import static dev.parley.app.engine.RoomChatTest.awaitTexts;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static dev.parley.app.engine.RoomChatTest.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.MessageDetails;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.Reaction;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.room.RoomService;
import dev.parley.app.engine.wire.ChatProtos;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.Notice;
import dev.parley.store.RoomEnvelope;
import dev.parley.transport.multiformats.PeerId;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A third review's attacks on the room side of the message actions (app README, Promises: "what a notice says",
 * "who can edit a message or delete it for everyone", "who reads a room"), with real engines on loopback and real
 * SQLite files: a membership notice treated as a message its event's author may edit or delete, and a removed
 * member's actions under the key it held before its removal.
 */
class RoomActionsThirdReviewTest extends RoomEnginesTest {
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();

    /**
     * Fixed (was broken). Promise: a notice says what happened ("What a notice says"), and a member cannot make a line read as
     * Parley's own. A notice is stored as a message whose sender is its event's author, and an edit is checked only
     * against that sender; so the admin who added Carol edits the notice "Alice added Carol" into a well-formed notice
     * of another change, by another actor. Observed before the fix: Bob's room then shows "Carol removed Bob" in that notice's place
     * (Carol is still a member, and never removed anyone), and the same would be shown and exported everywhere.
     */
    @Test
    void anAdminCannotRewriteTheNoticeOfItsChangeIntoAnotherChangeByAnotherMember() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        RoomMessage carolAdded = awaitNotice(bob, room, text -> text.endsWith("added Carol"));

        String forged = new Notice(Notice.Event.REMOVED, carol.peerId().toBase58(),
                Optional.of(bob.peerId().toBase58()), Optional.empty()).encode();
        // A genuine envelope of Alice's, under her own sender key: what a modified client of hers sends.
        roomService(alice).post(room, EnvelopeKind.EDIT, ChatProtos.Edit.newBuilder()
                .setTarget(wire(alice.peerId(), carolAdded.id())).setBody(forged).build().toByteArray(), "");
        awaitTaken(bob, room, alice, alice.engine.rooms().say(room, "after the edit"));

        RoomMessage after = line(bob, room, carolAdded.id());
        assertThat(after.text()).as("the notice Bob shows").endsWith("added Carol").doesNotContain("removed");
        assertThat(details(bob, room, after).edited()).isFalse();
    }

    /**
     * Fixed (was broken). Promise: a notice says what happened. The admin who removed Carol deletes the notice of the removal
     * for everyone. Observed before the fix: on Bob's side the notice "Alice removed Carol" becomes an empty, deleted line: the room's
     * history no longer says that Carol was removed, nor by whom.
     */
    @Test
    void anAdminCannotDeleteTheNoticeOfARemovalForEveryone() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        long removal = alice.engine.rooms().remove(room, carol.peerId()).epoch();
        await(() -> bob.engine.rooms().get(room).orElseThrow().epoch() >= removal, () -> "Bob has not seen the removal");
        RoomMessage removed = awaitNotice(bob, room, text -> text.endsWith("removed Carol"));

        roomService(alice).post(room, EnvelopeKind.DELETE, ChatProtos.Delete.newBuilder()
                .setTarget(wire(alice.peerId(), removed.id())).build().toByteArray(), "");
        awaitTaken(bob, room, alice, alice.engine.rooms().say(room, "after the deletion"));

        RoomMessage after = line(bob, room, removed.id());
        assertThat(after.text()).as("the notice Bob shows").endsWith("removed Carol");
        assertThat(details(bob, room, after).deleted()).isFalse();
    }

    /**
     * Promise: a notice says what happened. Through its own engine, the author of a membership event is told that it
     * cannot react to, edit or delete for everyone the event's notice, and none of it is sent: its next post is the
     * next envelope it numbers, and Bob shows the notice as it was.
     */
    @Test
    void theEngineTellsANoticesAuthorItCannotActOnItAndSendsNothing() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        RoomMessage carolAdded = awaitNotice(alice, room, text -> text.endsWith("added Carol"));
        MessageRef notice = new MessageRef(new ConversationRef.Room(room), carolAdded.sender(), carolAdded.id());
        long before = alice.engine.store().roomEnvelopes().highest(room.toString(), alice.peerId().toBase58());

        assertThatThrownBy(() -> alice.engine.actions().react(notice, "👍")).isInstanceOf(EngineException.class)
                .hasMessageContaining("notice");
        assertThatThrownBy(() -> alice.engine.actions().edit(notice, "Carol removed Bob"))
                .isInstanceOf(EngineException.class).hasMessageContaining("notice");
        assertThatThrownBy(() -> alice.engine.actions().deleteForEveryone(notice))
                .isInstanceOf(EngineException.class).hasMessageContaining("notice");
        MessageId marker = alice.engine.rooms().say(room, "after the attempts");

        assertThat(alice.engine.store().roomEnvelopes().highest(room.toString(), alice.peerId().toBase58()))
                .as("Alice's envelopes: only the marker since the attempts").isEqualTo(before + 1);
        awaitNotice(bob, room, text -> text.endsWith("added Carol"));
        awaitTaken(bob, room, alice, marker);
        RoomMessage atBob = line(bob, room, carolAdded.id());
        assertThat(atBob.text()).endsWith("added Carol");
        MessageDetails shown = details(bob, room, atBob);
        assertThat(shown.reactions()).isEmpty();
        assertThat(shown.edited()).isFalse();
        assertThat(shown.deleted()).isFalse();
    }

    /**
     * Holds. Promise: a removed member can do nothing to the room after its removal ("who reads a room"; room
     * actions are taken only from members who may write). Carol reacts to Alice's message while a member (taken by
     * both, which proves the envelopes below are well made); once removed, she sends, under the key she held and with
     * her next numbers, a new reaction, the removal of her first one, an edit of her own message and its deletion
     * for everyone naming its envelope's number. Alice and Bob change nothing: her message keeps its text and its
     * sealed envelope, her first reaction stays, and her numbers stop where they were at her removal.
     */
    @Test
    void aRemovedMembersActionsUnderItsOldKeyChangeNothing() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        MessageId alicesId = alice.engine.rooms().say(room, "alice before");
        MessageId carolsId = carol.engine.rooms().say(room, "carol before");
        for (TestEngine member : List.of(alice, bob, carol)) {
            awaitTexts(member, room, 2);
        }
        SenderKey carolsKey = null;
        for (byte[] key : carol.engine.store().senderKeys().all()) {
            SenderKey held = SenderKey.decode(key);
            if (held.owner().equals(carol.peerId()) && held.room().equals(room)
                    && (carolsKey == null || held.epoch() > carolsKey.epoch())) {
                carolsKey = held;
            }
        }
        assertThat(carolsKey).as("Carol's own sender key").isNotNull();
        String carolB58 = carol.peerId().toBase58();
        long carolsMessageNumber = carol.engine.store().roomEnvelopes()
                .senderNumbers(room.toString(), carolB58, List.of(carolsId.toString())).get(carolsId.toString());
        long number = carol.engine.store().roomEnvelopes().highest(room.toString(), carolB58);
        stop(carol);
        RecordingPeer carolAsAttacker = recorder(carol.identity, alice, bob);

        ChatProtos.MessageRef alicesMessage = wire(alice.peerId(), alicesId);
        ChatProtos.MessageRef carolsMessage = wire(carol.peerId(), carolsId);
        List<byte[]> whileAMember = List.of(action(carol.identity, carolsKey, ++number, EnvelopeKind.REACTION,
                ChatProtos.Reaction.newBuilder().setTarget(alicesMessage).setEmoji("👍").build().toByteArray()));
        for (TestEngine member : List.of(alice, bob)) {
            carolAsAttacker.push(member.peerId(), whileAMember);
            await(() -> reactions(member, room, alicesId).contains(new Reaction(carol.peerId(), "👍")),
                    () -> member.name + " has not taken Carol's reaction from while she was a member");
        }
        List<List<RoomEnvelope>> heldBefore = new ArrayList<>();
        for (TestEngine member : List.of(alice, bob)) {
            heldBefore.add(member.engine.store().roomEnvelopes().after(room.toString(), carolB58, 0, 0, 100));
        }

        long removal = alice.engine.rooms().remove(room, carol.peerId()).epoch();
        await(() -> bob.engine.rooms().get(room).orElseThrow().epoch() >= removal, () -> "Bob has not seen the removal");
        List<byte[]> afterRemoval = List.of(
                action(carol.identity, carolsKey, ++number, EnvelopeKind.REACTION, ChatProtos.Reaction.newBuilder()
                        .setTarget(alicesMessage).setEmoji("🎉").build().toByteArray()),
                action(carol.identity, carolsKey, ++number, EnvelopeKind.REACTION, ChatProtos.Reaction.newBuilder()
                        .setTarget(alicesMessage).setEmoji("👍").setRemoved(true).build().toByteArray()),
                action(carol.identity, carolsKey, ++number, EnvelopeKind.EDIT, ChatProtos.Edit.newBuilder()
                        .setTarget(carolsMessage).setBody("carol rewrote it").build().toByteArray()),
                action(carol.identity, carolsKey, ++number, EnvelopeKind.DELETE, ChatProtos.Delete.newBuilder()
                        .setTarget(carolsMessage).setTargetNumber(carolsMessageNumber).build().toByteArray()));
        for (TestEngine member : List.of(alice, bob)) {
            carolAsAttacker.push(member.peerId(), afterRemoval);
        }

        for (int i = 0; i < 2; i++) {
            TestEngine member = List.of(alice, bob).get(i);
            RoomMessage carols = line(member, room, carolsId);
            assertThat(carols.text()).as(member.name).isEqualTo("carol before");
            MessageDetails details = details(member, room, carols);
            assertThat(details.edited()).as(member.name).isFalse();
            assertThat(details.deleted()).as(member.name).isFalse();
            assertThat(reactions(member, room, alicesId)).as(member.name)
                    .containsExactly(new Reaction(carol.peerId(), "👍"));
            List<RoomEnvelope> held = member.engine.store().roomEnvelopes().after(room.toString(), carolB58, 0, 0, 100);
            assertThat(held).as(member.name + " holds Carol's envelopes as they were")
                    .usingRecursiveFieldByFieldElementComparator().isEqualTo(heldBefore.get(i));
        }
    }

    private static byte[] action(Identity author, SenderKey key, long number, EnvelopeKind kind, byte[] payload)
            throws EnvelopeException {
        HeaderFields fields = new HeaderFields(MessageId.timeOrdered(System.currentTimeMillis()),
                ConversationId.of(key.room()), System.currentTimeMillis() << 16, kind);
        return SEALER.sealRoom(author, key, fields, number, payload).encode();
    }

    private static ChatProtos.MessageRef wire(PeerId author, MessageId id) {
        return ChatProtos.MessageRef.newBuilder().setSender(author.toBase58())
                .setMessageId(ByteString.copyFrom(id.bytes())).build();
    }

    private static RoomService roomService(TestEngine member) throws ReflectiveOperationException {
        Field rooms = Engine.class.getDeclaredField("rooms");
        rooms.setAccessible(true);
        return (RoomService) rooms.get(member.engine);
    }

    private static List<RoomMessage> history(TestEngine member, RoomId room) {
        try {
            return member.engine.rooms().history(room, 1_000);
        } catch (EngineException e) {
            throw new AssertionError(e);
        }
    }

    private static RoomMessage awaitNotice(TestEngine member, RoomId room, Predicate<String> text) throws Exception {
        await(() -> history(member, room).stream().anyMatch(line -> line.notice() && text.test(line.text())),
                () -> member.name + " shows " + history(member, room).stream().map(RoomMessage::text).toList());
        return history(member, room).stream().filter(line -> line.notice() && text.test(line.text())).findFirst()
                .orElseThrow();
    }

    /**
     * Waits until {@code member} shows {@code author}'s message {@code marker} and holds every envelope of the
     * author's up to it: whatever the author posted before it has been taken or refused.
     */
    private static void awaitTaken(TestEngine member, RoomId room, TestEngine author, MessageId marker)
            throws Exception {
        long markerNumber = author.engine.store().roomEnvelopes().senderNumbers(room.toString(),
                author.peerId().toBase58(), List.of(marker.toString())).get(marker.toString());
        await(() -> texts(member, room).stream().anyMatch(line -> line.id().equals(marker))
                        && member.engine.store().roomEnvelopes().after(room.toString(), author.peerId().toBase58(), 0,
                                0, 1_000).stream().filter(held -> held.senderSeq() <= markerNumber).count()
                        == markerNumber,
                () -> member.name + " has not taken " + author.name + "'s envelopes up to " + markerNumber);
    }

    private static RoomMessage line(TestEngine member, RoomId room, MessageId id) {
        return history(member, room).stream().filter(line -> line.id().equals(id)).findFirst().orElseThrow();
    }

    private static MessageDetails details(TestEngine member, RoomId room, RoomMessage line) throws EngineException {
        return member.engine.actions().details(new MessageRef(new ConversationRef.Room(room), line.sender(), line.id()));
    }

    private static List<Reaction> reactions(TestEngine member, RoomId room, MessageId id) {
        try {
            return details(member, room, line(member, room, id)).reactions();
        } catch (EngineException e) {
            throw new AssertionError(e);
        }
    }
}
