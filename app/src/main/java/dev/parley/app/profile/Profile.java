package dev.parley.app.profile;

import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.IdentityBackup;
import dev.parley.crypto.IdentityFiles;
import dev.parley.crypto.KeyFileException;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.keys.InvalidKeyException;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A user's profile directory, readable by its owner only ({@link ProfileFiles}): the identity keysets (crypto's
 * {@link IdentityFiles}), the display name, and the addresses the node last listened on, which {@code parley id}
 * puts in the invite code. One process at a time writes it or goes online with it: see {@link #lock}.
 */
public final class Profile {
    /** Where profiles made before the Tink identity kept the libp2p key; read once, to keep the PeerId. */
    static final String LEGACY_KEY_FILE = "identity.key";
    static final String SETTINGS_FILE = "profile.properties";
    static final String ADDRESSES_FILE = "addresses";
    private static final String NAME_SETTING = "name";
    private static final String CARRY_SETTING = "carry.quota.bytes";
    private static final String AUTO_FETCH_SETTING = "files.autofetch.bytes";

    private final Path directory;

    public Profile(Path directory) {
        this.directory = directory;
    }

    /**
     * Where a user's profile lives unless {@code --profile} says otherwise: {@code $XDG_DATA_HOME/parley} when that
     * is set, else where each platform keeps applications' data: {@code ~/.local/share/parley} on Linux and other
     * Unixes, {@code %APPDATA%\Parley} on Windows, {@code ~/Library/Application Support/Parley} on macOS.
     */
    public static Path defaultDirectory() {
        return defaultDirectory(System.getProperty("os.name", ""), System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultDirectory(String osName, Map<String, String> environment, String home) {
        String xdg = environment.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "parley");
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = environment.get("APPDATA");
            return (appData != null && !appData.isBlank() ? Path.of(appData) : Path.of(home, "AppData", "Roaming"))
                    .resolve("Parley");
        }
        if (os.startsWith("mac")) {
            return Path.of(home, "Library", "Application Support", "Parley");
        }
        return Path.of(home, ".local", "share", "parley");
    }

    public Path directory() {
        return directory;
    }

    /**
     * Takes the profile for this process until the lock is closed or the process ends (README.md, "Install"),
     * creating its folder if needed, then makes whatever is in it its owner's only: a profile from an older
     * Parley, or one copied in, may have been readable by others.
     *
     * @throws ProfileInUseException when another process holds it; the profile is left as it was
     */
    public ProfileLock lock() throws IOException {
        ProfileLock lock = ProfileLock.acquire(directory);
        try {
            ProfileFiles.restrictToOwner(directory);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        return lock;
    }

    /** Whether loading the identity would write the profile: it has none, or only the key of an earlier version. */
    public boolean needsIdentity() {
        return !IdentityFiles.exists(directory);
    }

    /**
     * Loads the identity, asking {@code prompt} for the passphrase if the profile has one. On first use it creates
     * the profile and a new identity without a passphrase; a profile that still holds only the libp2p key of an
     * earlier version keeps that key, and so its PeerId.
     */
    public Identity loadOrCreateIdentity(PassphrasePrompt prompt) throws IOException {
        if (IdentityFiles.exists(directory)) {
            return loadIdentity(prompt);
        }
        createPrivateDirectory();
        Path legacy = directory.resolve(LEGACY_KEY_FILE);
        Identity identity = Files.exists(legacy) ? Identity.fromEd25519(readLegacyKey(legacy)) : Identity.generate();
        try {
            IdentityFiles.save(identity, directory, null);
        } catch (FileAlreadyExistsException e) {
            return loadIdentity(prompt);
        }
        Files.deleteIfExists(legacy);
        return identity;
    }

    private Identity loadIdentity(PassphrasePrompt prompt) throws IOException {
        char[] passphrase = null;
        try {
            passphrase = IdentityFiles.isPassphraseProtected(directory) ? prompt.passphraseFor(directory) : null;
            return IdentityFiles.load(directory, passphrase);
        } catch (KeyFileException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    /** Protects {@code identity}, this profile's, with {@code newPassphrase}, or removes the protection if null. */
    public void changePassphrase(Identity identity, char[] newPassphrase) throws IOException {
        IdentityFiles.replace(identity, directory, newPassphrase);
    }

    /** The PeerId of the identity this profile holds, read without its passphrase. */
    public Optional<PeerId> storedPeerId() throws IOException {
        if (IdentityFiles.exists(directory)) {
            try {
                return Optional.of(IdentityFiles.peerId(directory));
            } catch (KeyFileException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        Path legacy = directory.resolve(LEGACY_KEY_FILE);
        return Files.exists(legacy) ? Optional.of(PeerId.fromPublicKey(readLegacyKey(legacy).publicKey())) : Optional.empty();
    }

    /**
     * Writes {@code identity}, this profile's, to one backup file protected by {@code passphrase}, with the display
     * name the profile goes by, so that a restore brings both back.
     */
    public void backUp(Identity identity, Path file, char[] passphrase) throws IOException {
        Optional<String> name = Optional.of(displayName()).filter(n -> ContactCard.displayNameProblem(n).isEmpty());
        IdentityBackup.write(identity, name, file, passphrase);
    }

    /**
     * Makes a backup's identity this profile's ({@link #replaceIdentity}), and its display name, when it holds one
     * (a backup written before backups kept the name holds none, and the profile's name stays as it was).
     *
     * @return where the previous identity went, if there was one
     */
    public Optional<Path> restore(IdentityBackup.Contents backup) throws IOException {
        Optional<Path> previous = replaceIdentity(backup.identity());
        if (backup.displayName().isPresent()) {
            setDisplayName(backup.displayName().get());
        }
        return previous;
    }

    /**
     * Makes {@code identity} this profile's, as restoring a backup does. An identity the profile already holds is
     * kept, moved into a {@code replaced-*} directory beside the new one with the settings (its display name), so a
     * mistaken restore loses nothing.
     *
     * @return where the previous identity went, if there was one
     */
    public Optional<Path> replaceIdentity(Identity identity) throws IOException {
        createPrivateDirectory();
        Optional<Path> previous = Optional.empty();
        if (storedPeerId().isPresent()) {
            Path aside = Files.createDirectory(directory.resolve("replaced-" + System.currentTimeMillis()),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            for (String name : List.of(IdentityFiles.SIGNING_KEYSET, IdentityFiles.HPKE_KEYSET, LEGACY_KEY_FILE,
                    SETTINGS_FILE)) {
                if (Files.exists(directory.resolve(name))) {
                    Files.copy(directory.resolve(name), aside.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            Files.deleteIfExists(directory.resolve(LEGACY_KEY_FILE));
            previous = Optional.of(aside);
        }
        IdentityFiles.replace(identity, directory, null);
        return previous;
    }

    /** The display name others see: the one set last, or the system user name until one is set. */
    public String displayName() throws IOException {
        String saved = settings().getProperty(NAME_SETTING);
        return saved != null ? saved : System.getProperty("user.name", "Parley user");
    }

    public void setDisplayName(String name) throws IOException {
        Properties settings = settings();
        settings.setProperty(NAME_SETTING, name);
        createPrivateDirectory();
        writeAtomically(SETTINGS_FILE, out -> settings.store(out, "Parley profile settings"));
    }

    /**
     * How many bytes of letters this profile keeps for contacts (app/README.md, "Contacts who carry"): {@code
     * fallback} until set, 0 when the user turned carrying off.
     */
    public long carryQuotaBytes(long fallback) throws IOException {
        return bytesSetting(CARRY_SETTING, fallback);
    }

    public void setCarryQuotaBytes(long bytes) throws IOException {
        setBytesSetting(CARRY_SETTING, bytes);
    }

    /**
     * Pictures up to this many bytes are fetched as they arrive (app/README.md, "Desktop app"): {@code fallback} until
     * set, 0 when the user fetches every file by hand.
     */
    public long autoFetchBytes(long fallback) throws IOException {
        return bytesSetting(AUTO_FETCH_SETTING, fallback);
    }

    public void setAutoFetchBytes(long bytes) throws IOException {
        setBytesSetting(AUTO_FETCH_SETTING, bytes);
    }

    private long bytesSetting(String setting, long fallback) throws IOException {
        String saved = settings().getProperty(setting);
        if (saved == null) {
            return fallback;
        }
        try {
            return Math.max(0, Long.parseLong(saved.strip()));
        } catch (NumberFormatException e) {
            throw new IOException("the setting " + setting + " in " + directory.resolve(SETTINGS_FILE)
                    + " is not a number of bytes: '" + saved + "'", e);
        }
    }

    private void setBytesSetting(String setting, long bytes) throws IOException {
        Properties settings = settings();
        settings.setProperty(setting, Long.toString(Math.max(0, bytes)));
        createPrivateDirectory();
        writeAtomically(SETTINGS_FILE, out -> settings.store(out, "Parley profile settings"));
    }

    /** The addresses a node of this profile listened on when it last started, each ending in its PeerId. */
    public List<Multiaddr> lastAddresses() throws IOException {
        Path file = directory.resolve(ADDRESSES_FILE);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Multiaddr> addresses = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                try {
                    addresses.add(Multiaddr.parse(line.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IOException("the address list " + file + " has a line that is not a multiaddr: '"
                            + line + "'; delete the file, the node writes it anew when it starts", e);
                }
            }
        }
        return addresses;
    }

    public void setLastAddresses(List<Multiaddr> addresses) throws IOException {
        StringBuilder text = new StringBuilder();
        addresses.forEach(address -> text.append(address).append('\n'));
        createPrivateDirectory();
        writeAtomically(ADDRESSES_FILE, out -> out.write(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private Properties settings() throws IOException {
        Properties settings = new Properties();
        Path file = directory.resolve(SETTINGS_FILE);
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                settings.load(in);
            }
        }
        return settings;
    }

    private interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes a whole file or nothing: a crash mid-write must not leave a truncated setting behind. */
    private void writeAtomically(String name, Writer writer) throws IOException {
        Path temporary = Files.createTempFile(directory, name, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                writer.writeTo(out);
            }
            try {
                Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void createPrivateDirectory() throws IOException {
        ProfileFiles.createPrivateDirectory(directory);
    }

    private static Ed25519PrivateKey readLegacyKey(Path keyFile) throws IOException {
        try {
            return Ed25519PrivateKey.unmarshal(Files.readAllBytes(keyFile));
        } catch (InvalidKeyException e) {
            throw new IOException("the identity key " + keyFile + " is damaged (" + e.getMessage()
                    + "); restore it from a backup, or move it away to start with a new identity", e);
        }
    }
}
