package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.await;
import static dev.parley.app.engine.RoomChatTest.awaitTexts;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static dev.parley.app.engine.RoomChatTest.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.engine.room.RoomChange;
import dev.parley.app.engine.room.RoomEvent;
import dev.parley.app.engine.room.SyncFrames;
import dev.parley.app.engine.room.wire.RoomProtos;
import dev.parley.app.engine.session.StoredSessions;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.app.engine.wire.SyncProtos.Digest;
import dev.parley.app.engine.wire.SyncProtos.RoomDigest;
import dev.parley.app.engine.wire.SyncProtos.RoomUpdate;
import dev.parley.app.engine.wire.SyncProtos.SyncFrame;
import dev.parley.app.engine.wire.SyncProtos.WantedKey;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.InvalidSenderKeyException;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.Opened;
import dev.parley.crypto.Recipient;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.SenderKeyRing;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.crypto.wire.EnvelopeProtos;
import dev.parley.store.MembershipEvent;
import dev.parley.store.RoomEnvelope;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a removed member, a forger and an ordinary member can do to a room, tried for real: a removed member records
 * everything the others send it and asks them for the rest, and posts with its old key and with a new one it made
 * itself; forged membership events arrive from a stranger; an ordinary member signs, with its own key, changes only
 * admins may make. Nothing of it gets through.
 */
class RoomSecurityTest extends RoomEnginesTest {
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();

    @Test
    void aRemovedMemberGetsNothingItCanOpenFromTheNewEpochAndItsPostsAreRejected() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        alice.engine.rooms().say(room, "alice before");
        carol.engine.rooms().say(room, "carol before");
        for (TestEngine member : List.of(alice, bob, carol)) {
            awaitTexts(member, room, 2);
        }
        byte[] headBefore = alice.engine.store().rooms().log(room.toString()).getLast().hash();
        List<SenderKey> carolsKeys = new ArrayList<>();
        for (byte[] key : carol.engine.store().senderKeys().all()) {
            carolsKeys.add(SenderKey.decode(key));
        }
        long carolsLastNumber = carol.engine.store().roomEnvelopes().highest(room.toString(), carol.peerId().toBase58());
        stop(carol);
        RecordingPeer recordingCarol = recorder(carol.identity, alice, bob);

        long removal = alice.engine.rooms().remove(room, carol.peerId()).epoch();
        await(() -> bob.engine.rooms().get(room).orElseThrow().epoch() == removal,
                () -> "Bob has not seen the removal");
        for (int i = 0; i < 5; i++) {
            alice.engine.rooms().say(room, "alice after " + i);
            bob.engine.rooms().say(room, "bob after " + i);
        }
        awaitTexts(alice, room, 12);
        awaitTexts(bob, room, 12);
        Digest asIfNothingHappened = Digest.newBuilder().addRooms(RoomDigest.newBuilder()
                .setRoomId(ByteString.copyFrom(room.bytes())).addHeads(ByteString.copyFrom(headBefore))
                .addWantedKeys(wanted(alice.peerId(), removal)).addWantedKeys(wanted(bob.peerId(), removal))).build();
        recordingCarol.sync(alice.peerId(), asIfNothingHappened);
        recordingCarol.sync(bob.peerId(), asIfNothingHappened);
        await(() -> recordingCarol.received().stream().anyMatch(e -> e.header().kind() == EnvelopeKind.ROOM_EVENT),
                () -> "Alice has not told Carol she was removed");

