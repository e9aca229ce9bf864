package dev.parley.app.engine.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.room.wire.RoomProtos;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.Multiaddr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A room's membership log: what extends it, who may change what, and how forgeries and forks are told apart. */
class RoomStateTest {
    static final Identity ALICE = Identity.generate();
    static final Identity BOB = Identity.generate();
    static final Identity CAROL = Identity.generate();
    static final Identity MALLORY = Identity.generate();
    static final RoomId ROOM = RoomId.random();
    static final Multiaddr ADDRESS = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");

    final List<RoomEvent> log = new ArrayList<>();
    RoomState state;

    static ContactCard card(Identity identity, String name) {
        return ContactCard.create(identity, name);
    }

    /** Signs the next event by {@code author} and applies it. */
    RoomEvent next(Identity author, RoomChange change) throws InvalidRoomEventException {
        RoomEvent event = RoomEvent.sign(author, ROOM, state.epoch() + 1, state.headHash(), log.size(), change);
        state = state.apply(event);
        log.add(event);
        return event;
    }

    RoomEvent unapplied(Identity author, RoomChange change) {
        return RoomEvent.sign(author, ROOM, state.epoch() + 1, state.headHash(), log.size(), change);
    }

    void create() throws InvalidRoomEventException {
        RoomEvent created = RoomEvent.sign(ALICE, ROOM, 0, null, 0,
                new RoomChange.Create("Climbing", card(ALICE, "Alice"), List.of(ADDRESS)));
        state = RoomState.create(created);
        log.add(created);
    }

    void withBobAndCarol() throws InvalidRoomEventException {
        create();
        next(ALICE, new RoomChange.Add(card(BOB, "Bob"), List.of()));
        next(ALICE, new RoomChange.Add(card(CAROL, "Carol"), List.of(ADDRESS)));
    }

    @Test
    void aLogOfEveryKindOfChangeReplaysFromItsBytesToTheSameState() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        next(BOB, new RoomChange.Rename("Climbing club"));
        next(ALICE, new RoomChange.Remove(CAROL.peerId()));
        next(BOB, new RoomChange.Leave());

        List<RoomEvent> decoded = new ArrayList<>();
        for (RoomEvent event : log) {
            decoded.add(RoomEvent.decode(event.encode()));
        }
        RoomState replayed = RoomState.replay(decoded);

