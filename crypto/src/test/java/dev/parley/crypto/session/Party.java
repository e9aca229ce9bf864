package dev.parley.crypto.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * One side of a test session, holding its current state the way the engine will: it replaces the state with
 * {@code next} only when a seal or open succeeds, and passes every new state through {@code encode}/{@code decode}
 * as the store will, checking that the bytes come back the same. A failed open must leave the bytes as they were.
 */
final class Party {
    static final Instant START = Instant.parse("2026-12-07T00:00:00Z");

    final String name;
    SessionState state;
    Instant now = START;

    Party(String name, SessionState state) {
        this.name = name;
        this.state = state;
    }

    /** An initiator and a responder sharing fresh random secrets, as a handshake would leave them. */
    static Party[] newSession() {
        SecureRandom random = new SecureRandom();
        byte[][] keys = new byte[3][32];
        for (byte[] key : keys) {
            random.nextBytes(key);
        }
        SessionSecrets secrets = new SessionSecrets(keys[0], keys[1], keys[2]);
        RatchetKeyPair responderRatchet = RatchetKeyPair.generate();
        try {
            return new Party[] {new Party("initiator", SessionState.initiator(secrets, responderRatchet.publicKey())),
                new Party("responder", SessionState.responder(secrets, responderRatchet))};
        } catch (SessionException e) {
            throw new AssertionError("a fresh X25519 key is refused", e);
        }
    }

    byte[] seal(byte[] plaintext, byte[] associatedData) {
        Ratchet.Sealed sealed = Ratchet.seal(state, plaintext, associatedData, now);
        state = storedAndLoaded(sealed.next());
        return sealed.message();
    }

    byte[] open(byte[] message, byte[] associatedData) throws SessionException {
        byte[] before = state.encode();
        try {
            Ratchet.Opened opened = Ratchet.open(state, message, associatedData, now);
            state = storedAndLoaded(opened.next());
            return opened.plaintext();
        } catch (SessionException e) {
            assertThat(state.encode()).as("%s's state after a failed open (%s)", name, e.reason()).isEqualTo(before);
            throw e;
        }
    }

    /** A copy as a thief who read the profile's store would have it. */
    SessionState stolenCopy() {
        return storedAndLoaded(state);
    }

    static SessionState storedAndLoaded(SessionState state) {
        byte[] encoded = state.encode();
        try {
            SessionState loaded = SessionState.decode(encoded);
            assertThat(loaded.encode()).isEqualTo(encoded);
            return loaded;
        } catch (SessionException e) {
            throw new AssertionError("a state's own encoding does not decode", e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
