package dev.parley.app.engine;

import dev.parley.app.engine.wire.ChatProtos.ChatFrame;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.Opened;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one chat stream until it ends. Envelopes are verified and opened on the crypto pool, several at once,
 * then handed to the {@link Inbox} one at a time in the order they arrived (so a peer's messages are committed
 * in its order), and acknowledged on this stream once durable, many ids to an ack frame. Acks the peer sends
 * go to {@link AckHandler}.
 *
 * <p>Three threads per stream that carries envelopes: the reader (the caller of {@link #run}), the committer and
 * the ack writer; the last two start with the first envelope. A frame or envelope that breaks the protocol
 * resets this stream only.
 */
final class ChatReader {
    /** Envelopes being opened ahead of the committer; a full queue stops reading, and the peer's window fills. */
    static final int OPENING_AHEAD = 256;
    private static final Logger log = LoggerFactory.getLogger(ChatReader.class);
    private static final CompletableFuture<Opened> END_OF_ENVELOPES = new CompletableFuture<>();
    /** Compared by identity: marks the end of the ack queue. */
    private static final MessageId END_OF_ACKS = new MessageId(0, 0);

    /** Receives the ids a peer acknowledged. */
    @FunctionalInterface
    interface AckHandler {
        void acked(ChatStream stream, List<MessageId> ids);
    }

    private final ChatStream stream;
    private final Inbox inbox;
    private final Executor crypto;
    private final AckHandler ackHandler;
    private final BlockingQueue<CompletableFuture<Opened>> opening = new ArrayBlockingQueue<>(OPENING_AHEAD);
    private final LinkedBlockingQueue<MessageId> toAck = new LinkedBlockingQueue<>();
    private Thread committer;
    private Thread ackWriter;

    ChatReader(ChatStream stream, Inbox inbox, Executor crypto, AckHandler ackHandler) {
        this.stream = stream;
        this.inbox = inbox;
        this.crypto = crypto;
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

    private void open(byte[] envelope) throws InterruptedException {
        if (committer == null) {
            committer = Thread.ofVirtual().name("chat-commit " + stream.peer()).start(this::commitInOrder);
            ackWriter = Thread.ofVirtual().name("chat-ack " + stream.peer()).start(this::writeAcks);
        }
        opening.put(CompletableFuture.supplyAsync(() -> inbox.open(envelope, stream.peer()), crypto));
    }

    private void commitInOrder() {
        ArrayDeque<CompletableFuture<?>> committing = new ArrayDeque<>();
        boolean refused = false;
        try {
            for (CompletableFuture<Opened> next = opening.take(); next != END_OF_ENVELOPES; next = opening.take()) {
                if (refused) {
                    continue;
                }
                try {
                    committing.add(inbox.accept(next.join(), stream.connection()).whenComplete((ack, failure) -> {
                        if (failure != null) {
                            refuse(failure);
                        } else {
                            ack.ifPresent(toAck::add);
                        }
                    }));
                    while (!committing.isEmpty() && committing.peek().isDone()) {
                        committing.remove();
                    }
                } catch (CompletionException e) {
                    refused = true;
                    refuse(e.getCause());
                } catch (IOException e) {
                    refused = true;
                    refuse(e);
                }
            }
            for (CompletableFuture<?> commit : committing) {
                commit.exceptionally(failure -> null).join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            toAck.add(END_OF_ACKS);
        }
    }

    private void refuse(Throwable cause) {
        Throwable reason = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        log.info("refusing chat stream from {}: {}", stream.peer(), reason.getMessage());
        stream.reset();
        inbox.rejected(stream.peer(), reason);
    }

    private void writeAcks() {
        try {
            boolean ended = false;
            while (!ended) {
                List<MessageId> batch = new ArrayList<>();
                batch.add(toAck.take());
                toAck.drainTo(batch, ChatFrames.MAX_ACK_IDS - 1);
                ended = batch.getLast() == END_OF_ACKS;
                if (ended) {
                    batch.removeLast();
                }
                if (!batch.isEmpty()) {
                    stream.write(List.of(ChatFrames.ack(batch)));
                }
            }
        } catch (IOException e) {
            log.debug("acks to {} not sent: {}", stream.peer(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets what was read be committed and acknowledged before the stream closes. */
    private void finish() {
        if (committer == null) {
            return;
        }
        try {
            opening.put(END_OF_ENVELOPES);
            committer.join();
            ackWriter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            committer.interrupt();
            ackWriter.interrupt();
        }
    }
}
