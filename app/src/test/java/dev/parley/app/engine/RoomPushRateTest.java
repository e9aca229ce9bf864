package dev.parley.app.engine;

import static dev.parley.app.engine.RoomChatTest.awaitTexts;
import static dev.parley.app.engine.RoomChatTest.roomOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.SenderKeyRing;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a fellow room member can make us store: its room envelopes no faster than its room {@link InboundRate}
 * (app/README.md, "Requests and rates"; Promises: what a contact can cost us). Tried with Bob's own key from a node
 * that pushes whatever room envelopes it likes, against an engine whose room rate is small enough to pass at once.
 */
class RoomPushRateTest extends RoomEnginesTest {
    /** Alice's room rate here: 50 a second after 200 (the default lets 20,000 pass at once). */
    private static final InboundRate RATE = new InboundRate(50, 200, 256 * 1024, 8 * 1024 * 1024);

    /**
     * Bob pushes genuine room messages of his at once, 300 beyond the burst: at 50 a second those take 6 s to be
     * stored, while the push waits. Before the room rate they were all stored as fast as they came (2,000 in 2.8 s
     * under the 1:1 rate's numbers): a member filled the disk at line rate, with messages of 60,000 characters too.
     */
    @Test
    void aMemberFloodingARoomIsStoredNoFasterThanItsRoomRate() throws Exception {
        InboundRate rate = RATE;
        int count = (int) rate.messageBurst() + 300;
        TestEngine alice = start("Alice", config -> config.withRoomInboundRate(RATE));
        TestEngine bob = start("Bob");
        RoomId room = roomOf(alice, List.of(bob));
        bob.engine.rooms().say(room, "hello");
        awaitTexts(alice, room, 1);
        List<SenderKey> bobsKeys = new ArrayList<>();
        for (byte[] key : bob.engine.store().senderKeys().all()) {
            bobsKeys.add(SenderKey.decode(key));
        }
        SenderKey bobsKey = SenderKeyRing.of(bob.peerId(), bobsKeys).current(room).orElseThrow();
        long bobsLast = bob.engine.store().roomEnvelopes().highest(room.toString(), bob.peerId().toBase58());
        stop(bob);
        RecordingPeer hostileBob = recorder(bob.identity, alice);
        List<byte[]> flood = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            flood.add(RoomSecurityTest.post(bob.identity, bobsKey, bobsLast + i, "flood " + i));
        }

        long began = System.nanoTime();
        hostileBob.push(alice.peerId(), flood);
        double seconds = (System.nanoTime() - began) / 1e9;

        long stored = alice.engine.store().roomEnvelopes().highest(room.toString(), bob.peerId().toBase58())
                - bobsLast;
        assertThat(stored).as("stored at once, within the burst").isGreaterThanOrEqualTo((long) rate.messageBurst());
        assertThat(stored).as("of Bob's %d room messages pushed at once, those Alice stored in the %.1f s the push "
                        + "took; his rate is %.0f a second after %.0f", count, seconds, rate.messagesPerSecond(),
                        rate.messageBurst())
                .isLessThanOrEqualTo((long) (rate.messageBurst() + rate.messagesPerSecond() * (seconds + 1)));
    }
}
