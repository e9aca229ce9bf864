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
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message actions in a room of three engines on loopback: every member sees replies, reactions, edits and
 * deletions; a member who was offline gets the actions by sync with the messages; and a member who signs, with its
 * own sender key, a deletion or edit of another's message has it refused by everyone.
 */
class MessageActionsRoomTest {
    @TempDir
    Path folder;
    private final List<TestEngine> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(TestEngine::close);
    }

    private TestEngine start(String name) throws Exception {
        TestEngine engine = TestEngine.start(folder, name);
        started.add(engine);
        return engine;
    }

    @Test
    void everyMemberSeesRepliesReactionsEditsAndDeletions() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        MessageId plan = bob.engine.rooms().say(room, "meet at 7");
        MessageRef bobsPlan = new MessageRef(new ConversationRef.Room(room), bob.peerId(), plan);
        awaitTexts(carol, room, 1);

        MessageId reply = carol.engine.actions().reply(bobsPlan, "make it 8?");
        alice.engine.actions().react(bobsPlan, "👍");
        carol.engine.actions().react(bobsPlan, "👍");
        bob.engine.actions().edit(bobsPlan, "meet at 8");
        for (TestEngine member : List.of(alice, bob, carol)) {
            awaitDetails(member, room, plan, line -> line.text().equals("meet at 8")
                    && line.details().edited() && line.details().reactionCounts().getOrDefault("👍", 0) == 2);
            awaitDetails(member, room, reply, line -> line.details().replyTo()
                    .filter(quote -> quote.message().equals(bobsPlan)).isPresent());
        }
        assertThat(details(alice, room, plan).reactions()).containsExactlyInAnyOrder(
                new Reaction(alice.peerId(), "👍"), new Reaction(carol.peerId(), "👍"));

        assertThatThrownBy(() -> carol.engine.actions().deleteForEveryone(bobsPlan))
                .isInstanceOf(EngineException.class).hasMessageContaining("only its author");
        bob.engine.actions().deleteForEveryone(bobsPlan);
        for (TestEngine member : List.of(alice, bob, carol)) {
            awaitDetails(member, room, plan, line -> line.details().deleted() && line.text().isEmpty());
        }
    }

    @Test
    void aMemberWhoWasAwayGetsTheActionsWithTheMessagesBySync() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        carol.close();
        started.remove(carol);

        MessageId plan = bob.engine.rooms().say(room, "meet at 7");
        MessageRef bobsPlan = new MessageRef(new ConversationRef.Room(room), bob.peerId(), plan);
        awaitTexts(alice, room, 1);
        alice.engine.actions().react(bobsPlan, "🧗");
        bob.engine.actions().edit(bobsPlan, "meet at 9");
        awaitDetails(alice, room, plan, line -> line.text().equals("meet at 9"));

        TestEngine carolAgain = carol.restart();
        started.add(carolAgain);
        awaitDetails(carolAgain, room, plan, line -> line.text().equals("meet at 9") && line.details().edited()
                && line.details().reactions().equals(List.of(new Reaction(alice.peerId(), "🧗"))));
    }

    @Test
    void aDeletionOrEditOfAnothersMessageSignedWithAMembersOwnKeyIsRefused() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        MessageId plan = bob.engine.rooms().say(room, "meet at 7");
        for (TestEngine member : List.of(alice, carol)) {
            awaitTexts(member, room, 1);
        }
        ChatProtos.MessageRef bobs = ChatProtos.MessageRef.newBuilder().setSender(bob.peerId().toBase58())
                .setMessageId(ByteString.copyFrom(plan.bytes())).build();
        // Carol's engine refuses to; her sender key does not: these are genuine envelopes of hers.
        RoomService carols = roomService(carol);
        carols.post(room, EnvelopeKind.DELETE, ChatProtos.Delete.newBuilder().setTarget(bobs).build().toByteArray(),
                "");
        carols.post(room, EnvelopeKind.EDIT, ChatProtos.Edit.newBuilder().setTarget(bobs).setBody("meet never")
                .build().toByteArray(), "");
        MessageId after = carols.post(room, EnvelopeKind.TEXT, ChatProtos.Text.newBuilder().setBody("after that")
                .build().toByteArray(), "after that");

        for (TestEngine member : List.of(alice, bob)) {
            awaitTexts(member, room, 2);
            assertThat(texts(member, room)).extracting(RoomMessage::id).contains(after);
            assertThat(line(member, room, plan).text()).as(member.name).isEqualTo("meet at 7");
            assertThat(details(member, room, plan).deleted()).isFalse();
            assertThat(details(member, room, plan).edited()).isFalse();
        }
    }

    private static RoomService roomService(TestEngine member) throws Exception {
        Field rooms = Engine.class.getDeclaredField("rooms");
        rooms.setAccessible(true);
        return (RoomService) rooms.get(member.engine);
    }

    private static RoomMessage line(TestEngine member, RoomId room, MessageId id) {
        return texts(member, room).stream().filter(line -> line.id().equals(id)).findFirst().orElseThrow();
    }

    private static MessageDetails details(TestEngine member, RoomId room, MessageId id) throws EngineException {
        RoomMessage line = line(member, room, id);
        return member.engine.actions().details(new MessageRef(new ConversationRef.Room(room), line.sender(), id));
    }

    /** Waits until {@code member} shows message {@code id}, with its details, as {@code expected} wants. */
    private static void awaitDetails(TestEngine member, RoomId room, MessageId id,
                                     java.util.function.Predicate<RoomMessage> expected) throws Exception {
        await(() -> {
            try {
                return texts(member, room).stream().filter(line -> line.id().equals(id)).findFirst()
                        .map(line -> withDetails(member, line)).filter(expected).isPresent();
            } catch (RuntimeException e) {
                return false;
            }
        }, () -> member.name + " shows " + texts(member, room).stream().map(line -> withDetails(member, line))
                .toList());
    }

    private static RoomMessage withDetails(TestEngine member, RoomMessage line) {
        try {
            MessageDetails details = member.engine.actions().details(new MessageRef(
                    new ConversationRef.Room(line.room()), line.sender(), line.id()));
            return new RoomMessage(line.room(), line.id(), line.sender(), line.senderName(), line.outgoing(),
                    line.notice(), line.text(), line.hlc(), line.sentAt(), details);
        } catch (EngineException e) {
            throw new IllegalStateException(e);
        }
    }
}
