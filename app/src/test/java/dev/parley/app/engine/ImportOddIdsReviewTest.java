package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.crypto.MessageId;
import dev.parley.store.HistoryScope;
import dev.parley.store.export.ExportFormat;
import dev.parley.store.export.ExportProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third review's attack on a history import (JSON version 2) with an odd input the store takes and the app cannot
 * read: a message id that is no message id. Real engines on loopback, real SQLite files.
 */
class ImportOddIdsReviewTest {
    @TempDir
    Path temp;
    private final List<TestEngine> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(TestEngine::close);
    }

    private TestEngine start(String name) throws Exception {
        TestEngine engine = TestEngine.start(temp, name);
        started.add(engine);
        return engine;
    }

    /**
     * Fixed (was broken). Promise (store README, Export and import): a damaged file changes nothing, and an import adds what the
     * profile lacks. Alice's export with one message id replaced by "hi-there" (ids in a file are only checked for
     * length) is imported on a new machine. Observed before the fix: the import succeeds, and every read of the conversation with
     * Bob then fails with IllegalArgumentException ("a message id is 32 hex digits"), so the chat can no longer be
     * shown — the odd id sits in the store for good.
     */
    @Test
    void anImportedMessageWhoseIdIsNoMessageIdLeavesTheConversationReadable() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine.befriend(alice, bob);
        alice.engine.chat().send(bob.peerId(), "hi Bob");
        bob.events.await(EngineEvent.MessageReceived.class, 1);
        MessageId bobs = bob.engine.chat().send(alice.peerId(), "hi Alice");
        alice.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(bobs));
        Path export = temp.resolve("alice.json");
        alice.engine.history().exporter().export(ExportFormat.JSON, HistoryScope.everything(), ZoneOffset.UTC, export,
                false, ExportProgress.NONE);
        Path odd = temp.resolve("odd.json");
        String json = Files.readString(export);
        assertThat(json).contains("\"" + bobs + "\"");
        Files.writeString(odd, json.replace("\"" + bobs + "\"", "\"hi-there\""));
        alice.close();
        started.remove(alice);

        TestEngine restored = TestEngine.at(temp.resolve("new-machine"), alice.identity, "Alice");
        started.add(restored);
        try {
            restored.engine.importHistory(odd, ExportProgress.NONE);
        } catch (Exception refused) {
            // Refusing the file is one way to keep the promise: nothing of it is stored then.
        }
        List<ChatMessage> shown = restored.engine.history().newest(bob.peerId(), 10).messages();
        assertThat(shown).extracting(ChatMessage::text).contains("hi Bob");
    }
}