        assertThat(replayed.name()).isEqualTo("Climbing club");
        assertThat(replayed.epoch()).isEqualTo(6);
        assertThat(replayed.headHash()).isEqualTo(state.headHash()).isEqualTo(log.getLast().hash());
        assertThat(replayed.members().keySet()).containsExactly(ALICE.peerId());
        assertThat(replayed.isAdmin(ALICE.peerId())).isTrue();
        RoomChange.Add carolAdded = (RoomChange.Add) decoded.get(2).change();
        assertThat(carolAdded.member().peerId()).isEqualTo(CAROL.peerId());
        assertThat(carolAdded.member().displayName()).isEqualTo("Carol");
        assertThat(carolAdded.addresses()).containsExactly(ADDRESS);
    }

    @Test
    void aMemberMayWriteUnderTheKeysOfTheEpochsSinceItJoined() throws Exception {
        withBobAndCarol();
        next(ALICE, new RoomChange.Remove(BOB.peerId()));
        next(ALICE, new RoomChange.Add(card(BOB, "Bob"), List.of()));

        assertThat(state.wasMemberAt(CAROL.peerId(), 2)).isTrue();
        assertThat(state.wasMemberAt(CAROL.peerId(), 1)).isFalse();
        assertThat(state.wasMemberAt(BOB.peerId(), 1)).as("before the break").isFalse();
        assertThat(state.wasMemberAt(BOB.peerId(), 4)).isTrue();
        assertThat(state.wasMemberAt(CAROL.peerId(), 5)).as("beyond the head").isFalse();
        assertThat(state.wasMemberAt(MALLORY.peerId(), 0)).isFalse();
    }

    @Test
    void onlyAdminsChangeTheRoomAndOnlyMembersLeave() throws Exception {
        withBobAndCarol();

        assertRefused(unapplied(BOB, new RoomChange.Add(card(MALLORY, "Mallory"), List.of())), "not an admin");
        assertRefused(unapplied(BOB, new RoomChange.Remove(CAROL.peerId())), "not an admin");
        assertRefused(unapplied(BOB, new RoomChange.Rename("Bob's")), "not an admin");
        assertRefused(unapplied(BOB, new RoomChange.Promote(BOB.peerId())), "not an admin");
        assertRefused(unapplied(MALLORY, new RoomChange.Leave()), "is not a member");
        assertRefused(unapplied(MALLORY, new RoomChange.Rename("Mallory's")), "is not a member");
        assertRefused(unapplied(ALICE, new RoomChange.Add(card(BOB, "Bob"), List.of())), "a member already");
        assertRefused(unapplied(ALICE, new RoomChange.Remove(MALLORY.peerId())), "who is not a member");
        assertRefused(unapplied(ALICE, new RoomChange.Remove(ALICE.peerId())), "does not remove itself");
        assertRefused(unapplied(ALICE, new RoomChange.Leave()), "last admin");
        assertRefused(unapplied(ALICE, new RoomChange.Rename(" padded ")), "room name");
        assertRefused(unapplied(ALICE, new RoomChange.Rename("")), "room name cannot be empty");
        assertRefused(unapplied(ALICE, new RoomChange.Create("Again", card(ALICE, "Alice"), List.of())),
                "exists already");
        next(ALICE, new RoomChange.Promote(BOB.peerId()));
        assertRefused(unapplied(ALICE, new RoomChange.Promote(BOB.peerId())), "an admin already");
        next(ALICE, new RoomChange.Leave());
        assertThat(state.admins()).containsExactly(BOB.peerId());
    }

    @Test
    void forksReplaysGapsAndOtherRoomsAreToldApart() throws Exception {
        withBobAndCarol();
        RoomEvent first = unapplied(ALICE, new RoomChange.Rename("One"));
        RoomEvent rival = unapplied(ALICE, new RoomChange.Rename("Two"));
        state = state.apply(first);

        assertRefused(rival, "replayed or forked");
        assertRefused(log.get(1), "replayed or forked");
        assertRefused(RoomEvent.sign(ALICE, ROOM, state.epoch() + 2, state.headHash(), 9, new RoomChange.Leave()),
                "missing");
        assertRefused(RoomEvent.sign(ALICE, ROOM, state.epoch() + 1, new byte[32], 9, new RoomChange.Leave()),
                "forks the log");
        assertRefused(RoomEvent.sign(ALICE, RoomId.random(), state.epoch() + 1, state.headHash(), 9,
                new RoomChange.Leave()), "another room");
    }

    @Test
    void aRoomHoldsAtMost256Members() throws Exception {
        create();
        for (int i = 1; i < RoomState.MAX_MEMBERS; i++) {
            next(ALICE, new RoomChange.Add(card(Identity.generate(), "Member " + i), List.of()));
        }
        assertThat(state.members()).hasSize(RoomState.MAX_MEMBERS);

        assertRefused(unapplied(ALICE, new RoomChange.Add(card(MALLORY, "Mallory"), List.of())), "at most 256");
    }

    @Test
    void theFirstEventMustCreateTheRoomAndBeSignedByItsCreator() throws Exception {
        RoomEvent byOther = RoomEvent.sign(MALLORY, ROOM, 0, null, 0,
                new RoomChange.Create("Mine", card(ALICE, "Alice"), List.of()));
        assertThatThrownBy(() -> RoomState.create(byOther)).isInstanceOf(InvalidRoomEventException.class)
                .hasMessageContaining("as creator but is signed by");
        create();
        RoomEvent leave = unapplied(ALICE, new RoomChange.Leave());
        assertThatThrownBy(() -> RoomState.create(leave)).hasMessageContaining("first event creates the room");
        assertThatThrownBy(() -> RoomState.replay(List.of())).hasMessageContaining("at least its creating event");
    }

    @Test
    void forgedAlteredAndMalformedBytesDoNotDecode() throws Exception {
        create();
        RoomEvent genuine = unapplied(ALICE, new RoomChange.Add(card(BOB, "Bob"), List.of()));
        RoomProtos.SignedRoomEvent signed = RoomProtos.SignedRoomEvent.parseFrom(genuine.encode());

        byte[] signedByMallory = signed.toBuilder().setSignature(ByteString.copyFrom(MALLORY.sign(
                ByteString.copyFromUtf8("parley/room-event/1\0").concat(signed.getEvent()).toByteArray())))
                .build().toByteArray();
        assertDecodeFails(signedByMallory, "not signed by its author " + ALICE.peerId());

        RoomProtos.RoomEvent altered = RoomProtos.RoomEvent.parseFrom(signed.getEvent()).toBuilder().setHlc(77).build();
        assertDecodeFails(signed.toBuilder().setEvent(altered.toByteString()).build().toByteArray(), "not signed");

        assertDecodeFails(new byte[RoomEvent.MAX_ENCODED_SIZE + 1], "exceeds the limit of 65536");
        assertDecodeFails(new byte[] {(byte) 0xff, 1, 2}, "does not parse");
        RoomProtos.RoomEvent noChange = RoomProtos.RoomEvent.parseFrom(signed.getEvent()).toBuilder().clearChange()
                .build();
        assertDecodeFails(signedBy(ALICE, noChange), "changes nothing");
        RoomProtos.RoomEvent badCard = RoomProtos.RoomEvent.parseFrom(signed.getEvent()).toBuilder()
                .setAdd(RoomProtos.Add.newBuilder().setCard(ByteString.copyFromUtf8("not a card"))).build();
        assertDecodeFails(signedBy(ALICE, badCard), "card that does not verify");
        RoomProtos.RoomEvent shortHash = RoomProtos.RoomEvent.parseFrom(signed.getEvent()).toBuilder()
                .setPrevHash(ByteString.copyFrom(new byte[5])).build();
        assertDecodeFails(signedBy(ALICE, shortHash), "32-byte hash, not 5 bytes");
        RoomProtos.Add.Builder tooMany = RoomProtos.Add.newBuilder().setCard(ByteString.copyFrom(card(BOB, "B").encode()));
        for (int i = 0; i <= RoomEvent.MAX_ADDRESSES; i++) {
            tooMany.addAddresses(ByteString.copyFrom(ADDRESS.bytes()));
        }
        RoomProtos.RoomEvent crowded = RoomProtos.RoomEvent.parseFrom(signed.getEvent()).toBuilder().setAdd(tooMany)
                .build();
        assertDecodeFails(signedBy(ALICE, crowded), "lists 9 addresses");
    }

    private static byte[] signedBy(Identity signer, RoomProtos.RoomEvent event) {
        return RoomProtos.SignedRoomEvent.newBuilder().setEvent(event.toByteString())
                .setSignature(ByteString.copyFrom(signer.sign(ByteString.copyFromUtf8("parley/room-event/1\0")
                        .concat(event.toByteString()).toByteArray()))).build().toByteArray();
    }

    private static void assertDecodeFails(byte[] encoded, String reason) {
        assertThatThrownBy(() -> RoomEvent.decode(encoded)).isInstanceOf(InvalidRoomEventException.class)
                .hasMessageContaining(reason);
    }

    private void assertRefused(RoomEvent event, String reason) {
        RoomState before = state;
        assertThatThrownBy(() -> before.apply(event)).isInstanceOf(InvalidRoomEventException.class)
                .hasMessageContaining(reason);
    }
}
