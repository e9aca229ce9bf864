package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.EngineConfig;
import dev.parley.app.profile.Profile;
import dev.parley.crypto.Identity;
import dev.parley.transport.multiformats.Multiaddr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup carries the display name, and {@code restore} brings it back: a user who moves to a new machine with
 * {@code backup} + {@code export}, then {@code restore} + {@code import}, is still called as before, in the invite
 * and in the history's export. A backup from before backups kept the name ({@code backup-without-name/}, written by
 * {@code parley backup} of that time) still restores, and the profile keeps the name it had.
 */
class BackupNameTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final CommandRun command = new CommandRun();

    private String run(String... args) {
        assertThat(command.run(args)).as("parley %s: %s", String.join(" ", args), command.err).isZero();
        return command.out.toString();
    }

    private JsonNode id(Path profile) throws IOException {
        return JSON.readTree(run("id", "--json", "--profile", profile.toString()));
    }

    private Path passphraseFile() throws IOException {
        return Files.writeString(temp.resolve("backup-passphrase"), "correct horse battery staple\n");
    }

    /** Each message of an export as "sender name: text". */
    private static List<String> senders(Path export) throws IOException {
        List<String> senders = new ArrayList<>();
        JSON.readTree(export.toFile()).path("conversations").forEach(conversation -> conversation.path("messages")
                .forEach(m -> senders.add(m.path("senderName").asText() + ": " + m.path("text").asText())));
        return senders;
    }

    @Test
    void restoreAndImportOnANewMachineBringBackTheNameOwnMessagesAreExportedUnder() throws Exception {
        Path old = temp.resolve("old-machine");
        try (ChatProcess ada = new ChatProcess(old, "Ada Lovelace", "--json");
             Engine bo = Engine.start(EngineConfig.of(temp.resolve("bo"), Identity.generate(), "Bo",
                     List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))))) {
            ChatProcess.withTranscripts(List.of(ada), () -> {
                ada.await("ready");
                ada.send("/add " + bo.invite());
                ada.await("contact");
                ada.send("/msg Bo notes on the engine");
                String sent = ada.await("sent").path("id").asText();
                ada.await("delivered", node -> node.path("id").asText().equals(sent));
                assertThat(ada.endInput()).isZero();
            });
        }
        Path backup = temp.resolve("ada.parley-backup");
        Path passphrase = passphraseFile();
        assertThat(run("backup", backup.toString(), "--profile", old.toString(), "--backup-passphrase-file",
                passphrase.toString())).contains("(Ada Lovelace)");
        Path before = temp.resolve("before.json");
        run("export", "--profile", old.toString(), "--format", "json", "--out", before.toString());
        assertThat(senders(before)).containsExactly("Ada Lovelace: notes on the engine");

        Path machine = temp.resolve("new-machine");
        assertThat(run("restore", backup.toString(), "--profile", machine.toString(), "--backup-passphrase-file",
                passphrase.toString())).contains("(Ada Lovelace)").doesNotContain("holds no display name");
        run("import", before.toString(), "--profile", machine.toString());
        Path after = temp.resolve("after.json");
        run("export", "--profile", machine.toString(), "--format", "json", "--out", after.toString());

        assertThat(id(machine).path("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(senders(after)).containsExactly("Ada Lovelace: notes on the engine");
        assertThat(Files.readAllBytes(after)).isEqualTo(Files.readAllBytes(before));
    }

    @Test
    void aBackupFromBeforeNamesRestoresLeavingTheNameAndAForcedRestoreKeepsTheNameItReplaces() throws Exception {
        Path fixture = Path.of(getClass().getResource("backup-without-name/backup.parley").toURI());
        String peerId = Files.readString(fixture.resolveSibling("peer-id.txt")).strip();
        Path oldBackup = Files.copy(fixture, temp.resolve("old.parley-backup"));
        Path passphrase = passphraseFile();
        Path profile = temp.resolve("profile");
        String machineName = new Profile(temp.resolve("nowhere")).displayName();

        assertThat(run("restore", oldBackup.toString(), "--profile", profile.toString(), "--backup-passphrase-file",
                passphrase.toString())).contains("The backup holds no display name").contains(machineName);
        JsonNode restored = id(profile);
        assertThat(restored.path("peerId").asText()).isEqualTo(peerId);
        assertThat(restored.path("name").asText()).isEqualTo(machineName);

        run("restore", oldBackup.toString(), "--profile", profile.toString(), "--backup-passphrase-file",
                passphrase.toString(), "--force", "--name", "Grace Hopper");
        assertThat(id(profile).path("name").asText()).isEqualTo("Grace Hopper");

        Path other = temp.resolve("other");
        run("id", "--profile", other.toString(), "--name", "Ada Lovelace");
        Path named = temp.resolve("named.parley-backup");
        run("backup", named.toString(), "--profile", other.toString(), "--backup-passphrase-file", passphrase.toString());
        assertThat(run("restore", named.toString(), "--profile", profile.toString(), "--backup-passphrase-file",
                passphrase.toString(), "--force")).contains("The identity it replaced is kept in");
        assertThat(id(profile).path("name").asText()).isEqualTo("Ada Lovelace");
        List<Path> replaced;
        try (Stream<Path> files = Files.list(profile)) {
            replaced = files.filter(file -> file.getFileName().toString().startsWith("replaced-")).sorted().toList();
        }
        assertThat(replaced).hasSize(2);
        assertThat(new Profile(replaced.getLast()).displayName()).isEqualTo("Grace Hopper");
    }
}
