package dev.parley.transport.testing;

import dev.parley.transport.multiformats.Varint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Writes seed inputs for a {@code @FuzzTest} where Jazzer looks for them,
 * {@code src/test/resources/<package>/<FuzzTestClass>Inputs/<method>/}, each named {@code seed-} and the start
 * of its SHA-256 so that rerunning a generator rewrites the same files. Each fuzz test class's {@code main}
 * generates its seeds from the production encoders; run it from the module directory (README.md at the top,
 * Fuzzing). It sits in the peer module's test jar, the lowest one, so that the fuzz targets of peer, transport,
 * crypto and the app all use this one.
 */
public final class FuzzSeeds {
    private final Path directory;

    private FuzzSeeds(Path directory) {
        this.directory = directory;
    }

    /** The seeds of {@code fuzzTest}'s method {@code method}, under the current module's test resources. */
    public static FuzzSeeds of(Class<?> fuzzTest, String method) {
        Path directory = Path.of("src", "test", "resources")
                .resolve(fuzzTest.getPackageName().replace('.', '/'))
                .resolve(fuzzTest.getSimpleName() + "Inputs")
                .resolve(method);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the seed folder " + directory.toAbsolutePath(), e);
        }
        return new FuzzSeeds(directory);
    }

    public FuzzSeeds add(byte[] input) {
        try {
            String name = "seed-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input), 0, 8);
            Files.write(directory.resolve(name), input);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a seed into " + directory.toAbsolutePath(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        return this;
    }

    /** {@code message} preceded by its varint length, as {@code LengthPrefixed} and most libp2p protocols frame it. */
    public FuzzSeeds addLengthPrefixed(byte[] message) {
        byte[] prefix = Varint.encode(message.length);
        byte[] framed = Arrays.copyOf(prefix, prefix.length + message.length);
        System.arraycopy(message, 0, framed, prefix.length, message.length);
        return add(framed);
    }

    public FuzzSeeds add(String text) {
        return add(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
