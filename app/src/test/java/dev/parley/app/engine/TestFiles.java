package dev.parley.app.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

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
}
