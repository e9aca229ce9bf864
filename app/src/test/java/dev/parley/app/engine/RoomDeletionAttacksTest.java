package dev.parley.app.engine;

import static dev.parley.app.engine.RoomActionsReviewTest.action;
import static dev.parley.app.engine.RoomActionsReviewTest.target;
import static dev.parley.app.engine.RoomChatTest.await;
import static dev.parley.app.engine.RoomChatTest.awaitTexts;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static dev.parley.app.engine.RoomChatTest.texts;
import static dev.parley.app.engine.RoomDeletionSealedCopyTest.deleted;
import static dev.parley.app.engine.RoomDeletionSealedCopyTest.keysOf;
import static dev.parley.app.engine.RoomDeletionSealedCopyTest.sealedTexts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.wire.ChatProtos.Delete;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.SenderKeyRing;
import dev.parley.store.RoomEnvelope;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attacks on what a deletion for everyone puts in its message's place among a room's envelopes (app/README.md,
 * "Message actions" and Promises): a deletion that names numbers its author never used, or someone else's message,
 * and a member that has not applied a deletion handing the text back to one that has. Real engines on loopback, a
 * bare node under a member's identity for what an engine would not send, and the members' SQLite files.
 */
class RoomDeletionAttacksTest extends RoomEnginesTest {
    private static final List<String> VERSIONS = List.of("the-safe-opens-with-1357",
            "edited: the-safe-opens-with-9753", "edited again: the-safe-is-behind-the-clock");

    /**
     * Bob (his own key, signed by him, through a bare node) deletes his first message naming a number a million
     * envelopes ahead and edits numbered beyond his last; deletes Carol's message naming her number; and deletes his
     * second message naming his third's number as its own and as an edit's. Bob's numbering stays where his envelopes
     * are (his next message reaches everyone, and nobody holds a number he never used), Carol's message keeps its text
     * and its envelope, and so does Bob's third.
     */
    @Test
    void aDeletionNamingNumbersItsAuthorNeverUsedOrAnotherMessageSkewsNoNumberingAndTakesNothingElse()
            throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        // The writers' keys before they write: a chained key derives every later number from here.
        List<SenderKey> keys = keysOf(bob);
        keys.addAll(keysOf(carol));
        MessageId first = bob.engine.rooms().say(room, "bob's first");
        MessageId second = bob.engine.rooms().say(room, "bob's second");
        MessageId third = bob.engine.rooms().say(room, "bob's third");
        MessageId carols = carol.engine.rooms().say(room, "carol's words");
        for (TestEngine member : List.of(alice, bob, carol)) {
            awaitTexts(member, room, 4);
        }
        String bobs = bob.peerId().toBase58();
        long bobsLast = alice.engine.store().roomEnvelopes().highest(room.toString(), bobs);
        long carolsNumber = alice.engine.store().roomEnvelopes().highest(room.toString(), carol.peerId().toBase58());
        long thirdsNumber = bobsLast;
        SenderKey bobsKey = SenderKeyRing.of(bob.peerId(), keysOf(bob)).current(room).orElseThrow();
        keys.addAll(keysOf(alice));
        stop(bob);

        RecordingPeer forger = recorder(bob.identity, alice, carol);
        List<byte[]> forged = List.of(
                action(bob.identity, bobsKey, bobsLast + 1, EnvelopeKind.DELETE, Delete.newBuilder()
                        .setTarget(target(bob.identity, first)).setTargetNumber(1_000_000)
                        .addEditNumbers(bobsLast + 2).addEditNumbers(5_000_000_000L).build().toByteArray()),
                action(bob.identity, bobsKey, bobsLast + 2, EnvelopeKind.DELETE, Delete.newBuilder()
                        .setTarget(target(carol.identity, carols)).setTargetNumber(carolsNumber).build()
                        .toByteArray()),
                action(bob.identity, bobsKey, bobsLast + 3, EnvelopeKind.DELETE, Delete.newBuilder()
                        .setTarget(target(bob.identity, second)).setTargetNumber(thirdsNumber)
                        .addEditNumbers(thirdsNumber).build().toByteArray()));
        forger.push(alice.peerId(), forged);
        forger.push(carol.peerId(), forged);
        stop(forger);

