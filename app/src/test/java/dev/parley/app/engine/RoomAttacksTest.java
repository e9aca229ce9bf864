package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.await;
import static dev.parley.app.engine.RoomChatTest.awaitEpoch;
import static dev.parley.app.engine.RoomChatTest.awaitTexts;
import static dev.parley.app.engine.RoomChatTest.notices;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static dev.parley.app.engine.RoomChatTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.room.RoomChange;
import dev.parley.app.engine.room.RoomEvent;
import dev.parley.app.engine.room.RoomNotices;
import dev.parley.app.engine.room.wire.RoomProtos;
import dev.parley.app.engine.session.StoredSessions;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.app.engine.wire.SyncProtos;
import dev.parley.app.engine.wire.SyncProtos.Digest;
import dev.parley.app.engine.wire.SyncProtos.RoomDigest;
import dev.parley.app.engine.wire.SyncProtos.SenderPosition;
import dev.parley.app.engine.wire.SyncProtos.WantedKey;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.Opened;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.SenderKeyRing;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.crypto.wire.EnvelopeProtos;
import dev.parley.store.MembershipEvent;
import dev.parley.transport.multiformats.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The attacks a review of the room protocol mounted, each tried again on real engines on loopback: a removed member
 * re-encoding an old event to win a fork, an ordinary member's back-dated leave, an ex-member's and a stranger's
 * sync, a stranger's and an out-of-range sender key, epochs of 2^64 − 1, and an id squatted before a notice. Each
 * must change nothing, and the room must go on.
 */
class RoomAttacksTest extends RoomEnginesTest {
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();
    private static final long MAX_UINT64 = -1;

    @Test
    void aRemovedMemberCannotReAdmitHerselfWithReEncodedOldEvents() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        List<MembershipEvent> carolsLog = carol.engine.store().rooms().log(room.toString());
        List<SenderKey> carolsKeys = keys(carol);
        stop(carol);
        long removal = alice.engine.rooms().remove(room, carol.peerId()).epoch();
        awaitEpoch(List.of(bob), room, removal);
        byte[] removalHash = alice.engine.store().rooms().log(room.toString()).getLast().hash();

        // Every event Carol holds, with an unknown field appended and varied until its hash sorts below the
        // removal's: under the old rules such a twin won the fork and rolled her removal back.
        List<byte[]> twins = new ArrayList<>();
        for (MembershipEvent held : carolsLog) {
            // However low the removal's hash, a twin below it turns up within a few hundred thousand tries.
            for (int variant = 0; variant < (1 << 21); variant++) {
                byte[] twin = withUnknownField(held.event(), variant);
                if (java.util.Arrays.compareUnsigned(sha256(twin), removalHash) < 0) {
                    twins.add(twin);
                    break;
                }
            }
        }
        assertThat(twins).isNotEmpty();
        RecordingPeer recordingCarol = recorder(carol.identity, alice, bob);
        for (TestEngine member : List.of(alice, bob)) {
            recordingCarol.pushEvents(member.peerId(), room, twins);
        }
        recordingCarol.sync(bob.peerId(), digest(room, List.of(carolsLog.getLast().hash()), List.of()));
        bob.engine.rooms().say(room, "said by Bob after Carol's removal");
        awaitTexts(alice, room, 1);