        SenderKeyRing carolsRing = SenderKeyRing.of(carol.peerId(), carolsKeys);
        // With Carol's identity and the sessions her stopped engine kept: all that she could open herself.
        StoredSessions carolsSessions = StoredSessions.of(carol.identity, carol.profile.resolve(EngineConfig.STORE_FILE));
        for (byte[] received : recordingCarol.receivedBytes()) {
            Envelope envelope = Envelope.decode(received);
            if (envelope.header().kind() == EnvelopeKind.SENDER_KEY) {
                // One sealed under a session Carol had replaced by the time she stopped opens for her no more than
                // for anyone: her engine would ask for a new session and get the same hand-out sealed again.
                Optional<Opened> opened = carolsSessions.open(received);
                if (opened.isPresent()) {
                    carolsRing.add(SEALER.openSenderKey(opened.get()));
                }
            }
        }
        for (PeerId member : List.of(alice.peerId(), bob.peerId())) {
            assertThat(carolsRing.find(room, member, removal)).as("key of " + member).isEmpty();
        }
        List<byte[]> newEpoch = new ArrayList<>();
        recordingCarol.receivedBytes().stream().filter(bytes -> isRoomEnvelopeFrom(bytes, removal)).forEach(newEpoch::add);
        for (TestEngine member : List.of(alice, bob)) {
            List<RoomEnvelope> sent = member.engine.store().roomEnvelopes().after(room.toString(),
                    member.peerId().toBase58(), 0, removal, 100);
            assertThat(sent).hasSize(5);
            sent.forEach(envelope -> newEpoch.add(envelope.envelope()));
        }
        for (byte[] envelope : newEpoch) {
            assertThatThrownBy(() -> SEALER.openRoom(envelope, carolsRing, id -> true))
                    .isInstanceOf(EnvelopeException.class)
                    .satisfies(e -> assertThat(((EnvelopeException) e).reason())
                            .isEqualTo(EnvelopeException.Reason.UNKNOWN_SENDER_KEY));
        }
        byte[] before = alice.engine.store().roomEnvelopes().after(room.toString(), alice.peerId().toBase58(), 0, 0, 1)
                .getFirst().envelope();
        // Her keys are genuine, and chained: what she opened before, her stored keys open no more.
        assertThatThrownBy(() -> SEALER.openRoom(before, carolsRing, id -> true))
                .isInstanceOf(EnvelopeException.class)
                .satisfies(e -> assertThat(((EnvelopeException) e).reason())
                        .isEqualTo(EnvelopeException.Reason.MESSAGE_KEY_GONE));

        SenderKey oldKey = carolsRing.current(room).orElseThrow();
        SenderKey selfMade = SenderKey.generate(room, carol.peerId(), removal);
        recordingCarol.sendDirect(alice.peerId(), List.of(SEALER.sealSenderKey(carol.identity, alice.engine.card(),
                selfMade, System.currentTimeMillis() << 16).encode()));
        recordingCarol.sendDirect(bob.peerId(), List.of(SEALER.sealSenderKey(carol.identity, bob.engine.card(),
                selfMade, System.currentTimeMillis() << 16).encode()));
        List<byte[]> posts = List.of(post(carol.identity, oldKey, carolsLastNumber + 1, "old key after removal"),
                post(carol.identity, selfMade, carolsLastNumber + 2, "new key after removal"));
        recordingCarol.push(alice.peerId(), posts);
        recordingCarol.push(bob.peerId(), posts);

        for (TestEngine member : List.of(alice, bob)) {
            assertThat(texts(member, room)).extracting(RoomMessage::text).as(member.name)
                    .doesNotContain("old key after removal", "new key after removal").hasSize(12);
            assertThat(member.engine.store().roomEnvelopes().highest(room.toString(), carol.peerId().toBase58()))
                    .isEqualTo(carolsLastNumber);
        }

