package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.files.FileServer;
import dev.parley.app.engine.files.wire.FileProtos.FileRequest;
import dev.parley.app.engine.files.wire.FileProtos.FileResponse;
import dev.parley.app.engine.files.wire.FileProtos.MailboxFilePart;
import dev.parley.app.engine.files.wire.FileProtos.Range;
import dev.parley.app.engine.files.wire.FileProtos.Refused;
import dev.parley.app.engine.wire.ChatProtos.FileOffer;
import dev.parley.app.mailbox.DepositCapability;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.MailboxLetter;
import dev.parley.crypto.MessageId;
import dev.parley.store.MessageKey;
import dev.parley.transport.Stream;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.memory.MemoryScope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third review of files (review23c): small files through mailboxes, and the faster transfers. Each test is an
 * attack by a contact on loopback; one that breaks a promise is disabled with what it breaks.
 */
class FileThirdReviewTest {
    /** Sealed bytes in a mailbox piece (MailboxFileParts.PART_BYTES). */
    private static final int PART_BYTES = 56 * 1024;

    @TempDir
    Path temp;
    private LoopbackMailbox mailbox;
    private TestEngine bo;
    private TestEngine cy;
    private DepositCapability cys;

    @BeforeEach
    void cyHoldsACapabilityToBosMailbox() throws Exception {
        mailbox = LoopbackMailbox.start(temp, 8);
        bo = TestEngine.start(temp, "Bo");
        cy = TestEngine.start(temp, "Cy");
        TestEngine.befriend(cy, bo);
        bo.engine.mailbox().pair(mailbox.pairingCode);
        bo.awaitOutboxEmptyFor(cy.peerId());
        cys = cy.capabilityFrom(bo);
    }

    @AfterEach
    void stopAll() {
        cy.close();
        bo.close();
        mailbox.close();
    }

    /**
     * A piece's offset is a uint32: one of 2^32 - 56 KiB is a multiple of a piece's length and, read as a Java int,
     * negative, so it passes the checks of where a piece starts and is copied before the chunk's first byte. The
     * exception leaves MailboxArrivals.take: the honest pieces after it are never taken, and no letter of the batch
     * leaves the mailbox, at every fetch.
     */
    @Test
    void aPieceAtANegativeOffsetIsDroppedAndTheHonestPiecesAfterItCompleteTheFile() throws Exception {
        Path sent = TestFiles.random(temp.resolve("small.bin"), 300 * 1024, 4);
        // Sent while Bo is online: the offer goes directly; Cy deposits the pieces herself.
        MessageId id = cy.engine.files().send(new ConversationRef.Direct(bo.peerId()), sent, "", copied -> { });
        MessageRef atBo = new MessageRef(new ConversationRef.Direct(cy.peerId()), cy.peerId(), id);
        bo.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(id));
        List<byte[]> honest = cy.engine.files().mailboxParts(bo.peerId(), id);
        assertThat(honest).isNotEmpty();
        ContactCard bosCard = bo.engine.card();
        bo.close();

        MailboxFilePart first = MailboxFilePart.parseFrom(honest.getFirst());
        deposit(bosCard, first.toBuilder().setOffset(-PART_BYTES).setData(ByteString.copyFrom(new byte[PART_BYTES]))
                .build());
        for (byte[] part : honest) {
            deposit(bosCard, MailboxFilePart.parseFrom(part));
        }

