package dev.parley.app.engine.files;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import dev.parley.app.engine.files.wire.FileProtos.Chunk;
import dev.parley.app.engine.files.wire.FileProtos.FileRequest;
import dev.parley.app.engine.files.wire.FileProtos.FileResponse;
import dev.parley.crypto.file.FileChunks;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.Varint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/** The frames of {@code /parley/file/1.0.0} and their limits (file.proto). */
final class FileFrames {
    static final String PROTOCOL_ID = "/parley/file/1.0.0";
    static final int MAX_REQUEST_BYTES = 1024;
    /** A chunk of the largest size an offer may name, sealed, and room for the frame around it. */
    static final int MAX_RESPONSE_BYTES = FileChunks.MAX_CHUNK_SIZE + FileChunks.TAG_SIZE + 1024;
    static final int MAX_LEAVES_PER_PAGE = 8_192;
    static final int MAX_CHUNKS_PER_REQUEST = 64;
    /** What a chunk's frame holds besides the sealed chunk: the length prefix, two tags, two lengths, an index. */
    private static final int CHUNK_FRAME_HEADER_BYTES = 5 + 1 + 5 + 1 + 10 + 1 + 5;
    /** Responses up to this size are reserved as essential, as {@link LengthPrefixed} does; chunks as bulk. */
    private static final int ESSENTIAL_RESPONSE_BYTES = 4 * 1024;

    private FileFrames() {
    }

    static void write(FileRequest request, OutputStream out) throws IOException {
        LengthPrefixed.write(request, MAX_REQUEST_BYTES, out, "file request", FileProtocolException::new);
    }

    static void write(FileResponse response, OutputStream out) throws IOException {
        LengthPrefixed.write(response, MAX_RESPONSE_BYTES, out, "file response", FileProtocolException::new);
    }

    /** A buffer that holds the frame of any chunk of {@code chunkSize} bytes or less, for {@link #writeChunk}. */
    static byte[] chunkFrameBuffer(int chunkSize) {
        return new byte[CHUNK_FRAME_HEADER_BYTES + chunkSize + FileChunks.TAG_SIZE];
    }

    /**
     * Writes the response that carries chunk {@code index}, sealing its {@code length} bytes of plaintext straight
     * into {@code frame} (from {@link #chunkFrameBuffer}), which a stream reuses chunk after chunk: the same bytes as
     * {@link #write(FileResponse, OutputStream)} writes for that response, without building a message and copying
     * the chunk into it and then into a frame.
     * <pre>
     *   +---------+------+---------+------+--------+------+---------+--------------------+
     *   | length  | 0x12 | Chunk's | 0x08 | index  | 0x12 | sealed  | sealed chunk       |
     *   | varint  |      | length  | (index if not 0) | length  | length + 16 bytes  |
     *   +---------+------+---------+------+--------+------+---------+--------------------+
     *              FileResponse.chunk   Chunk.index       Chunk.sealed
     * </pre>
     */
    static void writeChunk(long index, byte[] key, byte[] plain, int length, byte[] frame, OutputStream out)
            throws IOException {
        int sealedLength = length + FileChunks.TAG_SIZE;
        int chunkLength = (index == 0 ? 0 : CodedOutputStream.computeUInt64Size(Chunk.INDEX_FIELD_NUMBER, index))
                + CodedOutputStream.computeTagSize(Chunk.SEALED_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(sealedLength) + sealedLength;
        int responseLength = CodedOutputStream.computeTagSize(FileResponse.CHUNK_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(chunkLength) + chunkLength;
        if (responseLength > MAX_RESPONSE_BYTES) {
            throw new FileProtocolException("file response message of " + responseLength
                    + " bytes exceeds the limit of " + MAX_RESPONSE_BYTES);
        }
        CodedOutputStream header = CodedOutputStream.newInstance(frame, 0, CHUNK_FRAME_HEADER_BYTES);
        header.writeUInt32NoTag(responseLength);
        header.writeTag(FileResponse.CHUNK_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        header.writeUInt32NoTag(chunkLength);
        if (index != 0) {
            header.writeUInt64(Chunk.INDEX_FIELD_NUMBER, index);
        }
        header.writeTag(Chunk.SEALED_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        header.writeUInt32NoTag(sealedLength);
        int headerLength = header.getTotalBytesWritten();
        FileChunks.seal(key, index, plain, 0, length, frame, headerLength);
        out.write(frame, 0, headerLength + sealedLength);
    }

    static Optional<FileRequest> readRequest(InputStream in, MemoryScope memory) throws IOException {
        return LengthPrefixed.readOrEnd(in, memory, FileRequest.parser(), MAX_REQUEST_BYTES, "file request",
                FileProtocolException::new);
    }

    /**
     * Reads a stream's responses into one buffer it keeps, as large as the largest response so far (a chunk): a
     * fetch takes thousands of chunks and allocates none of them. A response's bytes fields are views of that
     * buffer, valid until the next {@link #read}.
     */
    static final class ResponseReader {
        private final InputStream in;
        private final MemoryScope memory;
        private byte[] buffer = new byte[0];

        ResponseReader(InputStream in, MemoryScope memory) {
            this.in = in;
            this.memory = memory;
        }

        /** The next response; its bytes fields are overwritten by the read after it. */
        FileResponse read() throws IOException {
            long length = Varint.read(in);
            if (length < 0) {
                throw new EOFException("stream closed before a file response message");
            }
            if (length > MAX_RESPONSE_BYTES) {
                throw new FileProtocolException("file response message of " + length + " bytes exceeds the limit of "
                        + MAX_RESPONSE_BYTES);
            }
            int size = (int) length;
            MemoryScope.Priority priority = size <= ESSENTIAL_RESPONSE_BYTES
                    ? MemoryScope.Priority.ESSENTIAL : MemoryScope.Priority.BULK;
            if (!memory.reserve(size, priority)) {
                throw new FileProtocolException("file response message of " + size
                        + " bytes refused by the memory budget of " + memory);
            }
            try {
                if (buffer.length < size) {
                    buffer = new byte[size];
                }
                int read = in.readNBytes(buffer, 0, size);
                if (read < size) {
                    throw new EOFException("file response message cut off after " + read + " of " + size + " bytes");
                }
                // Wrapped so that the parser may alias it: a plain array is copied field by field.
                CodedInputStream coded = UnsafeByteOperations.unsafeWrap(buffer, 0, size).newCodedInput();
                coded.enableAliasing(true);
                return FileResponse.parseFrom(coded);
            } catch (InvalidProtocolBufferException e) {
                throw new FileProtocolException("malformed file response message of " + size + " bytes: "
                        + e.getMessage());
            } finally {
                memory.release(size);
            }
        }
    }
}