        stop(recordingCarol);
        TestEngine carolAgain = restart(carol);
        await(() -> carolAgain.engine.rooms().get(room).orElseThrow().status() == RoomStatus.LEFT,
                () -> "Carol's own node has not learnt that she was removed: " + carolAgain.engine.rooms().get(room));
        assertThatThrownBy(() -> carolAgain.engine.rooms().say(room, "let me back in"))
                .isInstanceOf(EngineException.class).hasMessageContaining("not a member");
    }

    private static WantedKey wanted(PeerId owner, long epoch) {
        return WantedKey.newBuilder().setOwner(ByteString.copyFrom(owner.bytes())).setEpoch(epoch).build();
    }

    private static boolean isRoomEnvelopeFrom(byte[] bytes, long epoch) {
        try {
            Envelope envelope = Envelope.decode(bytes);
            return envelope.header().recipient() instanceof Recipient.Room && envelope.header().epoch() >= epoch;
        } catch (EnvelopeException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] post(Identity author, SenderKey key, long number, String text) throws EnvelopeException {
        HeaderFields fields = new HeaderFields(MessageId.timeOrdered(System.currentTimeMillis()),
                ConversationId.of(key.room()), System.currentTimeMillis() << 16, EnvelopeKind.TEXT);
        return SEALER.sealRoom(author, key, fields, number, Text.newBuilder().setBody(text).build().toByteArray())
                .encode();
    }

    @Test
    void forgedMembershipEventsChangeNothingAnywhere() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        long head = alice.engine.rooms().get(room).orElseThrow().epoch();
        List<MembershipEvent> log = alice.engine.store().rooms().log(room.toString());
        List<byte[]> heads = List.of(log.getLast().hash());
        Identity mallory = Identity.generate();
        ContactCard mallorysCard = ContactCard.create(mallory, "Mallory");
        List<TestEngine> members = List.of(alice, bob, carol);
        List<HostHoldings> baselines = settled(room, members);
        RecordingPeer strangerMallory = recorder(mallory, alice, bob, carol);

        byte[] signedByMalloryAsAlice = resigned(RoomEvent.sign(alice.identity, room, head + 1, heads, 1,
                new RoomChange.Add(mallorysCard)), mallory);
        byte[] unknownParent = RoomEvent.sign(alice.identity, room, head + 1, List.of(new byte[32]), 1,
                new RoomChange.Add(mallorysCard)).encode();
        byte[] byStranger = RoomEvent.sign(mallory, room, head + 1, heads, 1,
                new RoomChange.Rename("Mallory's room")).encode();
        byte[] replayedOld = log.get(1).event();
        byte[] reEncoded = withUnknownField(log.get(1).event());

        for (TestEngine member : List.of(alice, bob, carol)) {
            for (byte[] forged : List.of(signedByMalloryAsAlice, unknownParent, byStranger, replayedOld, reEncoded)) {
                strangerMallory.pushEvents(member.peerId(), room, List.of(forged));
            }
        }
        // A member's change it has no right to make changes nothing, so it is not even stored.
        RoomEvent byNonAdmin = RoomEvent.sign(bob.identity, room, head + 1, heads, 1,
                new RoomChange.Remove(alice.peerId()));
        strangerMallory.pushEvents(carol.peerId(), room, List.of(byNonAdmin.encode()));

        assertRoomAsMade(room, head, log.size(), List.of(alice, bob, carol));
        bob.engine.rooms().say(room, "still here");
        awaitTexts(carol, room, 1);

        byte[] genuine = RoomEvent.sign(alice.identity, room, head + 1, heads, 1,
                new RoomChange.Rename("Climbing club 2")).encode();
        strangerMallory.pushEvents(carol.peerId(), room, List.of(genuine));
        assertThat(carol.engine.rooms().get(room).orElseThrow().name()).as("the same path takes a genuine event")
                .isEqualTo("Climbing club 2");
        stop(strangerMallory);
        awaitBackTo(baselines, members, "Mallory's node closed");
        carol.engine.rooms().say(room, "and still");
        awaitTexts(alice, room, 2);
    }

    @Test
    void changesAnOrdinaryMemberSignsAndSendsItselfChangeNothingAnywhere() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        long head = alice.engine.rooms().get(room).orElseThrow().epoch();
        List<MembershipEvent> log = alice.engine.store().rooms().log(room.toString());
        List<byte[]> heads = List.of(log.getLast().hash());
        List<String> notices = RoomChatTest.notices(alice, room);
        // Settled first: the stand-in acknowledges what it is sent, so a session answer or a key on its way to Bob's
        // engine would be lost to his engine when it comes back (as it would to anyone who stole his key).
        settled(room, List.of(alice, bob, carol));
        // Bob, no admin, runs a node of his own making in place of his engine, under his own key.
        stop(bob);
        List<TestEngine> attacked = List.of(alice, carol);
        awaitGone(bob.peerId(), attacked);
        List<HostHoldings> baselines = settled(room, attacked);
        RecordingPeer hostileBob = recorder(bob.identity, alice, carol);
        RoomEvent promotesHimself = RoomEvent.sign(bob.identity, room, head + 1, heads, 1,
                new RoomChange.Promote(bob.peerId()));
        List<RoomEvent> changes = List.of(
                RoomEvent.sign(bob.identity, room, head + 1, heads, 1, new RoomChange.Remove(carol.peerId())),
                RoomEvent.sign(bob.identity, room, head + 1, heads, 1,
                        new RoomChange.Add(ContactCard.create(Identity.generate(), "Mallory"))),
                RoomEvent.sign(bob.identity, room, head + 1, heads, 1, new RoomChange.Rename("Bob's club")),
                promotesHimself,
                // and, as the admin he says he is now, removes the one who is
                RoomEvent.sign(bob.identity, room, head + 2, List.of(promotesHimself.hash()), 2,
                        new RoomChange.Remove(alice.peerId())));

        for (TestEngine member : List.of(alice, carol)) {
            // As his engine sends its own changes, 1:1 and acknowledged, and as a sync carries the log.
            List<byte[]> updates = new ArrayList<>();
            for (RoomEvent change : changes) {
                updates.add(roomEventEnvelope(bob.identity, member, change));
            }
            hostileBob.sendDirect(member.peerId(), updates);
            hostileBob.pushEvents(member.peerId(), room, changes.stream().map(RoomEvent::encode).toList());
        }
        stop(hostileBob);
        awaitBackTo(baselines, attacked, "Bob's own node closed");
        TestEngine bobAgain = restart(bob);

        assertRoomAsMade(room, head, log.size(), List.of(alice, bobAgain, carol));
        for (TestEngine member : List.of(alice, bobAgain, carol)) {
            assertThat(RoomChatTest.notices(member, room)).as(member.name).isEqualTo(notices);
        }
        bobAgain.engine.rooms().say(room, "still here");
        alice.engine.rooms().say(room, "so I see");
        for (TestEngine member : List.of(alice, bobAgain, carol)) {
            awaitTexts(member, room, 2);
            assertThat(texts(member, room)).extracting(RoomMessage::text).as(member.name)
                    .containsExactlyInAnyOrder("still here", "so I see");
        }
    }

    /**
     * Each of {@code members} holds the room as {@link RoomChatTest#roomOf} made it: at {@code epoch}, with a log of
     * {@code events} events, its first name, {@code members} in it and the first of them its only admin.
     */
    private static void assertRoomAsMade(RoomId room, long epoch, int events, List<TestEngine> members) {
        List<PeerId> peers = members.stream().map(TestEngine::peerId).toList();
        for (TestEngine member : members) {
            RoomInfo info = member.engine.rooms().get(room).orElseThrow();
            assertThat(info.epoch()).as(member.name).isEqualTo(epoch);
            assertThat(info.name()).isEqualTo("Climbing club");
            assertThat(info.members()).extracting(RoomInfo.Member::peer).containsExactlyInAnyOrderElementsOf(peers);
            assertThat(info.members()).filteredOn(RoomInfo.Member::admin).extracting(RoomInfo.Member::peer)
                    .containsExactly(peers.getFirst());
            assertThat(member.engine.store().rooms().log(room.toString())).hasSize(events);
        }
    }

    /** {@code event} as its author's engine sends it to a fellow member: a ROOM_EVENT envelope, sealed 1:1. */
    private static byte[] roomEventEnvelope(Identity author, TestEngine to, RoomEvent event) throws EnvelopeException {
        byte[] update = RoomUpdate.newBuilder().setEvent(ByteString.copyFrom(event.encode())).build().toByteArray();
        HeaderFields fields = HeaderFields.of(ConversationId.direct(author.peerId(), to.peerId()),
                System.currentTimeMillis() << 16, EnvelopeKind.ROOM_EVENT);
        return SEALER.sealDirect(author, to.engine.card(), fields, update).encode();
    }

    /**
     * A member takes the envelopes of a stream several at a time (their signatures checked side by side); those read
     * before a frame that breaks the protocol are still taken, as they were one by one: 100 of them, more than one
     * batch, the last ones held when the stream is reset.
     */
    @Test
    void genuineEnvelopesPushedBeforeAFrameThatBreaksTheStreamAreKept() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        RoomId room = roomOf(alice, List.of(bob));
        alice.engine.rooms().say(room, "before");
        awaitTexts(bob, room, 1);
        stop(bob);
        for (int i = 0; i < 100; i++) {
            alice.engine.rooms().say(room, "missed " + i);
        }
        List<byte[]> missed = alice.engine.store().roomEnvelopes().after(room.toString(), alice.peerId().toBase58(), 1,
                0, 1_000).stream().map(RoomEnvelope::envelope).toList();
        assertThat(missed).hasSize(100);
        stop(alice);
        TestEngine bobAgain = restart(bob);
        RecordingPeer carrier = recorder(Identity.generate(), bobAgain);

        try (Stream stream = carrier.openSync(bobAgain.peerId())) {
            for (byte[] envelope : missed) {
                SyncFrames.write(SyncFrame.newBuilder().setEnvelope(ByteString.copyFrom(envelope)).build(),
                        stream.out());
            }
            Varint.write(SyncFrames.MAX_FRAME_BYTES + 1, stream.out());
            stream.out().flush();
            assertThatThrownBy(() -> stream.in().readAllBytes()).isInstanceOf(IOException.class)
                    .hasMessageContaining("reset");
        }

        awaitTexts(bobAgain, room, 101);
        assertThat(texts(bobAgain, room)).extracting(RoomMessage::text).endsWith("missed 98", "missed 99");
    }

    @Test
    void replayedForgedAndOversizedRoomTrafficIsDroppedAndTheRoomGoesOn() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        RoomId room = roomOf(alice, List.of(bob));
        alice.engine.rooms().say(room, "one");
        awaitTexts(bob, room, 1);
        byte[] genuine = alice.engine.store().roomEnvelopes().after(room.toString(), alice.peerId().toBase58(), 0, 0, 1)
                .getFirst().envelope();
        Identity mallory = Identity.generate();
        HostHoldings bobsBaseline = settled(room, List.of(alice, bob)).getLast();
        RecordingPeer strangerMallory = recorder(mallory, bob);
        EnvelopeProtos.Envelope parsed = EnvelopeProtos.Envelope.parseFrom(genuine);
        byte[] signature = parsed.getSignature().toByteArray();
        signature[5] ^= 1;
        byte[] badSignature = parsed.toBuilder().setSignature(ByteString.copyFrom(signature)).build().toByteArray();
        byte[] byStranger = post(mallory, SenderKey.generate(room, mallory.peerId(), 1), 1, "let me in");

        strangerMallory.push(bob.peerId(), List.of(genuine, genuine, badSignature, byStranger, genuine));

        assertThat(texts(bob, room)).extracting(RoomMessage::text).containsExactly("one");
        assertThat(bob.events.all(EngineEvent.RoomMessageReceived.class).stream()
                .filter(received -> !received.message().notice())).hasSize(1);
        try (Stream oversized = strangerMallory.openSync(bob.peerId())) {
            Varint.write(SyncFrames.MAX_FRAME_BYTES + 1, oversized.out());
            oversized.out().flush();
            assertThatThrownBy(() -> oversized.in().readAllBytes()).isInstanceOf(IOException.class)
                    .hasMessageContaining("reset");
        }
        alice.engine.rooms().say(room, "two");
        awaitTexts(bob, room, 2);
        stop(strangerMallory);
        bobsBaseline.awaitBackTo(bob.engine.host(), "Mallory's node closed");
        alice.engine.rooms().say(room, "three");
        awaitTexts(bob, room, 3);
    }

    @Test
    void aRemovedMemberCannotUndoItsRemovalWithABackDatedEvent() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = roomOf(alice, List.of(bob, carol));
        alice.engine.rooms().promote(room, carol.peerId());
        RoomChatTest.awaitEpoch(List.of(alice, bob, carol), room, 3);
        List<MembershipEvent> before = alice.engine.store().rooms().log(room.toString());
        long removal = alice.engine.rooms().remove(room, carol.peerId()).epoch();
        RoomChatTest.awaitEpoch(List.of(alice, bob), room, removal);
        byte[] removalHash = alice.engine.store().rooms().log(room.toString()).getLast().hash();
        RoomEvent competing;
        long hlc = 0;
        do {
            // Carol, an admin before her removal, signs on the heads she last saw and grinds the hash lower.
            competing = RoomEvent.sign(carol.identity, room, removal, List.of(before.getLast().hash()), hlc++,
                    new RoomChange.Remove(alice.peerId()));
        } while (RoomEvent.HASH_ORDER.compare(competing.hash(), removalHash) >= 0);
        RoomEvent readmitted = RoomEvent.sign(carol.identity, room, removal + 1, List.of(competing.hash()), hlc,
                new RoomChange.Add(ContactCard.create(Identity.generate(), "Mallory")));
        RecordingPeer carrier = recorder(Identity.generate(), alice, bob);

        carrier.pushEvents(alice.peerId(), room, List.of(competing.encode(), readmitted.encode()));
        carrier.pushEvents(bob.peerId(), room, List.of(competing.encode(), readmitted.encode()));

        for (TestEngine member : List.of(alice, bob)) {
            RoomInfo info = member.engine.rooms().get(room).orElseThrow();
            assertThat(info.members()).as(member.name).extracting(RoomInfo.Member::name)
                    .containsExactly("Alice", "Bob");
            assertThat(info.members()).filteredOn(RoomInfo.Member::admin).extracting(RoomInfo.Member::name)
                    .containsExactly("Alice");
            assertThat(member.engine.rooms().history(room, 50)).filteredOn(RoomMessage::notice)
                    .extracting(RoomMessage::text).noneMatch(text -> text.startsWith("Carol"));
        }
        alice.engine.rooms().say(room, "after the attempt");
        awaitTexts(bob, room, 1);
    }

    /**
     * What each of {@code members}' hosts holds once the room has settled among them: each holds the others' sender
     * keys of the room's epoch and has delivered all it had for them, so each one's chat stream to each other is
     * open, as it stays. The baselines to come back to after an attack, in the order of {@code members}.
     */
    private static List<HostHoldings> settled(RoomId room, List<TestEngine> members) throws InterruptedException {
        for (TestEngine member : members) {
            long epoch = member.engine.rooms().get(room).orElseThrow().epoch();
            for (TestEngine other : members) {
                if (other != member) {
                    await(() -> holdsKey(member, room, other.peerId(), epoch),
                            () -> member.name + " has no key of " + other.name + " for epoch " + epoch);
                    member.awaitOutboxEmptyFor(other.peerId());
                }
            }
        }
        List<HostHoldings> baselines = new ArrayList<>();
        for (TestEngine member : members) {
            baselines.add(HostHoldings.settled(member.engine.host()));
        }
        return baselines;
    }

    private static boolean holdsKey(TestEngine member, RoomId room, PeerId owner, long epoch) {
        for (byte[] encoded : member.engine.store().senderKeys().all()) {
            try {
                SenderKey key = SenderKey.decode(encoded);
                if (key.room().equals(room) && key.owner().equals(owner) && key.epoch() == epoch) {
                    return true;
                }
            } catch (InvalidSenderKeyException e) {
                throw new AssertionError(member.name + " stored a sender key that does not decode", e);
            }
        }
        return false;
    }

    /** Waits until each of {@code members}' hosts is back to its baseline, at the same index in {@code baselines}. */
    private static void awaitBackTo(List<HostHoldings> baselines, List<TestEngine> members, String after)
            throws InterruptedException {
        for (int i = 0; i < members.size(); i++) {
            baselines.get(i).awaitBackTo(members.get(i).engine.host(), after + ", at " + members.get(i).name);
        }
    }

    /** Waits until none of {@code members} has a connection to {@code peer}, whose node has closed. */
    private static void awaitGone(PeerId peer, List<TestEngine> members) throws InterruptedException {
        for (TestEngine member : members) {
            await(() -> member.engine.host().connection(peer).isEmpty(),
                    () -> member.name + " is still connected to " + peer);
        }
    }

    /** The signed event with an unknown field appended to its wrapper: the same signature, another hash. */
    private static byte[] withUnknownField(byte[] signed) {
        byte[] padded = java.util.Arrays.copyOf(signed, signed.length + 2);
        padded[signed.length] = (byte) (7 << 3);
        padded[signed.length + 1] = 1;
        return padded;
    }

    /** {@code event}'s bytes with a signature by {@code signer} in place of its own. */
    private static byte[] resigned(RoomEvent event, Identity signer) throws Exception {
        RoomProtos.SignedRoomEvent signed = RoomProtos.SignedRoomEvent.parseFrom(event.encode());
        return signed.toBuilder().setSignature(ByteString.copyFrom(signer.sign(signedBytes(signed.getEvent()))))
                .build().toByteArray();
    }

    private static byte[] signedBytes(ByteString event) {
        return ByteString.copyFromUtf8("parley/room-event/2\0").concat(event).toByteArray();
    }
}
