package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.FileAttachment;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.file.FileChunks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Files between two engines on loopback: offered with a message, fetched over {@code /parley/file/1.0.0}, checked
 * chunk by chunk, whole by SHA-256; paused and resumed across a restart without fetching again what came.
 */
class EngineFileTest extends TwoContactsTest {
    private static final int CHUNK = FileChunks.CHUNK_SIZE;

    @Test
    void filesOfEveryShapeOfSizeArriveWhole() throws Exception {
        for (long size : new long[] {0, 1, CHUNK, 3L * CHUNK + 17, 5L * 1024 * 1024 + 3}) {
            Path sent = TestFiles.random(temp, "sent-" + size + ".bin", size, size);
            MessageRef atBob = sendAndReceive(sent);
            FileAttachment offered = bob.engine.files().attachment(atBob).orElseThrow();
            assertThat(offered.name()).isEqualTo(sent.getFileName().toString());
            assertThat(offered.size()).isEqualTo(size);
            assertThat(offered.transfer().state()).isEqualTo(FileTransfer.State.OFFERED);

            bob.engine.files().download(atBob);
            awaitState(bob, atBob, FileTransfer.State.COMPLETE);
            assertThat(TestFiles.sha256(bob.engine.files().stored(atBob))).as("%d bytes", size).isEqualTo(TestFiles.sha256(sent));
            assertThat(bob.engine.files().attachment(atBob).orElseThrow().transfer().bytesHeld()).isEqualTo(size);
        }
    }

    @Test
    void aSavedCopyNeverOverwritesAFile() throws Exception {
        Path sent = TestFiles.random(temp, "report.pdf", 1000, 7);
        MessageRef atBob = sendAndReceive(sent);
        assertThat(bob.engine.files().attachment(atBob).orElseThrow().mediaType()).isEqualTo("application/pdf");
        assertThatThrownBy(() -> bob.engine.files().saveIn(atBob, temp)).isInstanceOf(EngineException.class)
                .hasMessageContaining("not all here");
        bob.engine.files().download(atBob);
        awaitState(bob, atBob, FileTransfer.State.COMPLETE);

        Path downloads = Files.createDirectories(temp.resolve("downloads"));
        Path first = bob.engine.files().saveIn(atBob, downloads);
        Path second = bob.engine.files().saveIn(atBob, downloads);
        assertThat(first.getFileName().toString()).isEqualTo("report.pdf");
        assertThat(second.getFileName().toString()).isEqualTo("report (1).pdf");
        assertThat(TestFiles.sha256(second)).isEqualTo(TestFiles.sha256(sent));
    }

    @Test
    void aPausedFetchResumesAfterARestartWithoutFetchingAgainWhatCame() throws Exception {
        long size = 96L * 1024 * 1024;
        Path sent = TestFiles.random(temp, "big.bin", size, 3);
        MessageRef atBob = sendAndReceive(sent);
        // Paused as soon as the first bytes are told, long before a file of this size can be whole.
        bob.engine.subscribe(event -> {
            if (event instanceof EngineEvent.FileProgress progress && progress.message().equals(atBob)
                    && progress.transfer().state() == FileTransfer.State.FETCHING
                    && progress.transfer().bytesHeld() > 0) {
                try {
                    bob.engine.files().pause(atBob);
                } catch (EngineException e) {
                    throw new AssertionError(e);
                }
            }
        });
        bob.engine.files().download(atBob);
        FileTransfer paused = awaitState(bob, atBob, FileTransfer.State.PAUSED);
        assertThat(paused.bytesHeld()).isPositive().isLessThan(size);

        bob.close();
        bob = bob.restart();
        FileAttachment afterRestart = bob.engine.files().attachment(atBob).orElseThrow();
        assertThat(afterRestart.transfer().state()).isEqualTo(FileTransfer.State.PAUSED);
        assertThat(afterRestart.transfer().bytesHeld()).isEqualTo(paused.bytesHeld());

        long servedBefore = alice.engine.fileBytesServed();
        bob.engine.files().download(atBob);
        awaitState(bob, atBob, FileTransfer.State.COMPLETE);
        assertThat(TestFiles.sha256(bob.engine.files().stored(atBob))).isEqualTo(TestFiles.sha256(sent));
        long chunksLeft = FileChunks.chunkCount(size, CHUNK) - paused.bytesHeld() / CHUNK;
        assertThat(alice.engine.fileBytesServed() - servedBefore).as("what the resumed fetch asked Alice for")
                .isEqualTo(size - paused.bytesHeld() + chunksLeft * FileChunks.TAG_SIZE);
    }

    @Test
    void aCancelledFetchDeletesWhatCameAndCanStartAgain() throws Exception {
        Path sent = TestFiles.random(temp, "cancelled.bin", 2L * CHUNK, 11);
        MessageRef atBob = sendAndReceive(sent);
        bob.engine.files().cancel(atBob);
        assertThat(awaitState(bob, atBob, FileTransfer.State.CANCELLED).bytesHeld()).isZero();
        bob.engine.files().download(atBob);
        awaitState(bob, atBob, FileTransfer.State.COMPLETE);
        assertThat(TestFiles.sha256(bob.engine.files().stored(atBob))).isEqualTo(TestFiles.sha256(sent));
    }

    @Test
    void aFileThatCannotBeReadIsRefusedAndNothingIsSent() throws Exception {
        assertThatThrownBy(() -> alice.engine.files().send(new ConversationRef.Direct(bob.peerId()),
                temp.resolve("missing.txt"), "", copied -> { }))
                .isInstanceOf(EngineException.class)
                .satisfies(e -> assertThat(((EngineException) e).problem())
                        .isEqualTo(EngineException.Problem.FILE_UNREADABLE));
        assertThat(alice.engine.history().newest(bob.peerId(), 10).messages()).isEmpty();
    }

    private MessageRef sendAndReceive(Path file) throws Exception {
        AtomicLong copied = new AtomicLong();
        MessageId id = alice.engine.files().send(new ConversationRef.Direct(bob.peerId()), file, "", copied::set);
        assertThat(copied.get()).isEqualTo(Files.size(file));
        EngineEvent.MessageReceived received = bob.events.await(EngineEvent.MessageReceived.class,
                event -> event.message().id().equals(id));
        assertThat(received.message().details().file()).isPresent();
        return new MessageRef(new ConversationRef.Direct(alice.peerId()), alice.peerId(), id);
    }

    private static FileTransfer awaitState(TestEngine engine, MessageRef message, FileTransfer.State state)
            throws InterruptedException {
        return engine.events.await(EngineEvent.FileProgress.class, progress -> progress.message().equals(message)
                && progress.transfer().state() == state).transfer();
    }
}
