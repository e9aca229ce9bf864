package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.files.MailboxFileParts;
import dev.parley.app.engine.files.wire.FileProtos.MailboxFilePart;
import dev.parley.app.mailbox.DepositCapability;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.MailboxLetter;
import dev.parley.crypto.MessageId;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small files wait in mailboxes (app/README.md, "Files"): their sealed chunks go beside the offer, so a recipient gets
 * the whole file with its sender away; a large one sends its offer alone; a wrong piece completes nothing. A real
 * mailbox on loopback, real engines, their real stores.
 */
class MailboxFileTest {
    @TempDir
    Path temp;
    private LoopbackMailbox mailbox;
    private TestEngine ada;
    private TestEngine bo;

    @BeforeEach
    void adaHoldsACapabilityToBosMailbox() throws Exception {
        mailbox = LoopbackMailbox.start(temp, 8);
        ada = TestEngine.start(temp, "Ada");
        bo = TestEngine.start(temp, "Bo");
        TestEngine.befriend(ada, bo);
        bo.engine.mailbox().pair(mailbox.pairingCode);
        bo.awaitOutboxEmptyFor(ada.peerId());
        ada.capabilityFrom(bo);
    }

    @AfterEach
    void stopAll() {
        ada.close();
        bo.close();
        mailbox.close();
    }

    @Test
    void aSmallFileAndAPictureReachAContactWhoseSenderIsNeverOnlineAgain() throws Exception {
        bo.close();
        Path document = TestFiles.random(temp.resolve("notes.bin"), 1024 * 1024, 1);
        Path picture = picture("beach.png", 500, 400);
        assertThat(Files.size(picture)).as("a picture of some size").isGreaterThan(300_000);
        MessageId documentId = ada.engine.files().send(new ConversationRef.Direct(bo.peerId()), document, "notes",
                copied -> { });
        MessageId pictureId = ada.engine.files().send(new ConversationRef.Direct(bo.peerId()), picture, "",
                copied -> { });
        awaitInMailbox(ada, Set.of(documentId, pictureId));
        ada.close();

        bo = bo.restart();
        for (MessageId id : List.of(documentId, pictureId)) {
            MessageRef atBo = fromAda(id);
            awaitState(bo, atBo, FileTransfer.State.COMPLETE);
            assertThat(TestFiles.sha256(bo.engine.files().stored(atBo)))
                    .isEqualTo(TestFiles.sha256(id.equals(documentId) ? document : picture));
            assertThat(bo.engine.files().attachment(atBo).orElseThrow().transfer().bytesHeld())
                    .isEqualTo(Files.size(id.equals(documentId) ? document : picture));
        }
        TestEngine.awaitCondition(() -> mailbox.store.envelopeRows() == 0, "Bo's mailbox emptied");
    }

