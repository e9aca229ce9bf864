package dev.parley.app.engine.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.transport.multiformats.PeerId;
import org.junit.jupiter.api.Test;

/** What a peer that sends keys for any epoch it likes can make us keep: little, and only for a while. */
class EarlyKeysTest {
    private final RoomId room = RoomId.random();
    private final PeerId member = Identity.generate().peerId();
    private final EarlyKeys early = new EarlyKeys();

    @Test
    void aKeyIsKeptUntilTheLogIsWithinOneEpochOfIt() {
        assertThat(early.keep(member, SenderKey.generate(room, member, 12), 10)).isTrue();

        assertThat(early.fitting(room, 10)).isEmpty();
        assertThat(early.fitting(room, 11)).extracting(key -> key.key().epoch()).containsExactly(12L);
        assertThat(early.waiting(room)).isZero();
    }

    @Test
    void keysTooFarAheadAreNotKept() {
        assertThat(early.keep(member, SenderKey.generate(room, member, 10 + EarlyKeys.MAX_EPOCHS_AHEAD + 1), 10))
                .isFalse();
        assertThat(early.waiting(room)).isZero();
    }

    @Test
    void oneKeyPerOwnerAndEpochTheLatest() {
        early.keep(member, SenderKey.generate(room, member, 12), 10);
        SenderKey latest = SenderKey.generate(room, member, 12);
        early.keep(member, latest, 10);

        assertThat(early.fitting(room, 12)).extracting(EarlyKeys.Early::key).containsExactly(latest);
    }

    @Test
    void aRoomKeepsAtMostItsBoundAndTheOldestGoFirst() {
        PeerId[] owners = new PeerId[EarlyKeys.MAX_PER_ROOM + 10];
        for (int i = 0; i < owners.length; i++) {
            owners[i] = Identity.generate().peerId();
            early.keep(owners[i], SenderKey.generate(room, owners[i], 12), 10);
        }

        assertThat(early.waiting(room)).isEqualTo(EarlyKeys.MAX_PER_ROOM);
        assertThat(early.fitting(room, 12)).extracting(key -> key.key().owner()).doesNotContain(owners[0])
                .contains(owners[owners.length - 1]);
    }

    @Test
    void aFloodFromAFewPeersEvictsItsOwnKeysNotAGenuineMembers() {
        PeerId genuine = Identity.generate().peerId();
        SenderKey genuineKey = SenderKey.generate(room, genuine, 12);
        early.keep(genuine, genuineKey, 10);
        for (int flooder = 0; flooder < 5; flooder++) {
            PeerId sender = Identity.generate().peerId();
            for (long epoch = 12; epoch < 10 + EarlyKeys.MAX_EPOCHS_AHEAD; epoch++) {
                early.keep(sender, SenderKey.generate(room, sender, epoch), 10);
            }
        }

        assertThat(early.waiting(room)).isEqualTo(EarlyKeys.MAX_PER_ROOM);
        assertThat(early.fitting(room, 11)).extracting(EarlyKeys.Early::key).contains(genuineKey);
    }

    @Test
    void aKeyBeforeItsRoomIsOfferedWhenTheRoomComesAndCountsFromThenAsAheadOfItsLog() {
        early.keepBeforeItsRoom(member, SenderKey.generate(room, member, 3));
        early.keepBeforeItsRoom(member, SenderKey.generate(room, member, 6));
        early.keepBeforeItsRoom(member, SenderKey.generate(RoomId.random(), member, 3));

        assertThat(early.fitting(room, 2)).extracting(key -> key.key().epoch()).containsExactly(3L);
        assertThat(early.waiting(room)).as("epoch 6, ahead of the log").isOne();
        assertThat(early.fitting(room, 5)).extracting(key -> key.key().epoch()).containsExactly(6L);
    }

    @Test
    void roomsNotHeldKeepAtMostTheirBoundTogetherAndAFloodEvictsItsOwn() {
        SenderKey genuineKey = SenderKey.generate(room, member, 4);
        early.keepBeforeItsRoom(member, genuineKey);
        PeerId flooder = Identity.generate().peerId();
        for (int i = 0; i < EarlyKeys.MAX_BEFORE_ROOMS * 4; i++) {
            RoomId madeUp = RoomId.random();
            early.keepBeforeItsRoom(flooder, SenderKey.generate(madeUp, flooder, 4));
        }

        assertThat(early.waitingBeforeRooms()).isEqualTo(EarlyKeys.MAX_BEFORE_ROOMS);
        assertThat(early.fitting(room, 3)).extracting(EarlyKeys.Early::key).containsExactly(genuineKey);
    }
}
