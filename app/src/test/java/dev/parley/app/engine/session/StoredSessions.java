package dev.parley.app.engine.session;

import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeHeader;
import dev.parley.crypto.Identity;
import dev.parley.crypto.Opened;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.crypto.session.Ratchet;
import dev.parley.crypto.session.SessionException;
import dev.parley.crypto.session.SessionState;
import dev.parley.store.SqliteStore;
import dev.parley.transport.multiformats.PeerId;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a stopped engine could open, for a test whose stand-in (a bare node under the same identity) records what peers
 * send it since: the sessions kept in the engine's store, loaded once, moving on as they open. With these the stand-in
 * reads everything the member itself could, signed envelopes and session ones alike — as strong an attacker as the
 * member's own keys make.
 */
public final class StoredSessions {
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();

    private final Identity me;
    private final Map<PeerId, List<SessionState>> states = new HashMap<>();

    private StoredSessions(Identity me) {
        this.me = me;
    }

    /** The sessions the store at {@code file} (closed) keeps, for {@code me}. */
    public static StoredSessions of(Identity me, Path file) {
        StoredSessions sessions = new StoredSessions(me);
        try (SqliteStore store = SqliteStore.open(file)) {
            for (String peer : store.sessions().peers()) {
                PeerSessions record = new PeerSessions(peer);
                record.decode(store.sessions().load(peer).orElseThrow());
                List<SessionState> held = new ArrayList<>();
                record.openers().forEach(live -> held.add(live.state()));
                sessions.states.put(PeerId.parse(peer), held);
            }
        } catch (PeerSessions.DamagedRecordException e) {
            throw new IllegalStateException("a session record in " + file + " does not decode", e);
        }
        return sessions;
    }

    /** Opens an envelope to {@code me}, signed or under a session held; empty if it opens under neither. */
    public Optional<Opened> open(byte[] envelope) throws EnvelopeException {
        EnvelopeHeader header = Envelope.decode(envelope).header();
        if (header.sealing() == EnvelopeHeader.Sealing.SIGNED) {
            return Optional.of(SEALER.openDirect(me, envelope, id -> true));
        }
        List<SessionState> held = states.getOrDefault(header.sender(), List.of());
        for (int i = 0; i < held.size(); i++) {
            SessionState state = held.get(i);
            Ratchet.Opened[] result = new Ratchet.Opened[1];
            try {
                Opened opened = SEALER.openSession(me, envelope, (ciphertext, headerBytes) -> {
                    try {
                        result[0] = Ratchet.open(state, ciphertext, headerBytes, Instant.now());
                        return result[0].plaintext();
                    } catch (SessionException e) {
                        throw new GeneralSecurityException(e);
                    }
                }, id -> true);
                held.set(i, result[0].next());
                return Optional.of(opened);
            } catch (EnvelopeException e) {
                if (e.reason() != EnvelopeException.Reason.DECRYPTION_FAILED) {
                    throw e;
                }
            }
        }
        return Optional.empty();
    }
}