    @Test
    void aFileOverTheLimitSendsItsOfferAloneAndIsFetchedWhenTheSenderIsBack() throws Exception {
        bo.close();
        long size = 20L * 1024 * 1024;
        assertThat(size).isGreaterThan(MailboxFileParts.MAX_FILE_BYTES);
        Path large = TestFiles.random(temp.resolve("large.bin"), size, 2);
        MessageId id = ada.engine.files().send(new ConversationRef.Direct(bo.peerId()), large, "", copied -> { });
        awaitInMailbox(ada, Set.of(id));
        assertThat(mailbox.server().deposits()).as("the offer, not the file's %d pieces", size / (56 * 1024))
                .isLessThan(5);
        ada.close();

        bo = bo.restart();
        MessageRef atBo = fromAda(id);
        bo.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(id));
        TestEngine.awaitCondition(() -> mailbox.store.envelopeRows() == 0, "Bo's mailbox emptied");
        assertOfferedWithNothingHeld(atBo);
        fetchedOnceAdaIsBack(atBo, large);
    }

    @Test
    void piecesStopShortOfTheShareOfTheQuotaLeftToMessages() throws Exception {
        bo.close();
        long size = MailboxFileParts.MAX_FILE_BYTES - 100 * 1024;
        List<MessageId> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path file = TestFiles.random(temp.resolve("file-" + i + ".bin"), size, 10 + i);
            files.add(ada.engine.files().send(new ConversationRef.Direct(bo.peerId()), file, "", copied -> { }));
        }
        MessageId after = ada.engine.chat().send(bo.peerId(), "and a word after them");
        Set<MessageId> all = new HashSet<>(files);
        all.add(after);
        awaitInMailbox(ada, all);
        ada.close();

        bo = bo.restart();
        bo.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(after));
        for (MessageId id : files.subList(0, 2)) {
            awaitState(bo, fromAda(id),
                    FileTransfer.State.COMPLETE);
        }
        TestEngine.awaitCondition(() -> mailbox.store.envelopeRows() == 0, "Bo's mailbox emptied");
        // Past 4 MiB of pieces: the offer alone.
        assertOfferedWithNothingHeld(fromAda(files.get(2)));
    }

    @Test
    void aHostileContactsWrongPiecesCompleteNothingAndAFetchLaterStillCompletesTheFile() throws Exception {
        // Cy is Bo's contact too, with a capability of her own, and knows of Ada's offer (a leaked id, say).
        TestEngine cy = TestEngine.start(temp, "Cy");
        try (cy) {
            TestEngine.befriend(cy, bo);
            cy.events.await(EngineEvent.ContactMailbox.class, granted -> granted.peer().equals(bo.peerId())
                    && granted.hasMailbox());
            DepositCapability cys = cy.capabilityFrom(bo);
            Path sent = TestFiles.random(temp.resolve("small.bin"), 700 * 1024, 3);
            // Sent while Bo is online: the offer goes directly, and no piece to his mailbox.
            MessageId id = ada.engine.files().send(new ConversationRef.Direct(bo.peerId()), sent, "", copied -> { });
            MessageRef atBo = fromAda(id);
            bo.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(id));
            List<byte[]> honest = ada.engine.files().mailboxParts(bo.peerId(), id);
            assertThat(honest).as("pieces of a 700 KiB file").hasSizeGreaterThan(3);
            ContactCard bosCard = bo.engine.card();
            bo.close();
            ada.close();

            // First a piece whose leaves do not make the offer's root; then every piece with one byte of its chunk
            // changed (the leaves right); then a piece of a chunk that does not exist and one at an offset where no
            // piece starts.
            MailboxFilePart first = MailboxFilePart.parseFrom(honest.getFirst());
            byte[] leaves = first.getLeaves().toByteArray();
            leaves[0] ^= 0x01;
            deposit(cys, bosCard, first.toBuilder().setLeaves(ByteString.copyFrom(leaves)).build());
            for (byte[] part : honest) {
                MailboxFilePart piece = MailboxFilePart.parseFrom(part);
                byte[] data = piece.getData().toByteArray();
                data[data.length / 2] ^= 0x01;
                deposit(cys, bosCard, piece.toBuilder().setData(ByteString.copyFrom(data)).build());
            }
            deposit(cys, bosCard, first.toBuilder().setChunk(1_000).build());
            deposit(cys, bosCard, first.toBuilder().setOffset(7).build());
            int letters = honest.size() + 3;

            bo = bo.restart();
            bo.events.await(EngineEvent.MailboxChanged.class, changed -> changed.status().fetched() >= letters);
            TestEngine.awaitCondition(() -> mailbox.store.envelopeRows() == 0, "Bo's mailbox emptied");
            assertOfferedWithNothingHeld(atBo);
            assertThatThrownBy(() -> bo.engine.files().stored(atBo)).isInstanceOf(EngineException.class);
            fetchedOnceAdaIsBack(atBo, sent);
        }
    }

    @Test
    void aSmallFileGoesWholeWithAContactWhoCarriesWhenTheRecipientHasNoMailbox() throws Exception {
        bo.engine.mailbox().unpair();
        TestEngine.awaitCondition(() -> ada.engine.store().mailboxes().held(bo.peerId().toBase58()).isEmpty(),
                "Ada told that Bo has no mailbox");
        TestEngine carol = TestEngine.start(temp, "Carol");
        try (carol) {
            TestEngine.befriend(ada, carol);
            TestEngine.befriend(bo, carol);
            // Ada is connected to Carol, as contacts who just talked are.
            ada.engine.chat().send(carol.peerId(), "are you around tonight?");
            carol.events.await(EngineEvent.MessageReceived.class, 1);
            bo.close();

            Path sent = TestFiles.random(temp.resolve("carried.bin"), 900 * 1024, 4);
            MessageId id = ada.engine.files().send(new ConversationRef.Direct(bo.peerId()), sent, "", copied -> { });
            ada.events.await(EngineEvent.WithCarrier.class, event -> event.ids().contains(id));
            ada.close();

            bo = bo.restart();
            MessageRef atBo = fromAda(id);
            awaitState(bo, atBo, FileTransfer.State.COMPLETE);
            assertThat(TestFiles.sha256(bo.engine.files().stored(atBo))).isEqualTo(TestFiles.sha256(sent));
            TestEngine.awaitCondition(() -> carol.engine.store().carried().forRecipient(bo.peerId().toBase58(), 1, 1)
                    .isEmpty(), "Carol handed Bo everything");
        }
    }

    /** The message {@code id} of Ada's, as Bo refers to it. */
    private MessageRef fromAda(MessageId id) {
        return new MessageRef(new ConversationRef.Direct(ada.peerId()), ada.peerId(), id);
    }

    private void assertOfferedWithNothingHeld(MessageRef atBo) {
        FileTransfer transfer = bo.engine.files().attachment(atBo).orElseThrow().transfer();
        assertThat(transfer.state()).isEqualTo(FileTransfer.State.OFFERED);
        assertThat(transfer.bytesHeld()).as("nothing of the file kept").isZero();
    }

    /** Ada is back: Bo downloads the file, which completes with the bytes she sent. */
    private void fetchedOnceAdaIsBack(MessageRef atBo, Path sent) throws Exception {
        ada = ada.restart();
        bo.engine.files().download(atBo);
        awaitState(bo, atBo, FileTransfer.State.COMPLETE);
        assertThat(TestFiles.sha256(bo.engine.files().stored(atBo))).isEqualTo(TestFiles.sha256(sent));
    }

    private static void deposit(DepositCapability capability, ContactCard to, MailboxFilePart piece)
            throws Exception {
        LoopbackMailbox.deposit(capability, MailboxLetter.sealFilePart(to, piece.toByteArray()));
    }

    private static void awaitInMailbox(TestEngine sender, Set<MessageId> ids) throws InterruptedException {
        Set<MessageId> held = new HashSet<>();
        sender.events.await(EngineEvent.InMailbox.class, event -> {
            held.addAll(event.ids());
            return held.containsAll(ids);
        });
    }

    private static void awaitState(TestEngine engine, MessageRef message, FileTransfer.State state)
            throws InterruptedException {
        engine.events.await(EngineEvent.FileProgress.class, progress -> progress.message().equals(message)
                && progress.transfer().state() == state);
    }

    /** A PNG of noise over a gradient, which compresses little. */
    private Path picture(String name, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | random.nextInt(256));
            }
        }
        Path file = temp.resolve(name);
        assertThat(ImageIO.write(image, "png", file.toFile())).isTrue();
        return file;
    }
}