        for (TestEngine member : List.of(alice, carol)) {
            await(() -> deleted(member, ref(room, bob, second)), () -> member.name + " has not applied the deletions");
            assertThat(deleted(member, ref(room, bob, first))).as(member.name).isTrue();
            assertThat(deleted(member, ref(room, carol, carols))).as(member.name + ": Carol's message").isFalse();
            assertThat(deleted(member, ref(room, bob, third))).as(member.name + ": Bob's third").isFalse();
            assertThat(texts(member, room)).extracting(RoomMessage::text).as(member.name)
                    .contains("carol's words", "bob's third").doesNotContain("bob's first", "bob's second");
            assertThat(member.engine.store().roomEnvelopes().highest(room.toString(), bobs))
                    .as(member.name + ": the highest of Bob's numbers held").isEqualTo(bobsLast + 3);
            assertThat(member.engine.store().roomEnvelopes().contiguous(room.toString()))
                    .as(member.name + " holds every number Bob used, and no other")
                    .containsEntry(bobs, bobsLast + 3)
                    .containsEntry(carol.peerId().toBase58(), carolsNumber);
            assertThat(sealedTexts(member, keys)).as(member.name + "'s envelopes, opened")
                    .anyMatch(text -> text.contains("carol's words")).anyMatch(text -> text.contains("bob's third"));
        }

