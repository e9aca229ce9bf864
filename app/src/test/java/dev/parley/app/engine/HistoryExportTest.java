package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.app.cli.CommandRun;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.profile.Profile;
import dev.parley.crypto.IdentityFiles;
import dev.parley.crypto.RoomId;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley export} and {@code parley import} on the profiles of real engines that chatted on loopback: the
 * round trip to a new machine's profile, what that profile's engine then shows, scopes, and clear errors.
 */
class HistoryExportTest {
    @TempDir
    Path temp;
    final List<TestEngine> started = new ArrayList<>();
    final CommandRun command = new CommandRun();
    final StringWriter out = command.out;
    final StringWriter err = command.err;

    @AfterEach
    void stop() {
        started.forEach(TestEngine::close);
    }

    TestEngine start(String name) throws Exception {
        TestEngine engine = TestEngine.start(temp, name);
        started.add(engine);
        return engine;
    }

    int parley(String... args) {
        return command.run(args);
    }

    @Test
    void aHistoryExportedAndImportedWithTheIdentityRestoresTheUserOnANewMachine() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = RoomChatTest.roomOf(alice, List.of(bob, carol));
        alice.engine.chat().send(bob.peerId(), "hi Bob 👋");
        bob.events.await(EngineEvent.MessageReceived.class, 1);
        bob.engine.chat().send(alice.peerId(), "hi Alice\nsecond line, مرحبا");
        carol.engine.rooms().say(room, "<b>Carol</b> says hello");
        alice.events.await(EngineEvent.MessageReceived.class, 1);
        RoomChatTest.await(() -> RoomChatTest.texts(alice, room).size() == 1, () -> "Carol's room message");
        assertThat(new RoomCardNames(alice.engine.store()).apply(carol.peerId().toBase58())).contains("Carol");
        alice.close();
        started.remove(alice);
        IdentityFiles.save(alice.identity, alice.profile, null);
        new Profile(alice.profile).setDisplayName("Alice");

        Path first = temp.resolve("alice.json");
        assertThat(parley("export", "--profile", alice.profile.toString(), "--format", "json", "--out",
                first.toString())).as(err.toString()).isZero();
        // Bob, Carol (a contact with no messages) and the room.
        assertThat(out.toString()).contains("Exported ").contains(" in 3 conversations to " + first);

        Path newMachine = temp.resolve("new-machine");
        assertThat(parley("import", "--profile", newMachine.toString(), first.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("in 3 new and 0 existing conversations");
        IdentityFiles.save(alice.identity, newMachine, null);
        new Profile(newMachine).setDisplayName("Alice");
        Path second = temp.resolve("again.json");
        assertThat(parley("export", "--profile", newMachine.toString(), "--format", "json", "--out",
                second.toString())).as(err.toString()).isZero();
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));

        JsonNode export = new ObjectMapper().readTree(first.toFile());
        List<String> senders = new ArrayList<>();
        export.get("conversations").forEach(c -> c.get("messages").forEach(m -> senders.add(
                m.get("senderName").asText() + ": " + m.get("text").asText())));
        assertThat(senders).contains("Alice: hi Bob 👋", "Bob: hi Alice\nsecond line, مرحبا",
                "Carol: <b>Carol</b> says hello");

        TestEngine restored = TestEngine.at(newMachine, alice.identity, "Alice");
        started.add(restored);
        assertThat(restored.engine.history().newest(bob.peerId(), 10).messages()).extracting(ChatMessage::text)
                .containsExactly("hi Bob 👋", "hi Alice\nsecond line, مرحبا");
        assertThat(restored.engine.rooms().get(room).orElseThrow().members()).hasSize(3);
        assertThat(RoomChatTest.texts(restored, room)).extracting(RoomMessage::text)
                .containsExactly("<b>Carol</b> says hello");
        // The restored user goes on chatting in the imported conversation. An export holds no addresses, and with
        // no discovery on loopback the new machine learns where Bob is from his invite code, as a user would.
        restored.engine.contacts().add(bob.engine.inviteCode().toText());
        assertThat(restored.engine.history().newest(bob.peerId(), 10).messages()).hasSize(2);
        restored.engine.chat().send(bob.peerId(), "back on a new machine");
        RoomChatTest.await(() -> bob.events.all(EngineEvent.MessageReceived.class).stream()
                .anyMatch(m -> m.message().text().equals("back on a new machine")), () -> "Bob got the message");
    }

    @Test
    void aScopedExportAndTheClearErrors() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine.befriend(alice, bob);
        alice.engine.chat().send(bob.peerId(), "only this");
        alice.close();
        started.remove(alice);
        IdentityFiles.save(alice.identity, alice.profile, null);
        String profile = alice.profile.toString();

        Path page = temp.resolve("bob.html");
        assertThat(parley("export", "--profile", profile, "--format", "html", "--conversation", "Bob", "--since",
                "2020-01-01", "--out", page.toString())).as(err.toString()).isZero();
        assertThat(Files.readString(page)).contains("only this").contains("<!DOCTYPE html>");
        assertThat(parley("export", "--profile", profile, "--format", "txt", "--until", "2020-01-01", "--out",
                temp.resolve("none.txt").toString())).isZero();
        assertThat(out.toString()).contains("Exported 0 messages in 0 conversations");

        assertThat(parley("export", "--profile", profile, "--format", "html", "--out", page.toString())).isOne();
        assertThat(err.toString()).contains("exists already");
        assertThat(parley("export", "--profile", profile, "--format", "pdf", "--out", "x.pdf")).isEqualTo(2);
        assertThat(err.toString()).contains("choose one of json, html, txt, md");
        Path nowhere = temp.resolve("no-such-folder").resolve("x.json");
        assertThat(parley("export", "--profile", profile, "--format", "json", "--out", nowhere.toString())).isOne();
        assertThat(err.toString()).contains("does not exist");
        assertThat(Files.exists(nowhere.getParent())).isFalse();
        assertThat(parley("export", "--profile", profile, "--format", "json", "--conversation", "Nobody", "--out",
                temp.resolve("n.json").toString())).isOne();
        assertThat(err.toString()).contains("no conversation 'Nobody'");
        assertThat(parley("export", "--profile", profile, "--format", "json", "--since", "yesterday", "--out",
                temp.resolve("n.json").toString())).isOne();
        assertThat(err.toString()).contains("'yesterday' is not a date");

        Path notAnExport = temp.resolve("photo.json");
        Files.writeString(notAnExport, "{\"photos\": []}");
        assertThat(parley("import", "--profile", profile, notAnExport.toString())).isOne();
        assertThat(err.toString()).contains("is not a Parley export");
        assertThat(Files.list(temp).filter(f -> f.getFileName().toString().endsWith(".part"))).isEmpty();
    }
}
