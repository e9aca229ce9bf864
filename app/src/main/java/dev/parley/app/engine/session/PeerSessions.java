package dev.parley.app.engine.session;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.wire.SessionProtos;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.session.SessionException;
import dev.parley.crypto.session.SessionHandshake.PendingStart;
import dev.parley.crypto.session.SessionHandshake.SessionId;
import dev.parley.crypto.session.SessionHandshakeException;
import dev.parley.crypto.session.SessionState;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything this side holds about its sessions with one peer, decoded: the session that seals and opens, our start in
 * flight, and what keeps an old INIT from being answered twice. Kept in memory (decoding a state costs an X25519
 * multiplication) and written to the store as one record ({@link #encode}) whenever it changes. Every field is read
 * and written under {@link #lock}.
 */
final class PeerSessions {
    /** INITs of the peer we answered that are remembered by id, newest kept. */
    static final int ACCEPTED_INITS_KEPT = 32;
    /** Ids of envelopes opened lately, kept in memory until the store's record of them is surely durable. */
    static final int RECENTLY_OPENED_KEPT = 8_192;
    private static final int VERSION = 1;

    /** A session with the peer. */
    record Live(SessionId id, SessionState state) {
        Live moved(SessionState next) {
            return new Live(id, next);
        }
    }

    final ReentrantLock lock = new ReentrantLock();
    /** The peer, as the store names it (its PeerId in base58, which costs a division per digit to spell). */
    final String peer;
    // Guarded by lock:
    boolean loaded;
    /** The session that seals, and opens first. */
    Live current;
    /**
     * A session the peer started while we held {@link #current}: it opens too, and replaces the current one once the
     * peer's first message under it opens (proof that the peer holds it).
     */
    Live candidate;
    PendingStart pending;
    final ArrayDeque<SessionId> acceptedInits = new ArrayDeque<>();
    /** When we last asked the peer for a new session; null if not since the last session began. */
    Instant renewRequestedAt;
    /** The session of ours everything was sealed again under once at the peer's request; not stored. */
    SessionId resealedOnRequest;
    /** Our requests for a new session since the last session began; not stored. */
    int requestsUnanswered;
    /** When we last answered the peer's request for a new session; not stored. */
    Instant renewAnsweredAt;
    /**
     * Our newest ACCEPT to the peer: withdrawn from the outbox when a newer one replaces it, and what a fresh request
     * of a peer restored since names (it took the ACCEPT for an answer to no start of its own), so stored.
     */
    MessageId answer;
    /** Our newest RENEW to the peer, while it may wait in the outbox; not stored. */
    MessageId request;
    /** Not stored: the store's session_opened table is, a moment later. */
    final Set<String> recentlyOpened = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENTLY_OPENED_KEPT;
        }
    });

    PeerSessions(String peer) {
        this.peer = peer;
    }

    /** The sessions an envelope may open under, the current one first. */
    List<Live> openers() {
        List<Live> sessions = new ArrayList<>(2);
        if (current != null) {
            sessions.add(current);
        }
        if (candidate != null) {
            sessions.add(candidate);
        }
        return sessions;
    }

    /** The held session of that id, or null. */
    Live opener(SessionId id) {
        if (current != null && current.id().equals(id)) {
            return current;
        }
        return candidate != null && candidate.id().equals(id) ? candidate : null;
    }

    boolean canSeal() {
        return current != null && current.state().canSeal();
    }

    void acceptedInit(SessionId id) {
        acceptedInits.addLast(id);
        while (acceptedInits.size() > ACCEPTED_INITS_KEPT) {
            acceptedInits.removeFirst();
        }
    }

    /**
     * What the stored record holds, as it is now: immutable (the states are), so it may be encoded later on another
     * thread, without the lock. Taking one costs a few references; encoding it costs the states' bytes.
     */
    Snapshot snapshot() {
        return new Snapshot(current, candidate, pending, List.copyOf(acceptedInits), renewRequestedAt, answer);
    }

    /** The stored part of a peer's sessions at one moment; see {@link #snapshot}. */
    record Snapshot(Live current, Live candidate, PendingStart pending, List<SessionId> acceptedInits,
                    Instant renewRequestedAt, MessageId answer) {
        byte[] encode() {
            SessionProtos.PeerSessions.Builder record = SessionProtos.PeerSessions.newBuilder().setVersion(VERSION);
            if (current != null) {
                record.setCurrent(PeerSessions.encode(current));
            }
            if (candidate != null) {
                record.setCandidate(PeerSessions.encode(candidate));
            }
            if (pending != null) {
                record.setPendingStart(ByteString.copyFrom(pending.encode()));
            }
            acceptedInits.forEach(id -> record.addAcceptedInitIds(ByteString.copyFrom(id.bytes())));
            if (renewRequestedAt != null) {
                record.setRenewRequestedMillis(renewRequestedAt.toEpochMilli());
            }
            if (answer != null) {
                record.setAnswerId(ByteString.copyFrom(answer.bytes()));
            }
            return record.build().toByteArray();
        }
    }

    private static SessionProtos.LiveSession encode(Live live) {
        return SessionProtos.LiveSession.newBuilder()
                .setSessionId(ByteString.copyFrom(live.id().bytes()))
                .setState(ByteString.copyFrom(live.state().encode()))
                .build();
    }

    private static Live decode(SessionProtos.LiveSession session) throws SessionException {
        return new Live(SessionId.fromBytes(session.getSessionId().toByteArray()),
                SessionState.decode(session.getState().toByteArray()));
    }

    /**
     * Takes a stored record in. A record that does not decode is damaged: this side then has no session with the peer,
     * and the next message either way starts or asks for a new one (the session heals).
     *
     * @throws DamagedRecordException naming what was wrong
     */
    void decode(byte[] encoded) throws DamagedRecordException {
        try {
            SessionProtos.PeerSessions record = SessionProtos.PeerSessions.parseFrom(encoded);
            if (record.getVersion() != VERSION) {
                throw new DamagedRecordException("session record version " + record.getVersion() + ", this code"
                        + " reads " + VERSION);
            }
            Live live = record.hasCurrent() ? decode(record.getCurrent()) : null;
            Live started = record.hasCandidate() ? decode(record.getCandidate()) : null;
            PendingStart start = record.getPendingStart().isEmpty() ? null
                    : PendingStart.decode(record.getPendingStart().toByteArray());
            ArrayDeque<SessionId> inits = new ArrayDeque<>();
            for (ByteString id : record.getAcceptedInitIdsList()) {
                inits.addLast(SessionId.fromBytes(id.toByteArray()));
            }
            MessageId answered = record.getAnswerId().isEmpty() ? null
                    : MessageId.fromBytes(record.getAnswerId().toByteArray());
            current = live;
            candidate = started;
            pending = start;
            acceptedInits.clear();
            acceptedInits.addAll(inits);
            renewRequestedAt = record.getRenewRequestedMillis() == 0 ? null
                    : Instant.ofEpochMilli(record.getRenewRequestedMillis());
            answer = answered;
        } catch (InvalidProtocolBufferException | SessionException | SessionHandshakeException
                 | IllegalArgumentException e) {
            throw new DamagedRecordException(e.getMessage(), e);
        }
    }

    Optional<SessionId> currentId() {
        return Optional.ofNullable(current).map(Live::id);
    }

    /** A stored record that cannot be read back. */
    static final class DamagedRecordException extends Exception {
        DamagedRecordException(String message) {
            super(message);
        }

        DamagedRecordException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
