package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.files.FileLibrary;
import dev.parley.app.engine.files.FileServer;
import dev.parley.app.engine.files.wire.FileProtos.FileRequest;
import dev.parley.app.engine.files.wire.FileProtos.FileResponse;
import dev.parley.app.engine.files.wire.FileProtos.HaveAsk;
import dev.parley.app.engine.files.wire.FileProtos.Range;
import dev.parley.app.engine.files.wire.FileProtos.Refused;
import dev.parley.app.engine.wire.ChatProtos.FileOffer;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.file.FileChunks;
import dev.parley.store.Attachment;
import dev.parley.store.AttachmentState;
import dev.parley.store.MessageKey;
import dev.parley.transport.Stream;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.memory.MemoryScope;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Review 23b: a hostile sender against what a receiver does by itself (the auto-download of pictures) and against
 * where and under what name a received file is saved (app/README.md, "Files" and "Files: names and images"). Alice's
 * hostile offers reuse the root and key of a file she sent honestly, as a modified Parley would, so each can be
 * fetched whole.
 */
class FileSecondReviewTest extends FileOffersTest {

    /**
     * "Pictures up to 8 MiB ... are fetched as soon as their offer arrives; anything else ... waits for the user": an
     * offer's media type is the sender's word, so 200 KB of noise called {@code cat.png}, {@code image/png}, would be
     * fetched by itself. A real picture sent after it is the mark: its fetch takes round trips on the network, the
     * decision on the noise a read of the store.
     */
    @Test
    void aFileThatIsNoPictureIsNotFetchedByItselfBecauseItsOfferSaysImage() throws Exception {
        MessageId honest = alice.engine.files().send(direct(bob), TestFiles.random(temp.resolve("blob.bin"), 200_000,
                1), "", copied -> { });
        MessageRef honestAtBob = received(honest);
        assertThat(bob.engine.files().attachment(honestAtBob).orElseThrow().transfer().state())
                .isEqualTo(FileTransfer.State.OFFERED);
        MessageRef lie = sendOffer(alice.offerSent(bob.peerId(), honest).toBuilder().setName("cat.png")
                .setMediaType("image/png").build());

        MessageRef mark = received(alice.engine.files().send(direct(bob), picture("mark.png"), "", copied -> { }));
        awaitState(mark, FileTransfer.State.COMPLETE);

        assertThat(bob.events.all(EngineEvent.FileProgress.class)).as("what Bob's engine did of the noise by itself")
                .noneMatch(progress -> progress.message().equals(lie));
        assertThat(bob.engine.files().attachment(lie).orElseThrow().transfer().state())
                .isEqualTo(FileTransfer.State.OFFERED);
    }

    /** A "picture" of 2 GiB under the root of a small one: the size in the offer decides, and it waits. */
    @Test
    void aPictureOfferOfTwoGibibytesWaitsForTheUser() throws Exception {
        MessageId honest = alice.engine.files().send(direct(bob), picture("small.png"), "", copied -> { });
        MessageRef honestAtBob = received(honest);
        awaitState(honestAtBob, FileTransfer.State.COMPLETE);
        MessageRef huge = sendOffer(alice.offerSent(bob.peerId(), honest).toBuilder().setName("huge.png")
                .setSize(2L << 30).build());

        MessageRef mark = received(alice.engine.files().send(direct(bob), picture("mark.png"), "", copied -> { }));
        awaitState(mark, FileTransfer.State.COMPLETE);

        assertThat(bob.events.all(EngineEvent.FileProgress.class)).noneMatch(progress ->
                progress.message().equals(huge));
        assertThat(bob.engine.files().attachment(huge).orElseThrow().transfer().state())
                .isEqualTo(FileTransfer.State.OFFERED);
    }

