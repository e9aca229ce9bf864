package dev.parley.app.engine;

import dev.parley.app.engine.Inbox.Accepted;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.threads.Tasks;
import dev.parley.app.engine.wire.ChatProtos.ChatFrame;
import dev.parley.crypto.MessageId;
import dev.parley.transport.memory.MemoryScope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one chat stream until it ends. Envelopes are checked as they are read, and the signed ones verified and
 * opened on the crypto pool, several at once; the committer hands them to the {@link Inbox} one at a time in the order
 * they arrived (which opens those sealed under a session, in that order), so a peer's messages are committed in its
 * order; the releaser waits for each commit in that same order, reports the event and acknowledges on this stream, as
 * many ids to an ack frame as are durable by then. The store completes commits on threads of its own, in any order,
 * so the order is kept here. Acks the peer sends go to {@link AckHandler}.
 *
 * <p>Three threads per stream that carries envelopes: the reader (the caller of {@link #run}), the committer and
 * the releaser; the last two start with the first envelope. A frame or envelope that breaks the protocol resets
 * this stream only.
 */
final class ChatReader {
    /** Envelopes being opened ahead of the committer; a full queue stops reading, and the peer's window fills. */
    static final int OPENING_AHEAD = 256;
    /**
     * Bytes of envelopes read ahead of the committer, counted twice (the envelope and what it opens to) and reserved
     * from the stream's memory budget: beyond either, reading stops until the committer catches up, and the peer's
     * window fills. 256 envelopes of the largest size were 120 MiB a stream, held in no budget.
     */
    static final long OPENING_AHEAD_BYTES = 4 * 1024 * 1024;
    /** Commits under way ahead of the releaser; a full queue holds the committer back. */
    static final int COMMITTING_AHEAD = 4_096;
    private static final Logger log = LoggerFactory.getLogger(ChatReader.class);
    private static final Opening END_OF_ENVELOPES = new Opening(new CompletableFuture<>(), 0);
    private static final CompletableFuture<Accepted> END_OF_COMMITS = new CompletableFuture<>();

    /** An envelope being opened, and the bytes of the memory budget it holds until it is committed. */
    private record Opening(CompletableFuture<Inbox.Checked> checked, long heldBytes) {
    }

    /** Receives the ids a peer acknowledged. */
    @FunctionalInterface
    interface AckHandler {
        void acked(ChatStream stream, List<MessageId> ids);
    }

    private final ChatStream stream;
    private final Inbox inbox;
    private final Executor crypto;
    private final Tasks tasks;
    private final AckHandler ackHandler;
    private final BlockingQueue<Opening> opening = new ArrayBlockingQueue<>(OPENING_AHEAD);
    private final BlockingQueue<CompletableFuture<Accepted>> committing = new ArrayBlockingQueue<>(COMMITTING_AHEAD);
    private final ReentrantLock aheadLock = new ReentrantLock();
    private final Condition committed = aheadLock.newCondition();
    // Locking: aheadLock
    private long aheadBytes;
    private volatile boolean refused;
    private Thread committer;
    private Thread releaser;

    ChatReader(ChatStream stream, Inbox inbox, Executor crypto, Tasks tasks, AckHandler ackHandler) {
        this.stream = stream;
        this.inbox = inbox;
        this.crypto = crypto;
        this.tasks = tasks;
        this.ackHandler = ackHandler;
    }

    /** Reads until the peer closes; a protocol error resets the stream and is thrown. */
    void run() throws IOException {
        try {
            for (ChatFrame frame = stream.read(); frame != null; frame = stream.read()) {
                switch (frame.getFrameCase()) {
                    case ENVELOPE -> open(frame.getEnvelope().toByteArray());
                    case ACK -> ackHandler.acked(stream, ChatFrames.ackedIds(frame, stream.peer()));
                    case FRAME_NOT_SET -> throw new IllegalStateException("ChatFrames.read returns no empty frame");
                }
            }
        } catch (ChatProtocolException e) {
            stream.reset();
            inbox.rejected(stream.peer(), e);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted reading " + stream, e);
        } finally {
            finish();
        }
    }

    private void open(byte[] envelope) throws InterruptedException, IOException {
        if (committer == null) {
            committer = tasks.start("chat-commit " + stream.peer(), this::commitInOrder);
            releaser = tasks.start("chat-release " + stream.peer(), this::releaseInOrder);
        }
        if (committer.getState() == Thread.State.NEW || releaser.getState() == Thread.State.NEW) {
            // The engine is closing: nothing would take what is read. The peer keeps it and sends it again.
            throw new IOException("the engine is closing");
        }
        long held = 2L * envelope.length;
        holdAhead(held);
        opening.put(new Opening(inbox.check(envelope, stream.peer(), crypto), held));
    }

    /**
     * Reserves {@code bytes} for an envelope read ahead, waiting while the committer has enough in hand; a stream
     * with nothing ahead whose peer's budget is full anyway is refused (its sender keeps what is not acked).
     */
    private void holdAhead(long bytes) throws InterruptedException, ChatProtocolException {
        aheadLock.lock();
        try {
            while (true) {
                if (aheadBytes == 0 || aheadBytes + bytes <= OPENING_AHEAD_BYTES) {
                    if (stream.memory().reserve(bytes, MemoryScope.Priority.BULK)) {
                        aheadBytes += bytes;
                        return;
                    }
                    if (aheadBytes == 0) {
                        throw new ChatProtocolException(stream.peer() + " sends more than its memory budget holds");
                    }
                }
                committed.await();
            }
        } finally {
            aheadLock.unlock();
        }
    }

    private void release(Opening committedOne) {
        aheadLock.lock();
        try {
            aheadBytes -= committedOne.heldBytes();
            stream.memory().release(committedOne.heldBytes());
            committed.signalAll();
        } finally {
            aheadLock.unlock();
        }
    }

    private void commitInOrder() {
        try {
            for (Opening next = opening.take(); next != END_OF_ENVELOPES; next = opening.take()) {
                try {
                    if (!refused) {
                        committing.put(inbox.accept(next.checked().join(), stream.connection()));
                    }
                } catch (CompletionException e) {
                    refuse(e.getCause());
                } catch (IOException e) {
                    refuse(e);
                } finally {
                    release(next);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            committing.add(END_OF_COMMITS);
        }
    }

    /**
     * Reports and acknowledges each envelope once durable, in arrival order; acks of a burst share a frame, and so
     * do the counts of a request's dropped messages: only the last of a burst is reported, before its acks.
     */
    private void releaseInOrder() {
        List<MessageId> acks = new ArrayList<>();
        Accepted drops = null;
        try {
            CompletableFuture<Accepted> next;
            while ((next = committing.take()) != END_OF_COMMITS) {
                try {
                    Accepted accepted = next.join();
                    if (accepted.event().filter(EngineEvent.RequestMessagesDropped.class::isInstance).isPresent()) {
                        drops = accepted;
                    } else {
                        drops = report(drops);
                        inbox.report(accepted);
                    }
                    accepted.ack().ifPresent(acks::add);
                } catch (CompletionException e) {
                    refuse(e.getCause());
                }
                CompletableFuture<Accepted> following = committing.peek();
                boolean nothingDurableFollows = following == null || !following.isDone();
                if (!acks.isEmpty() && (nothingDurableFollows || acks.size() == ChatFrames.MAX_ACK_IDS)) {
                    drops = report(drops);
                    writeAcks(acks);
                }
            }
            report(drops);
            if (!acks.isEmpty()) {
                writeAcks(acks);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reports a count of dropped messages held back, if any; returns null, for the caller to hold none. */
    private Accepted report(Accepted heldBack) {
        if (heldBack != null) {
            inbox.report(heldBack);
        }
        return null;
    }

    private void writeAcks(List<MessageId> acks) {
        if (!refused) {
            try {
                stream.write(List.of(ChatFrames.ack(acks)));
            } catch (IOException e) {
                log.debug("acks to {} not sent: {}", stream.peer(), e.getMessage());
            }
        }
        acks.clear();
    }

    /** Resets the stream: the sender keeps what is not acked and sends it again on another. */
    private void refuse(Throwable cause) {
        refused = true;
        Throwable reason = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        log.info("refusing chat stream from {}: {}", stream.peer(), reason.getMessage());
        stream.reset();
        inbox.rejected(stream.peer(), reason);
    }

    /** Lets what was read be committed, reported and acknowledged before the stream closes. */
    private void finish() {
        if (committer == null) {
            return;
        }
        try {
            opening.put(END_OF_ENVELOPES);
            committer.join();
            releaser.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            committer.interrupt();
            releaser.interrupt();
        }
    }
}
