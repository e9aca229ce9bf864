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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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
            Path sent = randomFile("sent-" + size + ".bin", size, size);
            MessageRef atBob = sendAndReceive(sent);
            FileAttachment offered = bob.engine.files().attachment(atBob).orElseThrow();
            assertThat(offered.name()).isEqualTo(sent.getFileName().toString());
            assertThat(offered.size()).isEqualTo(size);
            assertThat(offered.transfer().state()).isEqualTo(FileTransfer.State.OFFERED);

            bob.engine.files().download(atBob);
            awaitState(bob, atBob, FileTransfer.State.COMPLETE);
            assertThat(sha256(bob.engine.files().stored(atBob))).as("%d bytes", size).isEqualTo(sha256(sent));
            assertThat(bob.engine.files().attachment(atBob).orElseThrow().transfer().bytesHeld()).isEqualTo(size);
        }
    }

    @Test
    void aSavedCopyNeverOverwritesAFile() throws Exception {
        Path sent = randomFile("report.pdf", 1000, 7);
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
        assertThat(sha256(second)).isEqualTo(sha256(sent));

        // "Show in folder": the copy there is shown again, one of the same name with other bytes is not it.
        Path shown = Files.createDirectories(temp.resolve("shown"));
        Files.write(shown.resolve("report.pdf"), new byte[1000]);
        Path once = bob.engine.files().savedOnceIn(atBob, shown);
        assertThat(once.getFileName().toString()).isEqualTo("report (1).pdf");
        assertThat(sha256(once)).isEqualTo(sha256(sent));
        assertThat(bob.engine.files().savedOnceIn(atBob, shown)).isEqualTo(once);
        try (Stream<Path> files = Files.list(shown)) {
            assertThat(files).hasSize(2);
        }
    }

    @Test
    void aPausedFetchResumesAfterARestartWithoutFetchingAgainWhatCame() throws Exception {
        long size = 96L * 1024 * 1024;
        Path sent = randomFile("big.bin", size, 3);
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
        assertThat(sha256(bob.engine.files().stored(atBob))).isEqualTo(sha256(sent));
        long chunksLeft = FileChunks.chunkCount(size, CHUNK) - paused.bytesHeld() / CHUNK;
        assertThat(alice.engine.fileBytesServed() - servedBefore).as("what the resumed fetch asked Alice for")
                .isEqualTo(size - paused.bytesHeld() + chunksLeft * FileChunks.TAG_SIZE);
    }

    @Test
    void aFetchResumedAtStartIsHeardEvenWhenItEndsAtOnce() throws Exception {
        Path sent = randomFile("small.bin", 3000, 13);
        MessageRef atBob = sendAndReceive(sent);
        alice.close();
        bob.engine.files().download(atBob);
        awaitState(bob, atBob, FileTransfer.State.WAITING);
        bob.close();

        alice = alice.restart();
        bob = bob.restart();
        // Heard by a subscriber given to Engine.start, however soon the fetch resumed at start ends.
        awaitState(bob, atBob, FileTransfer.State.COMPLETE);
        assertThat(sha256(bob.engine.files().stored(atBob))).isEqualTo(sha256(sent));
    }

    @Test
    void aCancelledFetchDeletesWhatCameAndCanStartAgain() throws Exception {
        Path sent = randomFile("cancelled.bin", 2L * CHUNK, 11);
        MessageRef atBob = sendAndReceive(sent);
        bob.engine.files().cancel(atBob);
        assertThat(awaitState(bob, atBob, FileTransfer.State.CANCELLED).bytesHeld()).isZero();
        bob.engine.files().download(atBob);
        awaitState(bob, atBob, FileTransfer.State.COMPLETE);
        assertThat(sha256(bob.engine.files().stored(atBob))).isEqualTo(sha256(sent));
    }

    @Test
    void theSameBytesAreKeptOnceAndGoWithTheLastMessageThatOffersThem() throws Exception {
        Path sent = randomFile("twice.bin", 3L * CHUNK, 21);
        MessageRef first = sendAndReceive(sent);
        MessageRef second = sendAndReceive(sent);
        for (MessageRef offer : List.of(first, second)) {
            bob.engine.files().download(offer);
            awaitState(bob, offer, FileTransfer.State.COMPLETE);
        }
        Path copy = bob.engine.files().stored(first);
        assertThat(bob.engine.files().stored(second)).as("one copy for both").isEqualTo(copy);

        bob.engine.actions().deleteForMe(first);
        awaitGone(bob, first);
        assertThat(copy).as("the other message still offers it").exists();
        alice.engine.actions().deleteForEveryone(new MessageRef(new ConversationRef.Direct(bob.peerId()),
                alice.peerId(), second.id()));
        awaitGone(bob, second);
        TestEngine.awaitCondition(() -> !Files.exists(copy), "Bob's copy deleted with the last message offering it");
        assertThatThrownBy(() -> bob.engine.files().stored(second)).isInstanceOf(EngineException.class);
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

    private static void awaitGone(TestEngine engine, MessageRef message) throws InterruptedException {
        TestEngine.awaitCondition(() -> engine.engine.files().attachment(message)
                .filter(file -> file.transfer().state() == FileTransfer.State.CANCELLED).isPresent(),
                "the file of the deleted message is gone");
    }

    private static FileTransfer awaitState(TestEngine engine, MessageRef message, FileTransfer.State state)
            throws InterruptedException {
        return engine.events.await(EngineEvent.FileProgress.class, progress -> progress.message().equals(message)
                && progress.transfer().state() == state).transfer();
    }

    private Path randomFile(String name, long size, long seed) throws IOException {
        return TestFiles.random(temp.resolve(name), size, seed);
    }

    private static String sha256(Path file) throws IOException {
        return TestFiles.sha256(file);
    }
}
