package dev.parley.app.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32;

/** Files for the file transfer tests: random bytes of any size, written fast, and their SHA-256. */
public final class TestFiles {
    private TestFiles() {
    }

    /**
     * Writes {@code size} random-looking bytes to {@code file}: a random block of 64 KiB from {@code seed}, with a
     * counter in each copy so that no chunk of a file repeats another.
     */
    public static Path random(Path file, long size, long seed) throws IOException {
        byte[] block = new byte[64 * 1024];
        new Random(seed).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0, counter = 0; written < size; written += block.length, counter++) {
                ByteBuffer.wrap(block).putLong(counter);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
        return file;
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Appends a PNG chunk ({@code type}, {@code data}, its CRC) to {@code png}: hand-made pictures, hostile too. */
    public static void pngChunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(typeBytes);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