        bo = bo.restart();
        bo.events.await(EngineEvent.FileProgress.class, progress -> progress.message().equals(atBo)
                && progress.transfer().state() == FileTransfer.State.COMPLETE);
        assertThat(TestFiles.sha256(bo.engine.files().stored(atBo))).isEqualTo(TestFiles.sha256(sent));
        TestEngine.awaitCondition(() -> mailbox.store.envelopeRows() == 0, "Bo's mailbox emptied");
    }

    /**
     * Cy's own honest pieces, once Bo blocked her: her capability is revoked, so Dee, another contact of Bo's with a
     * capability, deposits them (a piece names the offer's sender, not who deposited it). Dropped, though her offer
     * is still in Bo's store.
     */
    @Test
    void theHonestPiecesOfABlockedSenderCompleteNothingWhoeverDepositsThem() throws Exception {
        Path sent = TestFiles.random(temp.resolve("small.bin"), 300 * 1024, 5);
        MessageId id = cy.engine.files().send(new ConversationRef.Direct(bo.peerId()), sent, "", copied -> { });
        MessageRef atBo = new MessageRef(new ConversationRef.Direct(cy.peerId()), cy.peerId(), id);
        bo.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(id));
        List<byte[]> honest = cy.engine.files().mailboxParts(bo.peerId(), id);
        assertThat(honest).isNotEmpty();
        try (TestEngine dee = TestEngine.start(temp, "Dee")) {
            TestEngine.befriend(dee, bo);
            dee.events.await(EngineEvent.ContactMailbox.class, granted -> granted.peer().equals(bo.peerId())
                    && granted.hasMailbox());
            DepositCapability dees = dee.capabilityFrom(bo);
            bo.engine.contacts().block(cy.peerId());
            ContactCard bosCard = bo.engine.card();
            bo.close();
            for (byte[] part : honest) {
                LoopbackMailbox.deposit(dees, MailboxLetter.sealFilePart(bosCard, part));
            }
        }

        bo = bo.restart();
        TestEngine.awaitCondition(() -> mailbox.store.envelopeRows() == 0, "Bo's mailbox emptied");
        assertThat(bo.engine.files().attachment(atBo).map(file -> file.transfer().bytesHeld()))
                .as("nothing of a blocked sender's file kept").isIn(Optional.empty(), Optional.of(0L));
        assertThatThrownBy(() -> bo.engine.files().stored(atBo)).isInstanceOf(EngineException.class);
    }

    /** Cy's honest pieces of a file Bo cancelled: dropped, and the file stays cancelled with nothing of it kept. */
    @Test
    void theHonestPiecesOfACancelledFileBringNothingBack() throws Exception {
        Path sent = TestFiles.random(temp.resolve("small.bin"), 300 * 1024, 7);
        MessageId id = cy.engine.files().send(new ConversationRef.Direct(bo.peerId()), sent, "", copied -> { });
        MessageRef atBo = new MessageRef(new ConversationRef.Direct(cy.peerId()), cy.peerId(), id);
        bo.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(id));
        List<byte[]> honest = cy.engine.files().mailboxParts(bo.peerId(), id);
        bo.engine.files().cancel(atBo);
        ContactCard bosCard = bo.engine.card();
        bo.close();
        for (byte[] part : honest) {
            deposit(bosCard, MailboxFilePart.parseFrom(part));
        }

        bo = bo.restart();
        TestEngine.awaitCondition(() -> mailbox.store.envelopeRows() == 0, "Bo's mailbox emptied");
        FileTransfer transfer = bo.engine.files().attachment(atBo).orElseThrow().transfer();
        assertThat(transfer.state()).isEqualTo(FileTransfer.State.CANCELLED);
        assertThat(transfer.bytesHeld()).isZero();
        assertThatThrownBy(() -> bo.engine.files().stored(atBo)).isInstanceOf(EngineException.class);
    }

    /**
     * Run requests as Bo could write them by hand to Cy, who offered him a file: past the file's end, a count read as
     * negative, a first index read as negative, too many at once. Each is refused as a bad request, and a run within
     * the file comes whole and in order, each chunk under the index asked.
     */
    @Test
    void runRequestsPastTheEndOrOverTheLimitAreRefusedAndARunComesInOrder() throws Exception {
        Path sent = TestFiles.random(temp.resolve("small.bin"), 1024 * 1024 + 5, 6);
        MessageId id = cy.engine.files().send(new ConversationRef.Direct(bo.peerId()), sent, "", copied -> { });
        bo.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(id));
        String conversation = cy.engine.store().conversations().direct(bo.peerId().toBase58()).orElseThrow().id();
        FileOffer offer = FileOffer.parseFrom(cy.engine.store().attachments().get(new MessageKey(conversation,
                cy.peerId().toBase58(), id.toString())).orElseThrow().offer());
        long chunks = (offer.getSize() + offer.getChunkSize() - 1) / offer.getChunkSize();
        assertThat(chunks).as("a file of a few chunks").isGreaterThan(2);

        try (Stream stream = bo.engine.host().connect(cy.peerId()).newStream(FileServer.protocolId())) {
            for (Range bad : List.of(Range.newBuilder().setFirst(chunks - 1).setCount(2).build(),
                    Range.newBuilder().setFirst(0).setCount(-1).build(),
                    Range.newBuilder().setFirst(-1).setCount(1).build(),
                    Range.newBuilder().setFirst(Long.MAX_VALUE).setCount(2).build(),
                    Range.newBuilder().setFirst(0).setCount(65).build())) {
                send(stream, FileRequest.newBuilder().setRoot(offer.getRoot()).setChunks(bad).build());
                FileResponse answer = read(stream);
                assertThat(answer.hasRefused()).as("%s answered %s", bad, answer).isTrue();
                assertThat(answer.getRefused().getReason()).isEqualTo(Refused.Reason.BAD_REQUEST);
            }
            send(stream, FileRequest.newBuilder().setRoot(offer.getRoot()).setChunks(Range.newBuilder()
                    .setFirst(chunks - 3).setCount(3)).build());
            for (long index = chunks - 3; index < chunks; index++) {
                FileResponse answer = read(stream);
                assertThat(answer.hasChunk()).as(answer.getResponseCase().toString()).isTrue();
                assertThat(answer.getChunk().getIndex()).isEqualTo(index);
            }
        }
    }

    private static void send(Stream stream, FileRequest request) throws IOException {
        LengthPrefixed.write(request, 1024, stream.out(), "file request", IOException::new);
        stream.out().flush();
    }

    private static FileResponse read(Stream stream) throws IOException {
        return LengthPrefixed.read(stream.in(), MemoryScope.uncounted(), FileResponse.parser(), 2 << 20,
                "file response", IOException::new);
    }

    private void deposit(ContactCard to, MailboxFilePart piece) throws Exception {
        LoopbackMailbox.deposit(cys, MailboxLetter.sealFilePart(to, piece.toByteArray()));
    }
}
