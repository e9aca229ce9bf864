package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.crypto.InviteCode;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley id}, and the profile's identity as the node, js-libp2p and the backup commands see it. */
class IdentityCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final CommandRun command = new CommandRun();
    private final StringWriter out = command.out;
    private final StringWriter err = command.err;

    private int run(String... args) {
        return command.run(args);
    }

    /** Runs {@code parley id --json} on {@code profile}; it must succeed. */
    private JsonNode id(Path profile, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("id", "--json", "--bootstrap", "none", "--profile", profile.toString()));
        args.addAll(List.of(extra));
        assertThat(run(args.toArray(String[]::new))).as("parley id: %s", err).isZero();
        return JSON.readTree(out.toString());
    }

    private Path passphraseFile(String name, String passphrase) throws IOException {
        return Files.writeString(temp.resolve(name), passphrase + "\n");
    }

    private static List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    @Test
    void theSameProfileAlwaysGivesTheSamePeerIdAndANewOneAnother() throws Exception {
        Path profile = temp.resolve("profile");

        String first = id(profile).path("peerId").asText();
        String second = id(profile).path("peerId").asText();
        String other = id(temp.resolve("other")).path("peerId").asText();

        assertThat(first).startsWith("12D3KooW").isEqualTo(second).isNotEqualTo(other);
        assertThat(Files.getPosixFilePermissions(profile)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        for (Path file : filesIn(profile)) {
            assertThat(Files.getPosixFilePermissions(file)).as(file.toString())
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }

    @Test
    void theInviteCarriesTheSignedCardAndTheAddressesTheNodeLastListenedOn() throws Exception {
        Path profile = temp.resolve("profile");
        JsonNode before = id(profile, "--name", "Ada Lovelace");
        assertThat(before.path("addresses")).isEmpty();
        String address;
        try (NodeProcess node = new NodeProcess(profile)) {
            address = node.addresses().get(0);
            node.endInput();
        }

        JsonNode after = id(profile);
        InviteCode invite = InviteCode.parse(after.path("invite").asText());

        assertThat(after.path("invite").asText()).startsWith("parley:");
        assertThat(invite.card().peerId().toBase58()).isEqualTo(after.path("peerId").asText());
        assertThat(invite.card().displayName()).isEqualTo("Ada Lovelace");
        assertThat(invite.addresses()).extracting(Object::toString)
                .containsExactly(address.substring(0, address.indexOf("/p2p/")));
        assertThat(address).endsWith("/p2p/" + after.path("peerId").asText());
    }

    @Test
    void jsLibp2pDialsTheNodeByThePeerIdOfItsTinkIdentity() throws Exception {
        JsPeer.assumeNodeAvailable();
        Path profile = temp.resolve("profile");
        String peerId = id(profile).path("peerId").asText();
        try (NodeProcess node = new NodeProcess(profile); JsPeer js = JsPeer.start()) {
            String address = node.addresses().get(0);
            assertThat(address).endsWith("/p2p/" + peerId);

            JsonNode connection = js.dial(address);

            assertThat(connection.path("remotePeer").asText()).isEqualTo(peerId);
            node.endInput();
        }
    }

    @Test
    void aProfileFromBeforeTinkKeepsItsPeerId() throws Exception {
        Path profile = Files.createDirectories(temp.resolve("old"));
        Ed25519PrivateKey oldKey = Ed25519PrivateKey.generate();
        Files.write(profile.resolve("identity.key"), oldKey.marshal());

        String peerId = id(profile).path("peerId").asText();

        assertThat(peerId).isEqualTo(PeerId.fromPublicKey(oldKey.publicKey()).toBase58());
        assertThat(profile.resolve("identity.key")).doesNotExist();
        assertThat(id(profile).path("peerId").asText()).isEqualTo(peerId);
    }

    @Test
    void aPassphraseProtectsTheProfileAndAWrongOneChangesNothing() throws Exception {
        Path profile = temp.resolve("profile");
        String peerId = id(profile).path("peerId").asText();
        Path right = passphraseFile("right", "correct horse battery staple");
        Path wrong = passphraseFile("wrong", "Tr0ub4dor&3");

        assertThat(run("passphrase", "--profile", profile.toString(), "--new-passphrase-file", right.toString()))
                .as(err.toString()).isZero();
        Map<Path, byte[]> protectedFiles = new java.util.HashMap<>();
        for (Path file : filesIn(profile)) {
            protectedFiles.put(file, Files.readAllBytes(file));
        }

        assertThat(run("id", "--profile", profile.toString(), "--passphrase-file", wrong.toString())).isEqualTo(1);
        assertThat(err.toString()).containsIgnoringCase("passphrase").contains(profile.toString());
        assertThat(run("id", "--profile", profile.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("--passphrase-file");
        for (Path file : filesIn(profile)) {
            assertThat(Files.readAllBytes(file)).as(file.toString()).isEqualTo(protectedFiles.get(file));
        }
        assertThat(id(profile, "--passphrase-file", right.toString()).path("peerId").asText()).isEqualTo(peerId);

        assertThat(run("passphrase", "--remove", "--profile", profile.toString(), "--passphrase-file",
                right.toString())).as(err.toString()).isZero();
        assertThat(id(profile).path("peerId").asText()).isEqualTo(peerId);
    }

    @Test
    void backupRestoresTheSameIdentityIntoANewProfile() throws Exception {
        Path profile = temp.resolve("profile");
        String peerId = id(profile).path("peerId").asText();
        Path backup = temp.resolve("me.parley-backup");
        Path secret = passphraseFile("backup-pass", "a long backup passphrase");
        Path wrong = passphraseFile("wrong", "not it");

        assertThat(run("backup", backup.toString(), "--profile", profile.toString(), "--backup-passphrase-file",
                secret.toString())).as(err.toString()).isZero();
        assertThat(run("backup", backup.toString(), "--profile", profile.toString(), "--backup-passphrase-file",
                secret.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("--force");

        Path restored = temp.resolve("restored");
        assertThat(run("restore", backup.toString(), "--profile", restored.toString(), "--backup-passphrase-file",
                wrong.toString())).isEqualTo(1);
        assertThat(err.toString()).containsIgnoringCase("passphrase");
        assertThat(run("restore", backup.toString(), "--profile", restored.toString(), "--backup-passphrase-file",
                secret.toString())).as(err.toString()).isZero();
        assertThat(id(restored).path("peerId").asText()).isEqualTo(peerId);

        String other = id(temp.resolve("other")).path("peerId").asText();
        assertThat(run("restore", backup.toString(), "--profile", temp.resolve("other").toString(),
                "--backup-passphrase-file", secret.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(other).contains("--force");
        assertThat(id(temp.resolve("other")).path("peerId").asText()).isEqualTo(other);
    }

    @Test
    void aMissingOrUnreadablePassphraseFileIsASentence() throws Exception {
        Path missing = temp.resolve("no-such-folder/passphrase");
        Path folder = Files.createDirectories(temp.resolve("a-folder"));
        Path profile = temp.resolve("profile");
        id(profile);

        assertThat(run("passphrase", "--profile", profile.toString(), "--new-passphrase-file",
                missing.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("parley: cannot read the passphrase file " + missing
                + ": no such file" + System.lineSeparator());
        assertThat(run("backup", temp.resolve("b").toString(), "--profile", profile.toString(),
                "--backup-passphrase-file", folder.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("parley: cannot read the passphrase file " + folder
                + ": it is a folder, not a file" + System.lineSeparator());
        assertThat(temp.resolve("b")).doesNotExist();

        assertThat(run("passphrase", "--profile", profile.toString(), "--new-passphrase-file",
                passphraseFile("right", "correct horse battery staple").toString())).as(err.toString()).isZero();
        assertThat(run("id", "--profile", profile.toString(), "--passphrase-file", missing.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).startsWith("parley: cannot read the passphrase file " + missing
                + ": no such file");
    }
}
