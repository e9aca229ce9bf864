package dev.parley.app.engine.room;

import dev.parley.app.engine.wire.SyncProtos.SyncFrame;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.memory.MemoryScope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * The frames of {@code /parley/sync/1.0.0} (sync.proto): each an unsigned-varint length and a {@code SyncFrame}
 * of at most {@link #MAX_FRAME_BYTES}. A frame over the limit, one that does not parse or one with no field set
 * is a {@link SyncProtocolException} naming the peer and the number; the caller resets that stream only.
 */
public final class SyncFrames {
    public static final String PROTOCOL_ID = "/parley/sync/1.0.0";
    /** An envelope's own limit (256 KiB) plus room for the frame around it. */
    public static final int MAX_FRAME_BYTES = 256 * 1024 + 64;

    private SyncFrames() {
    }

    /** Writes {@code frame} without flushing; one over {@link #MAX_FRAME_BYTES} is a protocol violation. */
    public static void write(SyncFrame frame, OutputStream out) throws IOException {
        LengthPrefixed.write(frame, MAX_FRAME_BYTES, out, "sync", SyncProtocolException::new);
    }

    /** The next frame from input no peer's stream carries (tests, fuzz targets); see below. */
    public static SyncFrame read(InputStream in, Object peer) throws IOException {
        return read(in, MemoryScope.uncounted(), peer);
    }

    /**
     * The next frame, read into a buffer reserved from {@code memory}, the stream's scope of the memory budget; null
     * at a clean end of the stream. A refused reservation is a protocol violation.
     */
    public static SyncFrame read(InputStream in, MemoryScope memory, Object peer) throws IOException {
        Optional<SyncFrame> read = LengthPrefixed.readOrEnd(in, memory, SyncFrame.parser(), MAX_FRAME_BYTES, "sync",
                problem -> new SyncProtocolException(problem + " (from " + peer + ")"));
        if (read.isEmpty()) {
            return null;
        }
        SyncFrame frame = read.get();
        if (frame.getFrameCase() == SyncFrame.FrameCase.FRAME_NOT_SET) {
            throw new SyncProtocolException("sync frame of " + frame.getSerializedSize() + " bytes from " + peer
                    + " is empty");
        }
        return frame;
    }
}
