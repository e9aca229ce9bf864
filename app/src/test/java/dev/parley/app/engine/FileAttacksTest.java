package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.files.FileServer;
import dev.parley.app.engine.files.wire.FileProtos.FileRequest;
import dev.parley.app.engine.files.wire.FileProtos.FileResponse;
import dev.parley.app.engine.files.wire.FileProtos.HaveAsk;
import dev.parley.app.engine.files.wire.FileProtos.Refused;
import dev.parley.app.engine.wire.ChatProtos.FileOffer;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.file.FileChunks;
import dev.parley.store.MessageKey;
import dev.parley.transport.Stream;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.memory.MemoryScope;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A hostile sender, and strangers, against the file transfer: chunks that do not match, an offer that lies about its
 * size, names that climb out of the folder or hide their extension; a blocked contact's offers; a stranger asking
 * for a file by its root. Each tries to break a promise of app/README.md, "Files".
 */
class FileAttacksTest extends FileOffersTest {
    private static final int CHUNK = FileChunks.CHUNK_SIZE;

    @Test
    void aChunkThatDoesNotMatchItsHashIsNeverKeptAndTheTransferFails() throws Exception {
        Path sent = randomFile("photo.raw", 4L * CHUNK, 1);
        MessageId id = alice.engine.files().send(direct(bob), sent, "", copied -> { });
        MessageRef atBob = received(id);
        // Alice's copy changes under her (a hostile Parley, or a failing disk): what she serves no longer matches.
        Path copy = alice.engine.files().stored(new MessageRef(direct(bob), alice.peerId(), id));
        try (RandomAccessFile file = new RandomAccessFile(copy.toFile(), "rw")) {
            file.seek(CHUNK + 10);
            int original = file.read();
            file.seek(CHUNK + 10);
            file.write(original ^ 0xff);
        }

        bob.engine.files().download(atBob);
        FileTransfer failed = awaitState(atBob, FileTransfer.State.FAILED);
        assertThat(failed.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("does not match"));
        assertThat(failed.bytesHeld()).as("only the chunk before the changed one").isEqualTo(CHUNK);
        assertThatThrownBy(() -> bob.engine.files().stored(atBob)).isInstanceOf(EngineException.class);
    }

    @Test
    void anOfferThatLiesAboutItsSizeNeverCompletes() throws Exception {
        Path sent = randomFile("report.pdf", 3L * CHUNK + 5, 2);
        MessageId honest = alice.engine.files().send(direct(bob), sent, "", copied -> { });
        received(honest);
        FileOffer real = alice.offerSent(bob.peerId(), honest);

        for (long lie : new long[] {real.getSize() + CHUNK, real.getSize() - CHUNK, real.getSize() + 1}) {
            MessageRef atBob = sendOffer(real.toBuilder().setSize(lie).build());
            bob.engine.files().download(atBob);
            FileTransfer failed = awaitState(atBob, FileTransfer.State.FAILED);
            assertThat(failed.state()).as("size %d", lie).isEqualTo(FileTransfer.State.FAILED);
            assertThatThrownBy(() -> bob.engine.files().stored(atBob)).isInstanceOf(EngineException.class);
        }
    }

    @Test
    void anEmptyFileUnderAnotherFilesRootIsRefusedAndTheMessageKept() throws Exception {
        Path sent = randomFile("notes.txt", 1000, 3);
        MessageId honest = alice.engine.files().send(direct(bob), sent, "", copied -> { });
        received(honest);
        MessageRef atBob = sendOffer(alice.offerSent(bob.peerId(), honest).toBuilder().setSize(0).build(), "see this");
        assertThat(bob.engine.files().attachment(atBob)).isEmpty();
        assertThat(bob.engine.history().newest(alice.peerId(), 10).messages())
                .anySatisfy(message -> assertThat(message.text()).isEqualTo("see this"));
    }

    @Test
    void namesThatClimbOutOfTheFolderOrHideTheirExtensionAreMadeSafe() throws Exception {
        Path sent = randomFile("innocent.txt", 100, 4);
        MessageId honest = alice.engine.files().send(direct(bob), sent, "", copied -> { });
        received(honest);
        FileOffer real = alice.offerSent(bob.peerId(), honest);
        Path downloads = Files.createDirectories(temp.resolve("downloads"));
        for (String hostile : new String[] {"../../.bashrc", "..\\..\\autorun.inf", "invoice\u202Efdp.exe",
                "/etc/passwd", "CON"}) {
            MessageRef atBob = sendOffer(real.toBuilder().setName(hostile).build());
            String shown = bob.engine.files().attachment(atBob).orElseThrow().name();
            assertThat(shown).as(hostile).doesNotContain("/", "\\", "\u202E").isNotEqualTo("CON")
                    .doesNotStartWith(".");
            bob.engine.files().download(atBob);
            awaitState(atBob, FileTransfer.State.COMPLETE);
            Path saved = bob.engine.files().saveIn(atBob, downloads);
            assertThat(saved.getParent()).isEqualTo(downloads);
            assertThat(saved.getFileName().toString()).isEqualTo(shown.equals(saved.getFileName().toString()) ? shown
                    : saved.getFileName().toString());
        }
        assertThat(temp.resolve(".bashrc")).doesNotExist();
        try (var listed = Files.list(downloads)) {
            assertThat(listed.count()).isEqualTo(5);
        }
    }

    @Test
    void aBlockedContactsOffersAreDroppedUnseen() throws Exception {
        bob.engine.contacts().block(alice.peerId());
        MessageId id = alice.engine.files().send(direct(bob), randomFile("spam.zip", 5000, 5), "", copied -> { });
        alice.events.await(EngineEvent.Delivered.class, delivered -> delivered.id().equals(id));
        assertThat(bob.engine.store().attachments().get(new MessageKey(
                bob.engine.store().conversations().direct(alice.peerId().toBase58()).orElseThrow().id(),
                alice.peerId().toBase58(), id.toString()))).isEmpty();
    }

    @Test
    void aStrangerAskingForAFileByItsRootLearnsNothing() throws Exception {
        MessageId id = alice.engine.files().send(direct(bob), randomFile("private.pdf", 2L * CHUNK, 6), "",
                copied -> { });
        received(id);
        byte[] root = alice.offerSent(bob.peerId(), id).getRoot().toByteArray();
        try (TestEngine eve = TestEngine.start(temp, "Eve")) {
            eve.engine.host().addressBook().add(alice.peerId(), alice.engine.listenAddresses());
            try (Stream stream = eve.engine.host().connect(alice.peerId()).newStream(FileServer.protocolId())) {
                LengthPrefixed.write(FileRequest.newBuilder().setRoot(ByteString.copyFrom(root))
                        .setHave(HaveAsk.getDefaultInstance()).build(), 1024, stream.out(), "file request",
                        IOException::new);
                stream.out().flush();
                FileResponse response = LengthPrefixed.read(stream.in(), MemoryScope.uncounted(),
                        FileResponse.parser(), 2 << 20, "file response", IOException::new);
                assertThat(response.getRefused().getReason()).isEqualTo(Refused.Reason.UNKNOWN_FILE);
            }
        }
        assertThat(alice.engine.fileBytesServed()).isZero();
    }

    private Path randomFile(String name, long size, long seed) throws IOException {
        return TestFiles.random(temp.resolve(name), size, seed);
    }
}
