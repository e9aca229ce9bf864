package dev.parley.app.engine.files;

import dev.parley.crypto.file.FileChunks;

/** Which of a file's chunks are held: one bit a chunk, bit {@code i % 8} of byte {@code i / 8}, as the store keeps it. */
final class ChunkBits {
    private ChunkBits() {
    }

    static byte[] none(long chunks) {
        return new byte[(int) ((chunks + 7) / 8)];
    }

    static byte[] all(long chunks) {
        byte[] bits = none(chunks);
        for (long index = 0; index < chunks; index++) {
            set(bits, index);
        }
        return bits;
    }

    static boolean has(byte[] bits, long index) {
        int at = (int) (index / 8);
        return at < bits.length && (bits[at] & (1 << (index % 8))) != 0;
    }

    static void set(byte[] bits, long index) {
        bits[(int) (index / 8)] |= (byte) (1 << (index % 8));
    }

    /** The bytes of a file of {@code size} in the chunks held. */
    static long heldBytes(byte[] bits, long size, int chunkSize) {
        long bytes = 0;
        long chunks = FileChunks.chunkCount(size, chunkSize);
        for (long index = 0; index < chunks; index++) {
            if (has(bits, index)) {
                bytes += FileChunks.plainLength(size, chunkSize, index);
            }
        }
        return bytes;
    }
}
