package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.file.FileChunks;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file offered in a room of engines on loopback: every member fetches it whole, and the members fetch from each
 * other, so the sender's uplink carries it about once rather than once a member.
 */
class RoomFileTest {
    @TempDir
    Path folder;
    private final List<TestEngine> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(TestEngine::close);
    }

    @Test
    void membersFetchARoomsFileFromEachOtherAndTheSenderSendsItAboutOnce() throws Exception {
        TestEngine alice = start("Alice");
        List<TestEngine> members = new ArrayList<>();
        for (String name : List.of("Bob", "Carol", "Dan", "Erin", "Frank")) {
            members.add(start(name));
        }
        RoomId room = RoomChatTest.roomOf(alice, members);
        long size = 12L * 1024 * 1024 + 5;
        Path sent = folder.resolve("climbing-trip.mp4");
        Random random = new Random(5);
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(sent)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }

        MessageId id = alice.engine.files().send(new ConversationRef.Room(room), sent, "from Saturday", copied -> { });
        MessageRef offer = new MessageRef(new ConversationRef.Room(room), alice.peerId(), id);
        for (TestEngine member : members) {
            EngineEvent.RoomMessageReceived received = member.events.await(EngineEvent.RoomMessageReceived.class,
                    event -> event.message().id().equals(id));
            assertThat(received.message().text()).isEqualTo("from Saturday");
            assertThat(received.message().details().file()).hasValueSatisfying(file ->
                    assertThat(file.size()).isEqualTo(size));
        }
        for (TestEngine member : members) {
            member.engine.files().download(offer);
        }
        String expected = TestFiles.sha256(sent);
        for (TestEngine member : members) {
            member.events.await(EngineEvent.FileProgress.class, progress -> progress.message().equals(offer)
                    && progress.transfer().state() == FileTransfer.State.COMPLETE);
            assertThat(TestFiles.sha256(member.engine.files().stored(offer))).as(member.name).isEqualTo(expected);
        }
        long sealedSize = size + FileChunks.chunkCount(size, FileChunks.CHUNK_SIZE) * FileChunks.TAG_SIZE;
        long servedByMembers = members.stream().mapToLong(member -> member.engine.fileBytesServed()).sum();
        assertThat(alice.engine.fileBytesServed()).as("what Alice's uplink carried for %d members", members.size())
                .isGreaterThanOrEqualTo(sealedSize).isLessThan(sealedSize * 3 / 2);
        assertThat(alice.engine.fileBytesServed() + servedByMembers).isEqualTo(sealedSize * members.size());
    }

    private TestEngine start(String name) throws Exception {
        TestEngine engine = TestEngine.start(folder, name);
        started.add(engine);
        return engine;
    }
}
