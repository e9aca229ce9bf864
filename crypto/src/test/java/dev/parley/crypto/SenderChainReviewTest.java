package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A review of the chained room sender keys by attack: an owner that tries to make a member derive and keep too much.
 * (The review's other attack, a recorded sync answer that carried a key sealed to a member's long-term key, is the
 * app's to refuse: keys asked for in a sync now go 1:1 under the session, app's {@code RoomSyncCostTest}.)
 */
class SenderChainReviewTest {
    private static final Identity ALICE = Identity.generate();
    private static final Identity CAROL = Identity.generate();
    private static final ContactCard CAROL_CARD = ContactCard.create(CAROL, "Carol");
    private static final RoomId ROOM = RoomId.random();
    private static final long EPOCH = 3;

    private final TinkEnvelopeSealer sealer = new TinkEnvelopeSealer();
    private final InstantSource clock = InstantSource.fixed(Instant.parse("2026-12-07T00:00:00Z"));
    private final SenderKeyRing alicesRing = new SenderKeyRing(ALICE.peerId(), clock);
    private final SenderKeyRing carolsRing = new SenderKeyRing(CAROL.peerId(), clock);
    private long hlc = 1;

    private byte[] aliceSays(long sequence) throws EnvelopeException {
        SenderKey key = alicesRing.current(ROOM).orElseThrow();
        HeaderFields fields = HeaderFields.of(ConversationId.of(ROOM), hlc++, EnvelopeKind.TEXT);
        return sealer.sealRoom(ALICE, key, fields, sequence, text(sequence)).encode();
    }

    private static byte[] text(long sequence) {
        return ("message " + sequence).getBytes(StandardCharsets.UTF_8);
    }

    private Optional<byte[]> tryOpen(byte[] envelope, SenderKeyRing ring) {
        try {
            return Optional.of(sealer.openRoom(envelope, ring, id -> true).plaintext());
        } catch (EnvelopeException e) {
            return Optional.empty();
        }
    }

    /**
     * An owner jumps as far as a member derives at once, again and again, and hands an earlier state of the chain
     * late: whatever it does, a member keeps at most {@link SenderKey#MAX_SKIPPED_KEYS} message keys for its chain,
     * refuses a number further than {@link SenderKey#MAX_SKIP} ahead, and still reads what comes next.
     */
    @Test
    void anOwnerCannotMakeAMemberDeriveTooFarOrKeepTooManyKeys() throws Exception {
        SenderKey start = alicesRing.rotate(ROOM, EPOCH, 1);
        byte[] earlyHandOut = sealer.sealSenderKey(ALICE, CAROL_CARD, start, hlc++).encode();
        long sequence = 1;
        for (int jump = 0; jump < 5; jump++) {
            sequence += SenderKey.MAX_SKIP;
            aliceSays(sequence);
        }
        byte[] lateHandOut = sealer.sealSenderKey(ALICE, CAROL_CARD, alicesRing.current(ROOM).orElseThrow(), hlc++)
                .encode();
        carolsRing.add(sealer.openSenderKey(sealer.openDirect(CAROL, lateHandOut, id -> true)));
        for (int jump = 0; jump < 5; jump++) {
            sequence += SenderKey.MAX_SKIP + 1;
            assertThat(tryOpen(aliceSays(sequence), carolsRing)).as("a jump of MAX_SKIP at %d", sequence).isPresent();
        }
        carolsRing.add(sealer.openSenderKey(sealer.openDirect(CAROL, earlyHandOut, id -> true)));

        SenderKey held = carolsRing.find(ROOM, ALICE.peerId(), EPOCH).orElseThrow();
        assertThat(held.skippedKeys()).isLessThanOrEqualTo(SenderKey.MAX_SKIPPED_KEYS);
        assertThat(SenderKey.decode(held.encode()).skippedKeys()).isLessThanOrEqualTo(SenderKey.MAX_SKIPPED_KEYS);
        long next = sequence + 1;
        assertThat(tryOpen(aliceSays(next), carolsRing)).as("the next message").contains(text(next));
        byte[] tooFar = aliceSays(next + SenderKey.MAX_SKIP + 2);
        assertThat(tryOpen(tooFar, carolsRing)).as("more than MAX_SKIP ahead").isEmpty();
        assertThat(carolsRing.find(ROOM, ALICE.peerId(), EPOCH).orElseThrow().skippedKeys())
                .isLessThanOrEqualTo(SenderKey.MAX_SKIPPED_KEYS);
    }
}
