package dev.parley.app;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.keys.InvalidKeyException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A user's profile directory: for now it holds the node's identity key, so a node keeps its PeerId across
 * runs. The key file is the libp2p protobuf private key, readable by its owner only.
 */
public final class Profile {
    static final String KEY_FILE = "identity.key";

    private final Path directory;

    public Profile(Path directory) {
        this.directory = directory;
    }

    /** {@code $XDG_DATA_HOME/parley}, or {@code ~/.local/share/parley}. */
    public static Path defaultDirectory() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("parley");
    }

    public Path directory() {
        return directory;
    }

    /** Loads the identity key, creating the profile and a new key on first use. */
    public Ed25519PrivateKey loadOrCreateIdentity() throws IOException {
        Path keyFile = directory.resolve(KEY_FILE);
        if (Files.exists(keyFile)) {
            return readKey(keyFile);
        }
        createPrivateDirectory();
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        try {
            Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return readKey(keyFile);
        }
        Files.write(keyFile, key.marshal());
        return key;
    }

    private void createPrivateDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    private static Ed25519PrivateKey readKey(Path keyFile) throws IOException {
        try {
            return Ed25519PrivateKey.unmarshal(Files.readAllBytes(keyFile));
        } catch (InvalidKeyException e) {
            throw new IOException("the identity key " + keyFile + " is damaged (" + e.getMessage()
                    + "); restore it from a backup, or move it away to start with a new identity", e);
        }
    }
}
