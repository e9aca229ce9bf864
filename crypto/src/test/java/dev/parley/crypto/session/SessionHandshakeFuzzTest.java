package dev.parley.crypto.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeHeader;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.Opened;
import dev.parley.crypto.Recipient;
import dev.parley.crypto.ReplayGuard;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.crypto.session.SessionHandshake.PendingStart;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.testing.FuzzSeeds;
import java.time.Instant;
import java.util.Optional;

/**
 * Fuzz targets for what the session start reads from a contact (the payload of a genuine signed INIT, ACCEPT or
 * RENEW, which a contact chooses freely) and from the profile (a stored pending start). Each is taken or refused with
 * a {@link SessionHandshakeException}; anything else fails the run (crypto/README.md, Fuzzing).
 */
class SessionHandshakeFuzzTest {
    private static final Identity ALICE = Identity.generate();
    private static final Identity BOB = Identity.generate();
    private static final ContactCard ALICE_CARD = ContactCard.create(ALICE, "Alice");
    private static final ContactCard BOB_CARD = ContactCard.create(BOB, "Bob");
    private static final PendingStart ALICES_START =
            SessionHandshake.start(ALICE, BOB_CARD, 1, Instant.EPOCH).pending();

    private static Opened signed(PeerId from, PeerId to, EnvelopeKind kind, byte[] body) {
        return new Opened(new EnvelopeHeader(Envelope.VERSION, MessageId.random(), ConversationId.direct(from, to),
                from, new Recipient.Peer(to), 0, 1, kind, 0, EnvelopeHeader.Sealing.SIGNED), body);
    }

    @FuzzTest
    void handshakeBodies(byte[] data) {
        Opened init = signed(ALICE.peerId(), BOB.peerId(), EnvelopeKind.SESSION_INIT, data);
        Opened accept = signed(BOB.peerId(), ALICE.peerId(), EnvelopeKind.SESSION_ACCEPT, data);
        Opened renew = signed(BOB.peerId(), ALICE.peerId(), EnvelopeKind.SESSION_RENEW, data);
        try {
            SessionHandshake.StartOffer offer = SessionHandshake.offer(init);
            assertThat(SessionHandshake.accept(BOB, ALICE_CARD, init, 2).sessionId()).isEqualTo(offer.sessionId());
        } catch (SessionHandshakeException refused) {
            // the documented refusal
        }
        try {
            SessionHandshake.complete(ALICES_START, accept, BOB_CARD);
        } catch (SessionHandshakeException refused) {
            // the documented refusal
        }
        try {
            SessionHandshake.openRenew(ALICE, BOB_CARD, renew);
        } catch (SessionHandshakeException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void pendingStart(byte[] data) {
        PendingStart pending;
        try {
            pending = PendingStart.decode(data);
        } catch (SessionHandshakeException refused) {
            return;
        }
        try {
            assertThat(PendingStart.decode(pending.encode()).sessionId()).isEqualTo(pending.sessionId());
        } catch (SessionHandshakeException e) {
            throw new AssertionError("a pending start that decoded does not decode again", e);
        }
    }

    /** Writes the seeds from the production encoders; run from crypto/ (README.md at the top, Fuzzing). */
    public static void main(String[] args) throws Exception {
        TinkEnvelopeSealer sealer = new TinkEnvelopeSealer();
        ReplayGuard acceptsAll = id -> true;
        SessionHandshake.Started started = SessionHandshake.start(ALICE, BOB_CARD, 1, Instant.EPOCH);
        Opened init = sealer.openDirect(BOB, started.init().encode(), acceptsAll);
        Opened accept = sealer.openDirect(ALICE,
                SessionHandshake.accept(BOB, ALICE_CARD, init, 2).accept().encode(), acceptsAll);
        Opened renew = sealer.openDirect(ALICE, SessionHandshake.renew(BOB, ALICE_CARD,
                Optional.of(started.pending().sessionId()), Optional.of(MessageId.random()), 3, Instant.EPOCH)
                .encode(), acceptsAll);
        FuzzSeeds.of(SessionHandshakeFuzzTest.class, "handshakeBodies")
                .add(init.plaintext()).add(accept.plaintext()).add(renew.plaintext());
        FuzzSeeds.of(SessionHandshakeFuzzTest.class, "pendingStart").add(started.pending().encode());
    }
}