        TestEngine bobAgain = restart(bob);
        await(() -> bobAgain.engine.store().roomEnvelopes().highest(room.toString(), bobs) == bobsLast + 3,
                () -> "Bob has not synced his own envelopes back");
        MessageId after = bobAgain.engine.rooms().say(room, "bob, after the forgeries");
        for (TestEngine member : List.of(alice, carol)) {
            await(() -> texts(member, room).stream().anyMatch(line -> line.id().equals(after)),
                    () -> member.name + " lacks Bob's next message");
            assertThat(member.engine.store().roomEnvelopes().contiguous(room.toString())).as(member.name)
                    .containsEntry(bobs, bobsLast + 4);
        }
    }

    /**
     * Carol holds Bob's message and both its edits, and is away while Bob deletes it. What she holds, handed to Alice
     * (pushed under her identity, as her engine hands on what it holds), brings Alice no version back; back online,
     * Carol takes the deletion from Alice and keeps no version either.
     */
    @Test
    void aMemberThatHasNotAppliedADeletionYetBringsNoVersionOfTheTextBackToOneThatHas() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        MessageId withdrawn = bob.engine.rooms().say(room, VERSIONS.get(0));
        MessageRef bobs = ref(room, bob, withdrawn);
        bob.engine.actions().edit(bobs, VERSIONS.get(1));
        bob.engine.actions().edit(bobs, VERSIONS.get(2));
        for (TestEngine member : List.of(alice, carol)) {
            await(() -> versions(member, bobs) == VERSIONS.size(), () -> member.name + " lacks Bob's edits");
        }
        List<byte[]> carolsCopies = carol.engine.store().roomEnvelopes()
                .after(room.toString(), bob.peerId().toBase58(), 0, 0, 100).stream().map(RoomEnvelope::envelope)
                .toList();
        assertThat(carolsCopies).as("the message and its two edits").hasSize(3);
        stop(carol);
        bob.engine.actions().deleteForEveryone(bobs);
        await(() -> deleted(alice, bobs), () -> "Alice has not applied Bob's deletion");
        int reported = alice.events.all(EngineEvent.class).size();

        RecordingPeer carrier = recorder(carol.identity, alice);
        carrier.push(alice.peerId(), carolsCopies);
        stop(carrier);
        TestEngine carolAgain = restart(carol);
        await(() -> deleted(carolAgain, bobs), () -> "Carol has not applied Bob's deletion");
        long bobsNumbers = bob.engine.store().roomEnvelopes().highest(room.toString(), bob.peerId().toBase58());
        await(() -> carolAgain.engine.store().roomEnvelopes().contiguous(room.toString())
                        .getOrDefault(bob.peerId().toBase58(), 0L) == bobsNumbers,
                () -> "Carol holds Bob's envelopes up to " + carolAgain.engine.store().roomEnvelopes()
                        .contiguous(room.toString()));

        List<SenderKey> keys = keysOf(alice);
        keys.addAll(keysOf(bob));
        keys.addAll(keysOf(carolAgain));
        assertThat(deleted(alice, bobs)).isTrue();
        assertThat(alice.events.all(EngineEvent.class).subList(reported, alice.events.all(EngineEvent.class).size()))
                .as("what Alice's engine reported after the deletion").allSatisfy(event -> assertThat(
                        event.toString()).doesNotContain(VERSIONS.toArray(String[]::new)));
        for (TestEngine member : List.of(alice, bob, carolAgain)) {
            assertThat(texts(member, room)).filteredOn(line -> line.id().equals(withdrawn)).singleElement()
                    .satisfies(line -> assertThat(line.text()).as(member.name).isEmpty());
            for (String version : VERSIONS) {
                assertThat(MessageActionsReviewAttacksTest.storeHolds(member, version))
                        .as(member.name + "'s SQLite file or WAL holds " + version).isFalse();
            }
            assertThat(sealedTexts(member, keys)).as(member.name + "'s room envelopes, opened with the room's keys")
                    .noneMatch(text -> VERSIONS.stream().anyMatch(text::contains));
        }
    }

    /**
     * A deletion from a Parley older than {@code target_number} names no number: Alice, who holds the message, puts
     * it in the place of the envelope she holds it under, so that she hands on the deletion for that number rather
     * than nothing. (A member that lacks the message cannot learn its number: app/README.md, known limits.)
     */
    @Test
    void aDeletionFromAnOlderParleyStandsInUnderTheNumberAMemberHoldsItsMessageAt() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        RoomId room = roomOf(alice, List.of(bob));
        MessageId withdrawn = bob.engine.rooms().say(room, VERSIONS.get(0));
        awaitTexts(alice, room, 1);
        String bobs = bob.peerId().toBase58();
        long number = alice.engine.store().roomEnvelopes().highest(room.toString(), bobs);
        SenderKey bobsKey = SenderKeyRing.of(bob.peerId(), keysOf(bob)).current(room).orElseThrow();
        stop(bob);

        RecordingPeer olderBob = recorder(bob.identity, alice);
        byte[] deletion = action(bob.identity, bobsKey, number + 1, EnvelopeKind.DELETE,
                Delete.newBuilder().setTarget(target(bob.identity, withdrawn)).build().toByteArray());
        olderBob.push(alice.peerId(), List.of(deletion));
        await(() -> alice.engine.store().roomEnvelopes().held(room.toString(), bobs, number)
                        .filter(held -> Arrays.equals(held.envelope(), deletion)).isPresent(),
                () -> "Alice holds " + alice.engine.store().roomEnvelopes().held(room.toString(), bobs, number)
                        + " under the message's number");

        assertThat(deleted(alice, ref(room, bob, withdrawn))).isTrue();
        assertThat(alice.engine.store().roomEnvelopes().after(room.toString(), bobs, 0, 0, 10))
                .extracting(RoomEnvelope::envelope).as("what Alice hands on of Bob's").containsExactly(deletion,
                        deletion);
        assertThat(sealedTexts(alice, keysOf(alice))).noneMatch(text -> text.contains(VERSIONS.get(0)));
    }

    private static MessageRef ref(RoomId room, TestEngine author, MessageId id) {
        return new MessageRef(new ConversationRef.Room(room), author.peerId(), id);
    }

    private static int versions(TestEngine at, MessageRef message) {
        try {
            return at.engine.actions().versions(message).size();
        } catch (EngineException e) {
            return 0;
        }
    }
}