    /**
     * Names that differ only in case or in Unicode normalisation, very long ones, device names, bidi controls and
     * isolates, NUL, dots alone: saved twice each with {@code saveIn} (what the CLI's {@code /save N DIR} and the
     * app's Save do), each lands in the folder as a file of its own, never over another, within 200 bytes.
     */
    @Test
    void hostileNamesSavedTwiceEachLandInTheFolderAsFilesOfTheirOwn() throws Exception {
        MessageId honest = alice.engine.files().send(direct(bob), TestFiles.random(temp.resolve("notes.bin"), 1000,
                2), "", copied -> { });
        received(honest);
        FileOffer real = alice.offerSent(bob.peerId(), honest);
        Path downloads = Files.createDirectories(temp.resolve("downloads"));
        List<String> hostile = List.of("café.txt", "cafe\u0301.txt", "Report.txt", "report.txt", "REPORT.TXT",
                "a".repeat(300) + ".txt", "\uD83D\uDE00".repeat(100) + ".exe", "LPT\u00B9.txt", "con .txt", "nul",
                "..", ".", "...", "", "photo\u202Egpj.exe", "photo\u2066gpj\u2069.exe", "evil\u0000.txt",
                "a/../../b.txt", "..\\..\\c.txt");
        List<Path> saved = new ArrayList<>();
        for (String name : hostile) {
            MessageRef atBob = sendOffer(real.toBuilder().setName(name).build());
            bob.engine.files().download(atBob);
            awaitState(atBob, FileTransfer.State.COMPLETE);
            for (int time = 0; time < 2; time++) {
                Path path = bob.engine.files().saveIn(atBob, downloads);
                String fileName = path.getFileName().toString();
                assertThat(path.getParent()).as(name).isEqualTo(downloads);
                assertThat(fileName.getBytes(StandardCharsets.UTF_8).length).as(name).isLessThanOrEqualTo(200);
                assertThat(Normalizer.isNormalized(fileName, Normalizer.Form.NFC)).as(name).isTrue();
                assertThat(fileName).as(name).doesNotContain("\u202E", "\u2066", "\u0000", "/", "\\")
                        .doesNotStartWith(".").isNotEqualToIgnoringCase("nul").isNotEqualToIgnoringCase("con .txt");
                assertThat(saved).as(name).doesNotContain(path);
                saved.add(path);
            }
        }
        try (var listed = Files.list(downloads)) {
            assertThat(listed.count()).isEqualTo(2L * hostile.size());
        }
        try (var listed = Files.list(temp)) {
            assertThat(listed.map(path -> path.getFileName().toString())).doesNotContain("b.txt", "c.txt");
        }
    }

    /**
     * A name that hides its extension behind characters that show as nothing: "invoice.pdf", 80 blanks (ideographic
     * spaces, Hangul fillers, braille blanks, all letters or symbols to Unicode, none a control or format character),
     * then ".exe". Shown in a list or a card narrower than the name it reads "invoice.pdf", and it runs as a program.
     */
    @Test
    void aNameCannotHideItsExtensionBehindCharactersThatShowAsNothing() throws Exception {
        MessageId honest = alice.engine.files().send(direct(bob), TestFiles.random(temp.resolve("notes.bin"), 1000,
                3), "", copied -> { });
        received(honest);
        FileOffer real = alice.offerSent(bob.peerId(), honest);
        for (String blank : List.of("\u3000", "\u3164", "\u2800", "\u2008", " ")) {
            String offered = "invoice.pdf" + blank.repeat(80) + ".exe";
            MessageRef atBob = sendOffer(real.toBuilder().setName(offered).build());
            String shown = bob.engine.files().attachment(atBob).orElseThrow().name();
            assertThat(shown.indexOf(".exe")).as("where .exe starts in the name shown for U+%04X",
                    (int) blank.charAt(0))
                    .isLessThan("invoice.pdf".length() + 4);
        }
    }

    /**
     * A member removed from a room asks another member, who holds the room's file whole, for it by the root it learnt
     * while a member: the holder checks the room as it stands at its end (review 23a tried the sender only).
     */
    @Test
    void aRemovedMemberAskingAnotherMemberForTheRoomsFileGetsNothing() throws Exception {
        try (TestEngine carol = TestEngine.start(temp, "Carol"); TestEngine dave = TestEngine.start(temp, "Dave")) {
            RoomId room = RoomChatTest.roomOf(carol, List.of(alice, bob, dave));
            MessageId id = alice.engine.files().send(new ConversationRef.Room(room), TestFiles.random(
                    temp.resolve("minutes.bin"), 3L * FileChunks.CHUNK_SIZE, 4), "", copied -> { });
            MessageRef offer = new MessageRef(new ConversationRef.Room(room), alice.peerId(), id);
            dave.events.await(EngineEvent.RoomMessageReceived.class, event -> event.message().id().equals(id));
            ByteString root = FileOffer.parseFrom(dave.engine.store().attachments().inState(AttachmentState.OFFERED)
                    .getFirst().offer()).getRoot();
            bob.events.await(EngineEvent.RoomMessageReceived.class, event -> event.message().id().equals(id));
            bob.engine.files().download(offer);
            awaitState(offer, FileTransfer.State.COMPLETE);

            carol.engine.rooms().remove(room, dave.peerId());
            RoomChatTest.await(() -> !bob.engine.rooms().get(room).orElseThrow().members().contains(dave.peerId()),
                    () -> "Bob sees " + bob.engine.rooms().get(room));
            long servedBefore = bob.engine.fileBytesServed();
            dave.engine.host().addressBook().add(bob.peerId(), bob.engine.listenAddresses());
            try (Stream stream = dave.engine.host().connect(bob.peerId()).newStream(FileServer.protocolId())) {
                for (FileRequest request : List.of(
                        FileRequest.newBuilder().setRoot(root).setHave(HaveAsk.getDefaultInstance()).build(),
                        FileRequest.newBuilder().setRoot(root).setChunks(Range.newBuilder().setFirst(0).setCount(3))
                                .setLastResort(true).build())) {
                    FileResponse response = ask(stream, request);
                    assertThat(response.getRefused().getReason()).as(request.getAskCase().toString())
                            .isEqualTo(Refused.Reason.UNKNOWN_FILE);
                }
            }
            assertThat(bob.engine.fileBytesServed()).isEqualTo(servedBefore);
        }
    }