        for (TestEngine member : List.of(alice, bob)) {
            RoomInfo info = member.engine.rooms().get(room).orElseThrow();
            assertThat(info.members()).as(member.name).extracting(RoomInfo.Member::name).containsExactly("Alice", "Bob");
            assertThat(info.epoch()).isEqualTo(removal);
            assertThat(member.engine.store().rooms().log(room.toString())).hasSize((int) removal + 1);
        }
        SenderKeyRing carolsRing = ringOf(carol, carolsKeys, recordingCarol);
        assertThat(carolsRing.find(room, bob.peerId(), removal)).isEmpty();
        byte[] bobsAfter = bob.engine.store().roomEnvelopes().after(room.toString(), bob.peerId().toBase58(), 0,
                removal, 10).getFirst().envelope();
        assertThat(opens(bobsAfter, carolsRing)).as("Carol reads Bob's message after her removal").isFalse();
    }

    @Test
    void aRemovedAdminCannotFillTheLogWithBackDatedEventsAndTheRoomGoesOn() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        alice.engine.rooms().promote(room, carol.peerId());
        awaitEpoch(List.of(bob, carol), room, 3);
        List<byte[]> carolsHeads = List.of(carol.engine.store().rooms().log(room.toString()).getLast().hash());
        stop(carol);
        long removal = alice.engine.rooms().remove(room, carol.peerId()).epoch();
        awaitEpoch(List.of(bob), room, removal);

        // Carol signs hundreds of renames on the heads she last saw, and a stranger's node pushes them.
        List<byte[]> flood = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            flood.add(RoomEvent.sign(carol.identity, room, removal, carolsHeads, i,
                    new RoomChange.Rename("Junk " + i)).encode());
        }
        RecordingPeer stranger = recorder(Identity.generate(), alice, bob);
        for (TestEngine member : List.of(alice, bob)) {
            for (int from = 0; from < flood.size(); from += 3) {
                stranger.pushEvents(member.peerId(), room, flood.subList(from, Math.min(flood.size(), from + 3)));
            }
        }

        for (TestEngine member : List.of(alice, bob)) {
            assertThat(member.engine.store().rooms().log(room.toString())).as(member.name)
                    .hasSize((int) removal + 1);
            assertThat(member.engine.rooms().get(room).orElseThrow().name()).isEqualTo("Climbing club");
        }
        alice.engine.rooms().rename(room, "Still ours");
        await(() -> bob.engine.rooms().get(room).orElseThrow().name().equals("Still ours"), () -> "Bob's room name");
    }

    @Test
    void aRemoversBackDatedLeaveDoesNotBringBackTheMemberItRemoved() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        TestEngine jim = start("Jim");
        RoomId room = roomOf(alice, List.of(bob, carol, jim));
        alice.engine.rooms().promote(room, jim.peerId());
        awaitEpoch(List.of(bob, carol, jim), room, 4);
        List<byte[]> jimsEarlierHeads = List.of(jim.engine.store().rooms().log(room.toString()).getLast().hash());
        List<SenderKey> bobsKeys = keys(bob);
        stop(bob);
        long removal = jim.engine.rooms().remove(room, bob.peerId()).epoch();
        awaitEpoch(List.of(alice, carol), room, removal);
        alice.engine.rooms().say(room, "said while Bob was out");
        awaitTexts(carol, room, 1);
        byte[] gapMessage = alice.engine.store().roomEnvelopes().after(room.toString(), alice.peerId().toBase58(), 0,
                0, 10).getLast().envelope();

        // Jim tries to take his removal of Bob back with a leave signed on the heads from before it.
        RoomEvent backDatedLeave = RoomEvent.sign(jim.identity, room, removal, jimsEarlierHeads, 1,
                new RoomChange.Leave());
        RecordingPeer asJim = recorder(jim.identity, alice, carol);
        asJim.pushEvents(alice.peerId(), room, List.of(backDatedLeave.encode()));
        asJim.pushEvents(carol.peerId(), room, List.of(backDatedLeave.encode()));
        assertStillOutAndReadsNothing(bob, bobsKeys, room, backDatedLeave, gapMessage, alice, carol);
    }

    @Test
    void aSeniorAdminsBackDatedRemovalOfTheRemoverDoesNotBringBackTheMemberItRemoved() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        TestEngine dave = start("Dave");
        TestEngine jim = start("Jim");
        RoomId room = roomOf(alice, List.of(bob, carol, dave, jim));
        alice.engine.rooms().promote(room, dave.peerId());
        alice.engine.rooms().promote(room, jim.peerId());
        awaitEpoch(List.of(bob, carol, dave, jim), room, 6);
        List<byte[]> davesEarlierHeads = List.of(dave.engine.store().rooms().log(room.toString()).getLast().hash());
        stop(dave);
        List<SenderKey> bobsKeys = keys(bob);
        stop(bob);
        long removal = jim.engine.rooms().remove(room, bob.peerId()).epoch();
        awaitEpoch(List.of(alice, carol), room, removal);
        alice.engine.rooms().say(room, "said while Bob was out");
        awaitTexts(carol, room, 1);
        byte[] gapMessage = alice.engine.store().roomEnvelopes().after(room.toString(), alice.peerId().toBase58(), 0,
                0, 10).getLast().envelope();

        // Dave, senior to Jim, removes Jim on the heads from before Jim's removal of Bob: Jim is out, and what he
        // granted at the same time would be void, but his removal of Bob stands (he could make it where he did).
        RoomEvent backDatedRemoval = RoomEvent.sign(dave.identity, room, removal, davesEarlierHeads, 1,
                new RoomChange.Remove(jim.peerId()));
        RecordingPeer asDave = recorder(dave.identity, alice, carol);
        asDave.pushEvents(alice.peerId(), room, List.of(backDatedRemoval.encode()));
        asDave.pushEvents(carol.peerId(), room, List.of(backDatedRemoval.encode()));
        assertStillOutAndReadsNothing(bob, bobsKeys, room, backDatedRemoval, gapMessage, alice, carol);
        for (TestEngine member : List.of(alice, carol)) {
            assertThat(member.engine.rooms().get(room).orElseThrow().members()).as(member.name)
                    .noneMatch(info -> info.peer().equals(jim.peerId()));
        }
    }

    @Test
    void aRemovedMemberAnsweringFirstDoesNotEndTheWaitForTheLogBeforeAFirstMessage() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        carol.engine.rooms().say(room, "said before Carol went away");
        awaitTexts(bob, room, 1);
        List<SenderKey> bobsKeys = keys(bob);
        stop(bob);
        stop(carol);
        long removal = alice.engine.rooms().remove(room, bob.peerId()).epoch();

        // Carol comes back holding the log from before Bob's removal. Bob, standing by under his identity, answers
        // her sync at once with nothing newer; Alice, who removed him, is reachable too.
        TestEngine carolAgain = restart(carol);
        RecordingPeer recordingBob = recorder(bob.identity, carolAgain);
        // Mostly Bob answers first. When Carol's start reaches Alice first, she learns of the removal and never syncs
        // with Bob (no longer a member to her): the case under test did not arise, and what follows must hold all the
        // same. (Waiting for Bob alone failed a CI run so.)
        await(() -> recordingBob.syncsAnswered() > 0
                        || carolAgain.engine.rooms().get(room).orElseThrow().epoch() >= removal,
                () -> "Carol synced neither with Bob nor with Alice");
        carolAgain.engine.rooms().say(room, "Carol's first words since she came back");

        assertThat(carolAgain.engine.rooms().get(room).orElseThrow().epoch()).isEqualTo(removal);
        byte[] first = carolAgain.engine.store().roomEnvelopes()
                .after(room.toString(), carolAgain.peerId().toBase58(), 1, 0, 10).getFirst().envelope();
        assertThat(Envelope.decode(first).header().epoch()).as("the epoch Carol wrote at").isEqualTo(removal);
        awaitTexts(alice, room, 2);
        SenderKeyRing bobsRing = ringOf(bob, bobsKeys, recordingBob);
        assertThat(opens(first, bobsRing)).as("Bob reads Carol's first message since").isFalse();
    }

    @Test
    void aContactCannotSquatARoomsIdSoThatTheRealInvitationIsDropped() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine mallory = start("Mallory");
        TestEngine dave = start("Dave");
        RoomId room = roomOf(alice, List.of(bob, mallory));
        TestEngine.befriend(mallory, dave);

        // Mallory, a member who knows the room's id and Dave's contact, invites Dave into a room she creates under
        // that id herself, so that he holds her room there and drops Alice's real invitation when it comes.
        RoomEvent created = RoomEvent.sign(mallory.identity, room, 0, List.of(), 1,
                new RoomChange.Create("Climbing club", mallory.engine.card(), new byte[RoomChange.Create.SALT_BYTES]));
        RoomEvent addsDave = RoomEvent.sign(mallory.identity, room, 1, List.of(created.hash()), 2,
                new RoomChange.Add(dave.engine.card()));
        byte[] invite = SyncProtos.RoomInvite.newBuilder().addEvents(ByteString.copyFrom(created.encode()))
                .addEvents(ByteString.copyFrom(addsDave.encode())).build().toByteArray();
        byte[] envelope = SEALER.sealDirect(mallory.identity, dave.engine.card(), HeaderFields.of(
                ConversationId.direct(mallory.peerId(), dave.peerId()), 1L << 40, EnvelopeKind.ROOM_INVITE), invite)
                .encode();
        recorder(mallory.identity, dave).sendDirect(dave.peerId(), List.of(envelope));

        TestEngine.befriend(alice, dave);
        alice.engine.rooms().invite(room, dave.peerId());
        EngineEvent.RoomInvitation invitation = dave.events.await(EngineEvent.RoomInvitation.class,
                invited -> invited.room().id().equals(room));
        assertThat(invitation.from()).isEqualTo(alice.peerId());
        dave.engine.rooms().accept(room);
        await(() -> dave.engine.rooms().get(room).orElseThrow().members().size() == 4, () -> "Dave's room");
        assertThat(dave.engine.rooms().get(room).orElseThrow().members()).extracting(RoomInfo.Member::name)
                .containsExactlyInAnyOrder("Alice", "Bob", "Mallory", "Dave");
        assertThat(dave.events.all(EngineEvent.RoomInvitation.class)).extracting(EngineEvent.RoomInvitation::from)
                .containsExactly(alice.peerId());
    }

    @Test
    void anOrdinaryMembersBackDatedLeaveUndoesNoRemoval() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        TestEngine dave = start("Dave");
        RoomId room = roomOf(alice, List.of(bob, carol, dave));
        alice.engine.rooms().promote(room, bob.peerId());
        awaitEpoch(List.of(alice, bob, carol, dave), room, 4);
        List<byte[]> carolsHeads = List.of(carol.engine.store().rooms().log(room.toString()).getLast().hash());
        long removal = alice.engine.rooms().remove(room, bob.peerId()).epoch();
        awaitEpoch(List.of(carol, dave), room, removal);
        byte[] removalHash = alice.engine.store().rooms().log(room.toString()).getLast().hash();

        RoomEvent oldLeave;
        long hlc = 0;
        do {
            oldLeave = RoomEvent.sign(carol.identity, room, removal, carolsHeads, hlc++, new RoomChange.Leave());
        } while (RoomEvent.HASH_ORDER.compare(oldLeave.hash(), removalHash) >= 0);
        RecordingPeer carrier = recorder(Identity.generate(), alice, dave);
        carrier.pushEvents(alice.peerId(), room, List.of(oldLeave.encode()));
        carrier.pushEvents(dave.peerId(), room, List.of(oldLeave.encode()));

        for (TestEngine member : List.of(alice, dave)) {
            RoomInfo info = member.engine.rooms().get(room).orElseThrow();
            assertThat(info.members()).as(member.name).extracting(RoomInfo.Member::name)
                    .containsExactly("Alice", "Dave");
            assertThat(info.members()).filteredOn(RoomInfo.Member::admin).extracting(RoomInfo.Member::name)
                    .containsExactly("Alice");
            assertThat(notices(member, room)).contains("Alice removed Bob", "Carol left");
        }
        dave.engine.rooms().say(room, "Bob stays out");
        awaitTexts(alice, room, 1);
        assertThat(texts(bob, room)).isEmpty();
    }

    @Test
    void anExMembersSyncGetsNothingFromAfterItsRemovalWhateverHeadItClaims() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        TestEngine dave = start("Dave");
        RoomId room = roomOf(alice, List.of(bob, carol));
        alice.engine.rooms().say(room, "before");
        awaitTexts(bob, room, 1);
        List<MembershipEvent> carolsLog = carol.engine.store().rooms().log(room.toString());
        stop(carol);
        long removal = alice.engine.rooms().remove(room, carol.peerId()).epoch();
        RoomEvent removalEvent = RoomEvent.decode(alice.engine.store().rooms().log(room.toString()).getLast().event());
        TestEngine.befriend(alice, dave);
        alice.engine.rooms().invite(room, dave.peerId());
        alice.engine.rooms().rename(room, "After Carol");
        awaitEpoch(List.of(bob), room, removal + 2);
        alice.engine.rooms().say(room, "after");
        awaitTexts(bob, room, 2);

        RecordingPeer recordingCarol = recorder(carol.identity, alice, bob);
        List<List<byte[]>> claims = List.of(List.of(carolsLog.getLast().hash()), List.of(new byte[32]), List.of(),
                List.of(carolsLog.getFirst().hash()));
        for (List<byte[]> heads : claims) {
            for (TestEngine member : List.of(alice, bob)) {
                recordingCarol.sync(member.peerId(), digest(room, heads,
                        List.of(alice.peerId(), bob.peerId(), carol.peerId())));
            }
        }

        Set<String> upToRemoval = alice.engine.store().rooms().log(room.toString()).stream()
                .filter(event -> event.epoch() <= removal).map(event -> hex(event.hash())).collect(Collectors.toSet());
        assertThat(recordingCarol.receivedEvents()).isNotEmpty()
                .allSatisfy(event -> assertThat(upToRemoval).contains(hex(sha256(event))));
        assertThat(recordingCarol.receivedEvents().stream().map(event -> hex(sha256(event))))
                .contains(hex(removalEvent.hash()));
        assertThat(recordingCarol.receivedEvents()).noneSatisfy(event -> assertThat(new String(event,
                StandardCharsets.ISO_8859_1)).contains("Dave"));
        // What was still queued for her 1:1 may reach her; no room envelope and no key from after her removal.
        assertThat(recordingCarol.received()).noneMatch(envelope -> envelope.header().kind() == EnvelopeKind.TEXT
                && envelope.header().recipient() instanceof dev.parley.crypto.Recipient.Room);
        assertThat(ringOf(carol, List.of(), recordingCarol).current(room)).isEmpty();
        for (TestEngine member : List.of(alice, bob)) {
            assertThat(ringOf(carol, List.of(), recordingCarol).find(room, member.peerId(), removal)).isEmpty();
        }
    }

    @Test
    void aStrangerWhoKnowsTheRoomsIdAndAHeadGetsNothingFromASync() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        alice.engine.rooms().say(room, "members only");
        awaitTexts(bob, room, 1);
        awaitTexts(carol, room, 1);
        stop(carol);
        byte[] head = alice.engine.store().rooms().log(room.toString()).getLast().hash();
        List<PeerId> everyone = List.of(alice.peerId(), bob.peerId(), carol.peerId());

        // Carol, a member standing in for herself, asks for everything and gets it: the digests ask for something.
        RecordingPeer recordingCarol = recorder(carol.identity, alice, bob);
        RecordingPeer mallory = recorder(Identity.generate(), alice, bob);
        for (TestEngine member : List.of(alice, bob)) {
            for (List<byte[]> heads : List.of(List.<byte[]>of(), List.of(head), List.of(new byte[32]))) {
                recordingCarol.sync(member.peerId(), digest(room, heads, everyone));
                mallory.sync(member.peerId(), digest(room, heads, everyone));
            }
        }

        assertThat(recordingCarol.receivedEvents()).isNotEmpty();
        assertThat(recordingCarol.received()).isNotEmpty();
        assertThat(mallory.receivedEvents()).as("events a stranger got").isEmpty();
        assertThat(mallory.receivedBytes()).as("envelopes and keys a stranger got").isEmpty();
        assertThat(alice.engine.rooms().get(room).orElseThrow().members()).extracting(RoomInfo.Member::name)
                .containsExactlyInAnyOrder("Alice", "Bob", "Carol");
    }

    @Test
    void aStrangersKeyAndKeysForEpochsNotYetOrNoLongerValidAreNotKept() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        long head = bob.engine.rooms().get(room).orElseThrow().epoch();
        Identity mallory = Identity.generate();
        TestEngine malloryAsContact = start("Mallory");
        TestEngine.befriend(bob, malloryAsContact);
        malloryAsContact.awaitOutboxEmptyFor(bob.peerId());
        stop(malloryAsContact);
        int keysBefore = bob.engine.store().senderKeys().all().size();

        byte[] strangers = SEALER.sealSenderKey(malloryAsContact.identity, bob.engine.card(),
                SenderKey.generate(room, malloryAsContact.peerId(), head), System.currentTimeMillis() << 16).encode();
        byte[] ahead = SEALER.sealSenderKey(carol.identity, bob.engine.card(),
                SenderKey.generate(room, carol.peerId(), head + 5), System.currentTimeMillis() << 16).encode();
        byte[] beforeJoining = SEALER.sealSenderKey(carol.identity, bob.engine.card(),
                SenderKey.generate(room, carol.peerId(), 0), System.currentTimeMillis() << 16).encode();
        RecordingPeer asCarol = recorder(carol.identity, bob);
        RecordingPeer asMallory = recorder(mallory, bob);
        asCarol.sendDirect(bob.peerId(), List.of(ahead, beforeJoining));
        RecordingPeer asContact = recorder(malloryAsContact.identity, bob);
        asContact.sendDirect(bob.peerId(), List.of(strangers));
        asMallory.sendDirect(bob.peerId(), List.of(SEALER.sealSenderKey(mallory, bob.engine.card(),
                SenderKey.generate(room, mallory.peerId(), head), System.currentTimeMillis() << 16).encode()));

        List<SenderKey> kept = keys(bob);
        assertThat(kept).hasSize(keysBefore);
        assertThat(kept).noneMatch(key -> key.owner().equals(malloryAsContact.peerId())
                || key.owner().equals(mallory.peerId()) || key.epoch() == head + 5 || key.owner().equals(carol.peerId())
                && key.epoch() == 0);
        carol.engine.rooms().say(room, "the room goes on");
        awaitTexts(bob, room, 1);
    }

    @Test
    void epochsOf2To64Minus1AreRefusedWhereverTheyComeAndTheNodeGoesOn() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        List<byte[]> heads = List.of(bob.engine.store().rooms().log(room.toString()).getLast().hash());
        RecordingPeer asCarol = recorder(carol.identity, bob);

        byte[] envelope = roomEnvelopeAtEpoch(carol.identity, room, MAX_UINT64);
        byte[] key = SEALER.sealDirect(carol.identity, bob.engine.card(), HeaderFields.of(
                        ConversationId.direct(carol.peerId(), bob.peerId()), System.currentTimeMillis() << 16,
                        EnvelopeKind.SENDER_KEY),
                EnvelopeProtos.SenderKey.newBuilder().setRoomId(ByteString.copyFrom(room.bytes()))
                        .setOwner(ByteString.copyFrom(carol.peerId().bytes())).setEpoch(MAX_UINT64)
                        .setKey(ByteString.copyFrom(new byte[32])).build().toByteArray()).encode();
        RoomProtos.RoomEvent event = RoomProtos.RoomEvent.newBuilder().setRoomId(ByteString.copyFrom(room.bytes()))
                .setEpoch(MAX_UINT64).addParents(ByteString.copyFrom(heads.getFirst()))
                .setAuthor(ByteString.copyFrom(carol.peerId().bytes())).setHlc(1)
                .setLeave(RoomProtos.Leave.getDefaultInstance()).build();
        byte[] signedEvent = RoomProtos.SignedRoomEvent.newBuilder().setEvent(event.toByteString())
                .setSignature(ByteString.copyFrom(carol.identity.sign(ByteString.copyFromUtf8("parley/room-event/2\0")
                        .concat(event.toByteString()).toByteArray()))).build().toByteArray();

        asCarol.push(bob.peerId(), List.of(envelope));
        asCarol.sendDirect(bob.peerId(), List.of(key));
        asCarol.pushEvents(bob.peerId(), room, List.of(signedEvent));
        asCarol.sync(bob.peerId(), Digest.newBuilder().addRooms(RoomDigest.newBuilder()
                .setRoomId(ByteString.copyFrom(room.bytes())).addHeads(ByteString.copyFrom(heads.getFirst()))
                .addSenders(SenderPosition.newBuilder().setSender(ByteString.copyFrom(alice.peerId().bytes()))
                        .setContiguous(MAX_UINT64))
                .addWantedKeys(WantedKey.newBuilder().setOwner(ByteString.copyFrom(bob.peerId().bytes()))
                        .setEpoch(MAX_UINT64))).build());

        assertThat(bob.engine.rooms().get(room).orElseThrow().members()).hasSize(3);
        assertThat(keys(bob)).noneMatch(kept -> kept.epoch() < 0);
        alice.engine.rooms().say(room, "still here");
        awaitTexts(bob, room, 1);
        alice.engine.chat().send(bob.peerId(), "and 1:1 too");
        await(() -> bob.events.all(EngineEvent.MessageReceived.class).stream()
                .anyMatch(received -> received.message().text().equals("and 1:1 too")), () -> "Bob's chat stream");
    }

    @Test
    void anIdSquattedBeforeANoticeDoesNotSuppressIt() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        TestEngine mallory = start("Mallory");
        RoomId room = roomOf(alice, List.of(bob, carol, mallory));
        TestEngine.befriend(bob, mallory);
        mallory.awaitOutboxEmptyFor(bob.peerId());
        stop(bob);
        alice.engine.rooms().rename(room, "Renamed while Bob was away");
        RoomEvent rename = RoomEvent.decode(alice.engine.store().rooms().log(room.toString()).getLast().event());
        MessageId noticeId = RoomNotices.noticeId(rename);
        // Nobody who holds the rename is online when Bob comes back, so Mallory's claim reaches him first.
        stop(alice);
        stop(carol);
        stop(mallory);
        TestEngine bobAgain = restart(bob);

        // Mallory, a contact and a member, claims the notice's id first: in her 1:1 chat and in the room.
        RecordingPeer asMallory = recorder(mallory.identity, bobAgain);
        asMallory.sendDirect(bobAgain.peerId(), List.of(SEALER.sealDirect(mallory.identity, bobAgain.engine.card(),
                new HeaderFields(noticeId, ConversationId.direct(mallory.peerId(), bobAgain.peerId()),
                        System.currentTimeMillis() << 16, EnvelopeKind.TEXT),
                Text.newBuilder().setBody("squatting").build().toByteArray()).encode()));
        await(() -> bobAgain.events.all(EngineEvent.MessageReceived.class).stream()
                .anyMatch(received -> received.message().text().equals("squatting")), () -> "the squat arrived");
        TestEngine aliceAgain = restart(alice);

        await(() -> notices(bobAgain, room).contains("Alice renamed the room to Renamed while Bob was away"),
                () -> "Bob's notices: " + notices(bobAgain, room));
        assertThat(bobAgain.engine.rooms().get(room).orElseThrow().name()).isEqualTo("Renamed while Bob was away");
    }

    // ---- helpers ----

    /**
     * Once every one of {@code others} holds {@code rewrite}, {@code member} is still out in each of their views; it
     * stands in for itself and asks each of them for everything, keys included, claiming the rewrite as its head:
     * it opens neither what was said while it was out nor what is said after the rewrite.
     */
    private void assertStillOutAndReadsNothing(TestEngine member, List<SenderKey> held, RoomId room,
            RoomEvent rewrite, byte[] saidInTheGap, TestEngine... others) throws Exception {
        for (TestEngine other : others) {
            await(() -> other.engine.store().rooms().log(room.toString()).stream()
                    .anyMatch(event -> Arrays.equals(event.hash(), rewrite.hash())),
                    () -> other.name + " has not taken " + rewrite);
            assertThat(other.engine.rooms().get(room).orElseThrow().members()).as(other.name + "'s members")
                    .noneMatch(info -> info.peer().equals(member.peerId()));
        }
        TestEngine first = others[0];
        first.engine.rooms().say(room, "said after the rewrite");
        byte[] saidAfter = first.engine.store().roomEnvelopes().after(room.toString(), first.peerId().toBase58(), 0,
                0, 100).getLast().envelope();
        for (TestEngine other : Arrays.copyOfRange(others, 1, others.length)) {
            await(() -> texts(other, room).stream().anyMatch(line -> line.text().equals("said after the rewrite")),
                    () -> other.name + "'s texts");
        }
        RecordingPeer recording = recorder(member.identity, others);
        List<PeerId> senders = Arrays.stream(others).map(TestEngine::peerId).toList();
        for (TestEngine other : others) {
            recording.sync(other.peerId(), digest(room, List.of(rewrite.hash()), senders));
        }
        SenderKeyRing ring = ringOf(member, held, recording);
        assertThat(opens(saidInTheGap, ring)).as(member.name + " reads what was said while it was out").isFalse();
        assertThat(opens(saidAfter, ring)).as(member.name + " reads what was said after the rewrite").isFalse();
    }

    private static Digest digest(RoomId room, List<byte[]> heads, List<PeerId> wantedFrom) {
        RoomDigest.Builder entry = RoomDigest.newBuilder().setRoomId(ByteString.copyFrom(room.bytes()));
        heads.forEach(head -> entry.addHeads(ByteString.copyFrom(head)));
        for (PeerId owner : wantedFrom) {
            for (long epoch = 0; epoch < 8; epoch++) {
                entry.addWantedKeys(WantedKey.newBuilder().setOwner(ByteString.copyFrom(owner.bytes())).setEpoch(epoch));
            }
        }
        return Digest.newBuilder().addRooms(entry).build();
    }

    private static List<SenderKey> keys(TestEngine member) throws Exception {
        List<SenderKey> keys = new ArrayList<>();
        for (byte[] key : member.engine.store().senderKeys().all()) {
            keys.add(SenderKey.decode(key));
        }
        return keys;
    }

    /**
     * The keys a member held, and every key that reached its recording stand-in since, opened with the member's own
     * identity and the sessions its stopped engine kept. A key sealed under a session the member no longer held when
     * it stopped (one replaced while the envelope was on its way, as a crossing start can) opens for it no more than
     * for anyone: its engine would ask for a new session and get the same hand-out sealed again.
     */
    private static SenderKeyRing ringOf(TestEngine member, List<SenderKey> held, RecordingPeer recorder) {
        SenderKeyRing ring = SenderKeyRing.of(member.peerId(), held);
        StoredSessions sessions = StoredSessions.of(member.identity, member.profile.resolve(EngineConfig.STORE_FILE));
        for (byte[] received : recorder.receivedBytes()) {
            try {
                if (Envelope.decode(received).header().kind() == EnvelopeKind.SENDER_KEY) {
                    Optional<Opened> opened = sessions.open(received);
                    if (opened.isPresent()) {
                        ring.add(SEALER.openSenderKey(opened.get()));
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return ring;
    }

    private static boolean opens(byte[] envelope, SenderKeyRing ring) {
        try {
            SEALER.openRoom(envelope, ring, id -> true);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A room envelope whose header claims {@code epoch}, signed by its sender as any envelope is. */
    private static byte[] roomEnvelopeAtEpoch(Identity sender, RoomId room, long epoch) {
        byte[] header = EnvelopeProtos.EnvelopeHeader.newBuilder().setVersion(Envelope.VERSION)
                .setMessageId(ByteString.copyFrom(MessageId.random().bytes()))
                .setConversationId(ByteString.copyFrom(ConversationId.of(room).bytes()))
                .setSender(ByteString.copyFrom(sender.peerId().bytes())).setRoomId(ByteString.copyFrom(room.bytes()))
                .setEpoch(epoch).setHlc(1).setKind(EnvelopeProtos.Kind.TEXT).setSequence(1)
                .build().toByteArray();
        byte[] ciphertext = new byte[40];
        byte[] domain = "parley/envelope/1\0".getBytes(StandardCharsets.UTF_8);
        byte[] signed = ByteBuffer.allocate(domain.length + 4 + header.length + ciphertext.length).put(domain)
                .putInt(header.length).put(header).put(ciphertext).array();
        return EnvelopeProtos.Envelope.newBuilder().setHeader(ByteString.copyFrom(header))
                .setCiphertext(ByteString.copyFrom(ciphertext)).setSignature(ByteString.copyFrom(sender.sign(signed)))
                .build().toByteArray();
    }

    /** The signed event with field 7 appended, a varint that {@code variant} (below 2^21) varies. */
    private static byte[] withUnknownField(byte[] signed, int variant) {
        byte[] twin = java.util.Arrays.copyOf(signed, signed.length + 4);
        twin[signed.length] = (byte) (7 << 3);
        twin[signed.length + 1] = (byte) (variant & 0x7f | 0x80);
        twin[signed.length + 2] = (byte) (variant >> 7 & 0x7f | 0x80);
        twin[signed.length + 3] = (byte) (variant >> 14);
        return twin;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
