package dev.parley.app.engine;

import dev.parley.crypto.MessageId;
import dev.parley.store.KeptMessages;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.transport.multiformats.PeerId;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stranger may cost us before the user accepts it: a request keeps at most {@link #MAX_MESSAGES} messages and
 * {@link #MAX_BODY_BYTES} of text, its edits' text included; beyond that its messages are acknowledged (so its outbox does not send them
 * forever) and dropped, and counted, so that the user sees that more were sent. The quota is per PeerId and lives
 * in the store — the messages kept are counted there, the dropped ones in the contact's row — so neither
 * reconnecting nor a restart of ours gives a stranger a new one. PeerIds cost nothing to make, so at most
 * {@link #MAX_PENDING_REQUESTS} requests wait at once (see {@link RequestsFullException}): all the strangers together
 * keep at most {@code MAX_PENDING_REQUESTS × MAX_BODY_BYTES} (8 MiB) of text. See app/README.md, "Requests and rates".
 */
final class RequestQuota {
    /** Messages a request keeps until the user accepts it. */
    static final int MAX_MESSAGES = 20;
    /** Text a request keeps until the user accepts it, in UTF-8 bytes: four of the longest messages. */
    static final long MAX_BODY_BYTES = 256 * 1024;
    /**
     * Requests that may wait for the user at once. Those that wait stay (nothing kept is dropped); a stranger's first
     * message beyond them is left with its sender, which sends it again later, so a real person who writes during a
     * flood of made-up strangers gets through once the user blocks them.
     */
    static final int MAX_PENDING_REQUESTS = 32;
    private static final Logger log = LoggerFactory.getLogger(RequestQuota.class);

    /** What one request holds, as far as this run has seen: loaded from the store on its first message. */
    private static final class Held {
        long messages;
        long bodyBytes;
        long dropped;
        /**
         * The ids of the messages dropped last, so that one sent again (its acknowledgement lost with a connection,
         * or slower than the sender waited) is not counted twice. Oldest first; at most {@link #REMEMBERED_DROPS}.
         */
        final LinkedHashSet<MessageId> recentDrops = new LinkedHashSet<>();
    }

    /**
     * Dropped ids remembered per request: a resend comes within seconds of its first copy, long before this many
     * more messages are dropped, and 32 waiting requests hold at most 32 × 1,024 ids.
     */
    static final int REMEMBERED_DROPS = 1_024;

    private final SqliteStore store;
    private final ReentrantLock lock = new ReentrantLock();
    // Locking: lock
    private final Map<PeerId, Held> held = new HashMap<>();

    RequestQuota(SqliteStore store) {
        this.store = store;
    }

    /**
     * Makes room for a message of {@code bodyBytes} from the request {@code peer} (conversation {@code conversation});
     * false when it does not fit, and nothing changes then. Counted at once, before the message is durable, since a
     * burst's messages are committed together.
     */
    boolean reserve(PeerId peer, String conversation, long bodyBytes) {
        lock.lock();
        try {
            Held request = held(peer, conversation);
            if (request.messages + 1 > MAX_MESSAGES || request.bodyBytes + bodyBytes > MAX_BODY_BYTES) {
                return false;
            }
            request.messages++;
            request.bodyBytes += bodyBytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes room for a request's edit of {@code bytes}, whose text we keep (as a version of its message, or waiting
     * for its message) and, while it is the newest, a second time as the message's text: room for twice its bytes,
     * so that what the store keeps ({@code Messages.kept}) stays within the quota. False when it does not fit.
     */
    boolean reserveEdit(PeerId peer, String conversation, long bytes) {
        long kept = 2 * bytes;
        lock.lock();
        try {
            Held request = held(peer, conversation);
            if (request.bodyBytes + kept > MAX_BODY_BYTES) {
                return false;
            }
            request.bodyBytes += kept;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A message {@link #reserve} made room for was already stored: it takes no room twice. */
    void release(PeerId peer, long bodyBytes) {
        lock.lock();
        try {
            Held request = held.get(peer);
            if (request != null) {
                request.messages--;
                request.bodyBytes -= bodyBytes;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counts the request's message {@code id} dropped, unless it was already (sent again); returns how many are, all
     * told, or empty for a message counted before. Written by {@link #record}.
     */
    OptionalLong drop(PeerId peer, String conversation, MessageId id) {
        lock.lock();
        try {
            Held request = held(peer, conversation);
            if (!request.recentDrops.add(id)) {
                return OptionalLong.empty();
            }
            if (request.recentDrops.size() > REMEMBERED_DROPS) {
                request.recentDrops.removeFirst();
            }
            return OptionalLong.of(++request.dropped);
        } finally {
            lock.unlock();
        }
    }

    /** Writes the count of dropped messages {@link #drop} returned; before the drops are acknowledged. */
    void record(PeerId peer, long dropped) {
        try {
            store.contacts().setDroppedMessages(peer.toBase58(), dropped);
        } catch (StoreException e) {
            // The count is for the user to see; the drops are acknowledged all the same, or the sender resends forever.
            log.warn("the count of {}'s dropped messages ({}) could not be written", peer, dropped, e);
        }
    }

    /** How many of the request's messages were dropped. */
    long dropped(PeerId peer) {
        lock.lock();
        try {
            Held request = held.get(peer);
            return request != null ? request.dropped : store.contacts().droppedMessages(peer.toBase58());
        } finally {
            lock.unlock();
        }
    }

    /** The peer is a request no more (accepted or blocked): its messages are not counted any longer. */
    void forget(PeerId peer) {
        lock.lock();
        try {
            held.remove(peer);
        } finally {
            lock.unlock();
        }
    }

    private Held held(PeerId peer, String conversation) {
        assert lock.isHeldByCurrentThread();
        return held.computeIfAbsent(peer, p -> {
            KeptMessages kept = store.messages().kept(conversation, p.toBase58());
            Held request = new Held();
            request.messages = kept.count();
            request.bodyBytes = kept.bodyBytes();
            request.dropped = store.contacts().droppedMessages(p.toBase58());
            return request;
        });
    }
}
