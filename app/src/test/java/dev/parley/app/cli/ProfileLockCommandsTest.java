package dev.parley.app.cli;

import static dev.parley.app.profile.ProfileAssertions.assertPrivate;
import static dev.parley.app.profile.ProfileAssertions.modes;
import static dev.parley.app.profile.ProfileAssertions.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.app.Main;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.EngineConfig;
import dev.parley.app.profile.ProfileLock;
import dev.parley.crypto.Identity;
import dev.parley.store.ContactState;
import dev.parley.store.SqliteStore;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.testing.ChildJvm;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One process per profile, and a profile nobody else on the machine reads, tried with real {@code parley} processes
 * (child JVMs on loopback) and commands run in this JVM beside them: a second Parley on a profile is refused with
 * the first one's PID and changes nothing; {@code export} reads the history while {@code parley chat} writes it; a
 * holder killed with SIGKILL leaves a lock the next process takes over; and every file a command makes is 0600 in a
 * 0700 folder.
 */
class ProfileLockCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final CommandRun inThisJvm = new CommandRun();
    private final StringWriter out = inThisJvm.out;
    private final StringWriter err = inThisJvm.err;

    /** Runs a command in this JVM: a process of its own as far as the profile lock is concerned. */
    private int run(String... args) {
        return inThisJvm.run(args);
    }

    private record Finished(int exitCode, String stdout, String stderr) {
    }

    /** Runs {@code parley ARGS} in a child JVM with no input, and without a display when {@code headless}. */
    private static Finished child(boolean headless, String... args) throws Exception {
        ProcessBuilder command = new ProcessBuilder(ChildJvm.command(Main.class, List.of(args)));
        if (headless) {
            command.environment().remove("DISPLAY");
            command.environment().remove("WAYLAND_DISPLAY");
        }
        Process process = command.start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        String stderr = readAll(process.getErrorStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("parley " + List.of(args) + " did not end within 60 s; stderr: " + stderr);
        }
        return new Finished(process.exitValue(), stdout.get(), stderr);
    }

    private static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "[cannot read: " + e + "]";
        }
    }

    private Engine engine(String directory, String name) throws Exception {
        return Engine.start(EngineConfig.of(temp.resolve(directory), Identity.generate(), name,
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))));
    }

    private static String invite(ChatProcess chat) {
        int before = chat.events("invite").size();
        chat.send("/invite");
        return chat.await("invite", node -> chat.events("invite").size() > before).path("code").asText();
    }

    /** Alice's chat and Bob's engine become each other's contacts. */
    private static PeerId befriend(ChatProcess alice, Engine bob) throws Exception {
        PeerId alicePeer = PeerId.parse(alice.await("ready").path("peerId").asText());
        bob.contacts().add(invite(alice));
        alice.send("/add " + bob.invite());
        alice.await("contact", node -> node.path("peerId").asText().equals(bob.peerId().toBase58()));
        return alicePeer;
    }

    private static String lockHolder(Path profile) throws IOException {
        return Files.readString(profile.resolve(ProfileLock.FILE), StandardCharsets.US_ASCII).strip();
    }

    private static String runningLine(long pid) {
        return "Parley is already running with this profile (PID " + pid + ")";
    }

    private static boolean contains(Path file, String text) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
    }

    private static int exportedMessages(Path export) throws IOException {
        JsonNode history = JSON.readTree(export.toFile());
        int messages = 0;
        for (JsonNode conversation : history.path("conversations")) {
            messages += conversation.path("messages").size();
        }
        return messages;
    }

    @Test
    void aSecondParleyOnTheSameProfileIsRefusedNamingThePidAndTheProfileStaysAsItWas() throws Exception {
        Path profile = temp.resolve("ada");
        try (Engine bob = engine("bob", "Bob"); ChatProcess first = new ChatProcess(profile, "Ada", "--json")) {
            befriend(first, bob);
            bob.chat().send(PeerId.parse(first.await("ready").path("peerId").asText()), "a message to keep");
            first.await("message");
            assertThat(first.endInput()).isZero();
        }
        Path backup = temp.resolve("ada.parley-backup");
        Path secret = Files.writeString(temp.resolve("secret"), "a backup passphrase\n");
        assertThat(run("backup", backup.toString(), "--profile", profile.toString(), "--backup-passphrase-file",
                secret.toString())).as(err.toString()).isZero();
        Path export = temp.resolve("ada.json");
        assertThat(run("export", "--profile", profile.toString(), "--format", "json", "--out", export.toString()))
                .as(err.toString()).isZero();

        try (NodeProcess holder = new NodeProcess(profile)) {
            long pid = holder.process().pid();
            assertThat(lockHolder(profile)).isEqualTo(String.valueOf(pid));
            Map<String, String> before = snapshot(profile);
            String where = profile.toString();

            // Real second processes: those that would go online.
            for (String command : List.of("chat", "node", "relay")) {
                Finished second = child(false, command, "--profile", where, "--listen", "/ip4/127.0.0.1/tcp/0",
                        "--bootstrap", "none", "--no-mdns");
                assertThat(second.exitCode()).as("parley %s: %s", command, second.stderr()).isOne();
                assertThat(second.stderr()).as("parley %s", command)
                        .startsWith("parley: " + runningLine(pid) + " in " + where).hasLineCount(1);
                assertThat(second.stdout()).as("parley %s", command).isEmpty();
            }
            Finished window = child(true, "--profile", where, "--listen", "/ip4/127.0.0.1/tcp/0", "--bootstrap",
                    "none", "--no-mdns");
            assertThat(window.exitCode()).as(window.stderr()).isOne();
            assertThat(window.stderr()).startsWith("parley: " + runningLine(pid)).hasLineCount(1);

            // In this JVM (another process than the holder too), what would write the profile.
            List<List<String>> refused = List.of(
                    List.of("import", export.toString()),
                    List.of("restore", backup.toString(), "--force", "--backup-passphrase-file", secret.toString()),
                    List.of("passphrase", "--new-passphrase-file", secret.toString()),
                    List.of("passphrase", "--remove"),
                    List.of("id", "--name", "Someone Else"),
                    List.of("backup", temp.resolve("renamed.backup").toString(), "--name", "Someone Else",
                            "--backup-passphrase-file", secret.toString()),
                    List.of("ping", holder.addresses().getFirst(), "--count", "1"));
            for (List<String> command : refused) {
                List<String> args = new ArrayList<>(command);
                args.addAll(List.of("--profile", where, "--listen", "/ip4/127.0.0.1/tcp/0", "--bootstrap", "none",
                        "--no-mdns"));
                assertThat(run(args.toArray(String[]::new))).as("parley %s: %s", command, err).isOne();
                assertThat(err.toString()).as("parley %s", command).startsWith("parley: " + runningLine(pid));
            }
            assertThat(temp.resolve("renamed.backup")).doesNotExist();

            // What only reads runs alongside: the invite code, a backup.
            assertThat(run("id", "--json", "--profile", where)).as(err.toString()).isZero();
            assertThat(JSON.readTree(out.toString()).path("peerId").asText())
                    .isEqualTo(holder.addresses().getFirst().substring(holder.addresses().getFirst()
                            .indexOf("/p2p/") + 5));
            assertThat(run("backup", temp.resolve("again.backup").toString(), "--profile", where,
                    "--backup-passphrase-file", secret.toString())).as(err.toString()).isZero();

            assertThat(snapshot(profile)).isEqualTo(before);
            assertThat(holder.endInput()).isZero();
        }
    }

    @Test
    void exportReadsTheHistoryWhileAChatWritesIt() throws Exception {
        Path profile = temp.resolve("alice");
        try (Engine bob = engine("bob", "Bob"); ChatProcess alice = new ChatProcess(profile, "Alice", "--json")) {
            PeerId alicePeer = befriend(alice, bob);
            for (int i = 1; i <= 30; i++) {
                bob.chat().send(alicePeer, "message " + i);
            }
            alice.await("message", node -> node.path("text").asText().equals("message 30"));
            assertThat(alice.events("message")).hasSize(30);
            // The messages are in the WAL, not yet checkpointed into parley.db: the export must read them there.
            Path wal = profile.resolve(EngineConfig.STORE_FILE + "-wal");
            assertThat(contains(wal, "message 30")).isTrue();
            assertThat(contains(profile.resolve(EngineConfig.STORE_FILE), "message 30")).isFalse();
            assertPrivate(profile);

            Path during = temp.resolve("during.json");
            assertThat(run("export", "--profile", profile.toString(), "--format", "json", "--out",
                    during.toString())).as(err.toString()).isZero();
            assertThat(exportedMessages(during)).isEqualTo(30);

            // The chat goes on writing, and still holds the profile.
            bob.chat().send(alicePeer, "after the export");
            alice.await("message", node -> node.path("text").asText().equals("after the export"));
            alice.send("/msg Bob still here");
            alice.await("sent");
            assertThat(run("import", during.toString(), "--profile", profile.toString())).isOne();
            assertThat(err.toString()).contains(runningLine(alice.process().pid()));
            assertPrivate(profile);
            assertThat(alice.endInput()).isZero();
        }
        Path after = temp.resolve("after.json");
        assertThat(run("export", "--profile", profile.toString(), "--format", "json", "--out", after.toString()))
                .as(err.toString()).isZero();
        assertThat(exportedMessages(after)).isEqualTo(32);
    }

    @Test
    void aChatKilledWithSigkillLeavesALockTheNextChatTakesOver() throws Exception {
        Path profile = temp.resolve("carol");
        String peerId;
        long killed;
        try (ChatProcess first = new ChatProcess(profile, "Carol", "--json")) {
            peerId = first.await("ready").path("peerId").asText();
            killed = first.process().pid();
            assertThat(lockHolder(profile)).isEqualTo(String.valueOf(killed));
            first.process().destroyForcibly();
            assertThat(first.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(lockHolder(profile)).as("the dead holder's PID stays in the file").isEqualTo(String.valueOf(killed));

        try (ChatProcess second = new ChatProcess(profile, "Carol", "--json")) {
            assertThat(second.await("ready").path("peerId").asText()).isEqualTo(peerId);
            assertThat(lockHolder(profile)).isEqualTo(String.valueOf(second.process().pid()));
            assertThat(second.endInput()).isZero();
        }
        assertPrivate(profile);
    }

    @Test
    void whatChatNodeImportIdAndRestoreCreateIsTheOwnersOnly() throws Exception {
        Path chatProfile = temp.resolve("chat");
        try (Engine bob = engine("bob", "Bob"); ChatProcess chat = new ChatProcess(chatProfile, "Dee", "--json")) {
            PeerId dee = befriend(chat, bob);
            bob.chat().send(dee, "written to the WAL");
            chat.await("message");
            chat.send("/msg Bob and back");
            chat.await("sent");
            assertThat(modes(chatProfile)).containsKeys("parley.db", "parley.db-wal", "parley.db-shm",
                    ProfileLock.FILE, "identity.keyset", "hpke.keyset", "profile.properties", "addresses");
            assertPrivate(chatProfile);
            assertThat(chat.endInput()).isZero();
        }
        assertPrivate(chatProfile);

        Path nodeProfile = temp.resolve("node");
        try (NodeProcess node = new NodeProcess(nodeProfile)) {
            assertThat(modes(nodeProfile)).containsKeys(ProfileLock.FILE, "identity.keyset", "addresses");
            assertPrivate(nodeProfile);
            assertThat(node.endInput()).isZero();
        }
        assertPrivate(nodeProfile);

        Path export = temp.resolve("dee.json");
        assertThat(run("export", "--profile", chatProfile.toString(), "--format", "json", "--out",
                export.toString())).as(err.toString()).isZero();
        Path newFolders = temp.resolve("new");
        Path imported = newFolders.resolve("machine").resolve("profile");
        assertThat(run("import", export.toString(), "--profile", imported.toString())).as(err.toString()).isZero();
        assertThat(modes(imported)).containsKeys("parley.db", ProfileLock.FILE);
        assertPrivate(newFolders);

        Path secret = Files.writeString(temp.resolve("secret"), "a backup passphrase\n");
        Path backup = temp.resolve("dee.backup");
        assertThat(run("backup", backup.toString(), "--profile", chatProfile.toString(), "--backup-passphrase-file",
                secret.toString())).as(err.toString()).isZero();
        assertThat(run("restore", backup.toString(), "--force", "--profile", imported.toString(),
                "--backup-passphrase-file", secret.toString())).as(err.toString()).isZero();
        assertThat(run("id", "--profile", temp.resolve("by-id").toString())).as(err.toString()).isZero();
        assertPrivate(newFolders);
        assertPrivate(temp.resolve("by-id"));
    }

    @Test
    void aProfileAnOlderParleyLeftReadableToOthersIsTightenedByTheNextChat() throws Exception {
        Path profile = temp.resolve("old");
        assertThat(run("id", "--name", "Eve", "--profile", profile.toString())).as(err.toString()).isZero();
        // An older Parley let SQLite create the history (0644 under a umask of 022) and the folder as the umask said.
        try (SqliteStore store = SqliteStore.open(profile.resolve(EngineConfig.STORE_FILE))) {
            assertThat(store.contacts().list(ContactState.ACCEPTED)).isEmpty();
        }
        Files.writeString(profile.resolve("ui.properties"), "theme=dark\n");
        try (Stream<Path> paths = Files.walk(profile)) {
            for (Path path : paths.toList()) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                        Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        assertThat(modes(profile)).containsValue("rw-r--r--");

        try (ChatProcess chat = new ChatProcess(profile, "Eve", "--json")) {
            chat.await("ready");
            assertThat(modes(profile)).containsKeys("parley.db-wal", "parley.db-shm", "ui.properties");
            assertPrivate(profile);
            assertThat(chat.endInput()).isZero();
        }
        assertPrivate(profile);
    }
}
