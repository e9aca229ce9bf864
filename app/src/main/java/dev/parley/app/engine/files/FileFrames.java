package dev.parley.app.engine.files;

import dev.parley.app.engine.files.wire.FileProtos.FileRequest;
import dev.parley.app.engine.files.wire.FileProtos.FileResponse;
import dev.parley.crypto.file.FileChunks;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.memory.MemoryScope;
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

    private FileFrames() {
    }

    static void write(FileRequest request, OutputStream out) throws IOException {
        LengthPrefixed.write(request, MAX_REQUEST_BYTES, out, "file request", FileProtocolException::new);
    }

    static void write(FileResponse response, OutputStream out) throws IOException {
        LengthPrefixed.write(response, MAX_RESPONSE_BYTES, out, "file response", FileProtocolException::new);
    }

    static Optional<FileRequest> readRequest(InputStream in, MemoryScope memory) throws IOException {
        return LengthPrefixed.readOrEnd(in, memory, FileRequest.parser(), MAX_REQUEST_BYTES, "file request",
                FileProtocolException::new);
    }

    static FileResponse readResponse(InputStream in, MemoryScope memory) throws IOException {
        return LengthPrefixed.read(in, memory, FileResponse.parser(), MAX_RESPONSE_BYTES, "file response",
                FileProtocolException::new);
    }
}
