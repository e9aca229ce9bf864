package dev.parley.app.engine.room;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.wire.SyncProtos.SyncFrame;
import dev.parley.transport.LengthPrefixed;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.Varint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

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

    public static void write(SyncFrame frame, OutputStream out) throws IOException {
        frame.writeDelimitedTo(out);
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
        long length = Varint.read(in);
        if (length < 0) {
            return null;
        }
        if (length > MAX_FRAME_BYTES) {
            throw new SyncProtocolException("sync frame of " + length + " bytes from " + peer
                    + " exceeds the limit of " + MAX_FRAME_BYTES + " bytes");
        }
        SyncFrame frame = LengthPrefixed.readBody(in, (int) length, memory, "sync frame from " + peer,
                SyncProtocolException::new, bytes -> {
                    if (bytes.length < length) {
                        throw new EOFException("sync stream from " + peer + " ended " + bytes.length
                                + " bytes into a frame of " + length);
                    }
                    try {
                        return SyncFrame.parseFrom(bytes);
                    } catch (InvalidProtocolBufferException e) {
                        throw new SyncProtocolException("sync frame of " + length + " bytes from " + peer
                                + " does not parse: " + e.getMessage(), e);
                    }
                });
        if (frame.getFrameCase() == SyncFrame.FrameCase.FRAME_NOT_SET) {
            throw new SyncProtocolException("sync frame of " + length + " bytes from " + peer + " is empty");
        }
        return frame;
    }
}
