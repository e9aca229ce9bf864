package dev.parley.app.engine;

import dev.parley.app.engine.wire.ChatProtos.ChatFrame;
import dev.parley.transport.Connection;
import dev.parley.transport.Stream;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.PeerId;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@code /parley/chat/1.0.0} stream, either side's: frames in, frames out. Envelopes and acks may be
 * written from different threads (the peer's link and the ack writer), so writes take a lock; each call
 * writes its frames and flushes once.
 */
final class ChatStream {
    /**
     * Gathers a write's frames into one flush. Reads need no buffer: each frame is read into one the stream's memory
     * budget counts, and a stranger's idle stream should hold nothing else.
     */
    private static final int WRITE_BUFFER_BYTES = 8 * 1024;

    private final Stream stream;
    private final InputStream in;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();

    ChatStream(Stream stream) {
        this.stream = stream;
        this.in = stream.in();
        this.out = new BufferedOutputStream(stream.out(), WRITE_BUFFER_BYTES);
    }

    PeerId peer() {
        return stream.remotePeer();
    }

    Connection connection() {
        return stream.connection();
    }

    /** The stream's scope of the memory budget. */
    MemoryScope memory() {
        return stream.memory();
    }

    /** The next frame; null once the peer closed its side. */
    ChatFrame read() throws IOException {
        return ChatFrames.read(in, stream.memory(), peer());
    }

    void write(List<ChatFrame> frames) throws IOException {
        writeLock.lock();
        try {
            for (ChatFrame frame : frames) {
                ChatFrames.write(frame, out);
            }
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    void reset() {
        stream.reset();
    }

    @Override
    public String toString() {
        return "ChatStream[" + stream + "]";
    }
}
