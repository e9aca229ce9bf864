package dev.parley.app.engine.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * A WebP file in memory, read by TwelveMonkeys' WebP decoder in place of the file. That decoder reads on past the end
 * of a stream that ends too early: its bit reader catches the EOFException of each refill and goes on with no bits,
 * and refills again for every pixel left, so a lossless WebP of 40 bytes declaring 4,000 × 3,000 pixels took four
 * minutes and 100 GB of allocations to decode. Here the file is followed by {@value #READ_AHEAD} zero bytes, which a
 * decoder may read ahead into at the end of a whole picture (without them, TwelveMonkeys fails on a WebP whose data
 * is shorter than the 8 bytes its first refill wants), and a read beyond them ends the decode with
 * {@link DataEndedException}, which makes the picture DAMAGED.
 */
final class WebPInput extends ImageInputStreamImpl {
    /** The bit reader reads a long (8 bytes) ahead; the rest is margin. */
    static final int READ_AHEAD = 64;

    private final byte[] bytes;

    private WebPInput(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The file's bytes; the caller has checked its size against {@link ImageLimits#maxFileBytes()}. */
    static WebPInput of(Path file) throws IOException {
        return new WebPInput(Files.readAllBytes(file));
    }

    /** A decoder read more than {@value #READ_AHEAD} bytes past the end of the file. */
    static final class DataEndedException extends RuntimeException {
        DataEndedException() {
            super("the picture's data ends before its pixels do");
        }
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (streamPos >= (long) bytes.length + READ_AHEAD) {
            throw new DataEndedException();
        }
        int value = streamPos < bytes.length ? bytes[(int) streamPos] & 0xFF : 0;
        streamPos++;
        return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        checkClosed();
        Objects.checkFromIndexSize(offset, length, buffer.length);
        bitOffset = 0;
        if (length == 0) {
            return 0;
        }
        long end = (long) bytes.length + READ_AHEAD;
        if (streamPos >= end) {
            throw new DataEndedException();
        }
        int count = (int) Math.min(length, end - streamPos);
        int fromFile = (int) Math.max(0, Math.min(count, bytes.length - streamPos));
        if (fromFile > 0) {
            System.arraycopy(bytes, (int) streamPos, buffer, offset, fromFile);
        }
        Arrays.fill(buffer, offset + fromFile, offset + count, (byte) 0);
        streamPos += count;
        return count;
    }

    @Override
    public long length() {
        return bytes.length;
    }
}