    /**
     * A picture dropped or pasted to send is a stranger's too (a download, an attachment): a PNG whose header declares
     * 30,000 × 30,000 pixels in 1 bit of gray, its pixels all there (110 KiB of deflated zeros, 112 MB inflated), goes
     * as a file without a thumbnail, and making the offer allocates nothing near its pixels (900 MB as 8-bit gray).
     */
    @Test
    void aPictureBombSentGoesAsAFileWithoutAThumbnailAndCostsNothingNearItsPixels() throws Exception {
        Path bomb = temp.resolve("bomb.png");
        Files.write(bomb, grayPng(30_000, 30_000));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        MessageId id = alice.engine.files().send(direct(bob), bomb, "", copied -> { });
        assertThat(threads.getCurrentThreadAllocatedBytes() - allocatedBefore).as("bytes allocated to send it")
                .isLessThan(64L << 20);
        MessageRef atBob = received(id);
        assertThat(bob.engine.files().attachment(atBob).orElseThrow().thumbnail()).isEmpty();
    }

    /**
     * Review 23a bounded what a stranger's request costs; a contact's costs the leaf hashes of the file it names, read
     * from the store for each stream that names it and held while the stream is open. Bob offered Alice a file of
     * 2^20 chunks of 16 KiB, and she fetched its leaves (32 MiB) and paused; 16 streams of Bob's, each asking once
     * which chunks she has, then make her hold 16 copies of them.
     */
    @Test
    void aContactsOpenStreamsDoNotEachHoldTheLeafHashesOfTheFileTheyName() throws Exception {
        long chunks = 1L << 20;
        Random random = new Random(12);
        byte[] root = new byte[32];
        random.nextBytes(root);
        byte[] key = new byte[32];
        random.nextBytes(key);
        FileOffer film = FileOffer.newBuilder().setName("film.mkv").setSize(chunks * FileChunks.MIN_CHUNK_SIZE)
                .setChunkSize(FileChunks.MIN_CHUNK_SIZE).setRoot(ByteString.copyFrom(root))
                .setKey(ByteString.copyFrom(key)).build();
        String conversation = alice.engine.store().conversations().direct(bob.peerId().toBase58()).orElseThrow().id();
        MessageKey message = new MessageKey(conversation, bob.peerId().toBase58(), MessageId.random().toString());
        alice.engine.store().attachments().offer(new Attachment(message, root, film.toByteArray(), film.getSize(),
                chunks, Optional.of(new byte[(int) chunks * 32]), new byte[(int) chunks / 8], AttachmentState.PAUSED,
                Optional.empty()));
        new FileLibrary(alice.profile).openPartial(message).close();

        long before = heapUsedAfterCollection();
        List<Stream> streams = new ArrayList<>();
        try {
            for (int stream = 0; stream < 16; stream++) {
                Stream opened = bob.engine.host().connect(alice.peerId()).newStream(FileServer.protocolId());
                streams.add(opened);
                FileResponse answer = ask(opened, FileRequest.newBuilder().setRoot(ByteString.copyFrom(root))
                        .setHave(HaveAsk.getDefaultInstance()).build());
                assertThat(answer.hasHave()).as(answer.toString()).isTrue();
            }
            assertThat(heapUsedAfterCollection() - before).as("heap held while Bob's 16 streams are open")
                    .isLessThan(128L << 20);
        } finally {
            streams.forEach(Stream::close);
        }
    }

    private static long heapUsedAfterCollection() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Sends {@code request} on a file stream and reads the first answer. */
    private static FileResponse ask(Stream stream, FileRequest request) throws IOException {
        LengthPrefixed.write(request, 1024, stream.out(), "file request", IOException::new);
        stream.out().flush();
        return LengthPrefixed.read(stream.in(), MemoryScope.uncounted(), FileResponse.parser(), 2 << 20,
                "file response", IOException::new);
    }

    /** A 1-bit gray PNG of {@code width} × {@code height}, every pixel black, compressed as a real encoder would. */
    private static byte[] grayPng(int width, int height) throws IOException {
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflating = new DeflaterOutputStream(zlib, new Deflater(9))) {
            byte[] row = new byte[1 + (width + 7) / 8];
            for (int y = 0; y < height; y++) {
                deflating.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 1).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        TestFiles.pngChunk(png, "IHDR", header.array());
        TestFiles.pngChunk(png, "IDAT", zlib.toByteArray());
        TestFiles.pngChunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private Path picture(String name) throws Exception {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, x * 4 << 16 | y * 5 << 8 | name.length() * 9);
            }
        }
        Path file = temp.resolve(name);
        assertThat(ImageIO.write(image, "png", file.toFile())).isTrue();
        return file;
    }
}
