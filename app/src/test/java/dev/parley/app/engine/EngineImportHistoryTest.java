package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.store.HistoryScope;
import dev.parley.store.ImportCounts;
import dev.parley.store.export.ExportFormat;
import dev.parley.store.export.ExportProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Engine#importHistory} under a running engine: Alice's history exported on one machine and imported into
 * her restored identity's new profile while its engine runs, over real engines on loopback.
 */
class EngineImportHistoryTest {
    @TempDir
    Path temp;
    final List<TestEngine> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(TestEngine::close);
    }

    TestEngine start(String name) throws Exception {
        TestEngine engine = TestEngine.start(temp, name);
        started.add(engine);
        return engine;
    }

    @Test
    void anImportOnALiveEngineShowsTheConversationAtOnceAndItsContactCanBeWrittenTo() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine.befriend(alice, bob);
        alice.engine.chat().send(bob.peerId(), "hi Bob");
        bob.events.await(EngineEvent.MessageReceived.class, 1);
        bob.engine.chat().send(alice.peerId(), "hi Alice");
        alice.events.await(EngineEvent.MessageReceived.class, 1);
        Path export = temp.resolve("alice.json");
        alice.engine.history().exporter().export(ExportFormat.JSON, HistoryScope.everything(), ZoneOffset.UTC, export,
                false, ExportProgress.NONE);
        alice.close();
        started.remove(alice);

        TestEngine restored = TestEngine.at(temp.resolve("new-machine"), alice.identity, "Alice");
        started.add(restored);
        assertThat(restored.engine.contacts().accepted()).isEmpty();
        AtomicLong bytesThrough = new AtomicLong();
        ImportCounts counts = restored.engine.importHistory(export, (done, total) -> bytesThrough.set(done));

        assertThat(counts.messagesAdded()).isEqualTo(2);
        assertThat(bytesThrough.get()).isEqualTo(Files.size(export));
        assertThat(restored.engine.contacts().accepted()).extracting(ContactInfo::peer).containsExactly(bob.peerId());
        restored.events.await(EngineEvent.ContactUpdated.class, update -> update.contact().peer().equals(bob.peerId()));
        assertThat(restored.engine.history().conversations()).hasSize(1);
        List<ChatMessage> messages = restored.engine.history().newest(bob.peerId(), 10).messages();
        assertThat(messages).extracting(ChatMessage::text).containsExactly("hi Bob", "hi Alice");
        assertThat(messages).extracting(ChatMessage::outgoing).containsExactly(true, false);

        // The imported card is the engine's now: a message to Bob is sealed to him, and it arrives once Bob, who
        // cannot know the new computer's address, has it from Alice's new invite.
        restored.engine.chat().send(bob.peerId(), "I am back");
        bob.engine.contacts().add(restored.engine.invite());
        bob.events.await(EngineEvent.MessageReceived.class, received -> received.message().text().equals("I am back"));

        ImportCounts again = restored.engine.importHistory(export, ExportProgress.NONE);
        assertThat(again.messagesAdded()).isZero();
        assertThat(again.messagesAlreadyHeld()).isEqualTo(2);
        assertThat(restored.engine.history().newest(bob.peerId(), 10).messages()).extracting(ChatMessage::text)
                .containsExactly("hi Bob", "hi Alice", "I am back");
    }

    @Test
    void aFileThatIsNoExportIsRefusedWithItsNameAndChangesNothing() throws Exception {
        TestEngine alice = start("Alice");
        Path notAnExport = temp.resolve("notes.json");
        Files.writeString(notAnExport, "{\"hello\": ");

        assertThatThrownBy(() -> alice.engine.importHistory(notAnExport, ExportProgress.NONE))
                .isInstanceOf(EngineException.class).hasMessageContaining(notAnExport.toString());
        assertThatThrownBy(() -> alice.engine.importHistory(temp.resolve("missing.json"), ExportProgress.NONE))
                .isInstanceOf(EngineException.class).hasMessageContaining("does not exist");
        assertThat(alice.engine.history().conversations()).isEmpty();
        assertThat(alice.engine.contacts().accepted()).isEmpty();
    }
}
