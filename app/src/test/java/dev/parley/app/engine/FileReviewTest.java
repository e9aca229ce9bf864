package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.FileAttachment;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.files.FileServer;
import dev.parley.app.engine.files.wire.FileProtos.FileRequest;
import dev.parley.app.engine.files.wire.FileProtos.FileResponse;
import dev.parley.app.engine.files.wire.FileProtos.Have;
import dev.parley.app.engine.files.wire.FileProtos.HaveAsk;
import dev.parley.app.engine.files.wire.FileProtos.Range;
import dev.parley.app.engine.files.wire.FileProtos.Refused;
import dev.parley.app.engine.wire.ChatProtos.FileOffer;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.file.FileChunks;
import dev.parley.store.Attachment;
import dev.parley.store.AttachmentState;
import dev.parley.store.MessageKey;
import dev.parley.transport.Stream;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.memory.MemoryScope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review of issue 23 (app/README.md, "Files"): a hostile contact or room member against the file transfer's
 * promises. Each test is an attack; one that breaks a promise today is disabled with what breaks, for the fix.
 */
class FileReviewTest {
    private static final int CHUNK = FileChunks.CHUNK_SIZE;

    @TempDir
    Path temp;
    private final List<TestEngine> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(TestEngine::close);
    }

    @Test
    void aContactBlockedWhileItsStreamIsOpenFetchesNothingMore() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine.befriend(alice, bob);
        MessageId id = alice.engine.files().send(new ConversationRef.Direct(bob.peerId()),
                randomFile("private.bin", 3L * CHUNK, 1), "", copied -> { });
        bob.events.await(EngineEvent.MessageReceived.class, event -> event.message().id().equals(id));
        ByteString root = sentBy(alice).getRoot();

        assertNoChunkAfter(alice, bob, root, () -> alice.engine.contacts().block(bob.peerId()));
    }

    @Test
    void aMemberRemovedWhileItsStreamIsOpenFetchesNothingMore() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = RoomChatTest.roomOf(alice, List.of(bob, carol));
        MessageId id = alice.engine.files().send(new ConversationRef.Room(room),
                randomFile("minutes.bin", 3L * CHUNK, 2), "", copied -> { });
        bob.events.await(EngineEvent.RoomMessageReceived.class, event -> event.message().id().equals(id));
        ByteString root = sentBy(alice).getRoot();

        assertNoChunkAfter(alice, bob, root, () -> alice.engine.rooms().remove(room, bob.peerId()));
    }

    @Test
    void aRemovedMemberAskingOnANewStreamLearnsNothing() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        RoomId room = RoomChatTest.roomOf(alice, List.of(bob, carol));
        MessageId id = alice.engine.files().send(new ConversationRef.Room(room),
                randomFile("minutes.bin", 3L * CHUNK, 2), "", copied -> { });
        bob.events.await(EngineEvent.RoomMessageReceived.class, event -> event.message().id().equals(id));
        ByteString root = sentBy(alice).getRoot();
        alice.engine.rooms().remove(room, bob.peerId());

        try (Stream stream = bob.engine.host().connect(alice.peerId()).newStream(FileServer.protocolId())) {
            for (FileRequest request : List.of(have(root), chunks(root, 0, 3, true))) {
                assertThat(ask(stream, request).getRefused().getReason()).as(request.getAskCase().toString())
                        .isEqualTo(Refused.Reason.UNKNOWN_FILE);
            }
        }
        assertThat(alice.engine.fileBytesServed()).isZero();
    }

    @Test
    void aFileDeletedWhileAStreamIsOpenIsServedNoMore() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine.befriend(alice, bob);
        MessageId id = alice.engine.files().send(new ConversationRef.Direct(bob.peerId()),
                randomFile("regret.bin", 3L * CHUNK, 7), "", copied -> { });
        bob.events.await(EngineEvent.MessageReceived.class, event -> event.message().id().equals(id));
        ByteString root = sentBy(alice).getRoot();
        MessageRef sent = new MessageRef(new ConversationRef.Direct(bob.peerId()), alice.peerId(), id);
        Path copy = alice.engine.files().stored(sent);

        assertNoChunkAfter(alice, bob, root, () -> {
            alice.engine.actions().deleteForEveryone(sent);
            TestEngine.awaitCondition(() -> !Files.exists(copy), "Alice's copy deleted with her message");
        });
    }

    @Test
    void aThumbnailThatDecodesToAHugePictureIsNotPassedOn() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine.befriend(alice, bob);
        MessageId honest = alice.engine.files().send(new ConversationRef.Direct(bob.peerId()),
                randomFile("photo.bin", 1000, 8), "", copied -> { });
        bob.events.await(EngineEvent.MessageReceived.class, event -> event.message().id().equals(honest));
        byte[] bomb = blankPng(10_000);
        assertThat(bomb.length).isLessThanOrEqualTo(16 * 1024);

        int before = bob.events.all(EngineEvent.MessageReceived.class).size();
        alice.outgoing().queue(bob.engine.card(), EnvelopeKind.TEXT, Text.newBuilder().setFile(sentBy(alice)
                .toBuilder().setMediaType("image/png").setThumbnail(ByteString.copyFrom(bomb))
                .setThumbnailType("image/png").setWidth(10_000).setHeight(10_000)).build().toByteArray());
        MessageId id = bob.events.await(EngineEvent.MessageReceived.class, before + 1).get(before).message().id();
        Optional<FileAttachment.Thumbnail> shown = bob.engine.files().attachment(new MessageRef(
                new ConversationRef.Direct(alice.peerId()), alice.peerId(), id)).orElseThrow().thumbnail();
        shown.ifPresent(thumbnail -> {
            ByteBuffer header = ByteBuffer.wrap(thumbnail.bytes());
            assertThat(Math.max(header.getInt(16), header.getInt(20))).as("the thumbnail's longer side")
                    .isLessThanOrEqualTo(320);
        });
    }

    @Test
    void aMemberAskingAsALastResortAgainAndAgainCannotMakeTheSenderUploadTheFileManyTimes() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine mallory = start("Mallory");
        RoomId room = RoomChatTest.roomOf(alice, List.of(mallory));
        int chunks = 4;
        MessageId id = alice.engine.files().send(new ConversationRef.Room(room),
                randomFile("film.bin", (long) chunks * CHUNK, 3), "", copied -> { });
        mallory.events.await(EngineEvent.RoomMessageReceived.class, event -> event.message().id().equals(id));
        ByteString root = sentBy(alice).getRoot();
        long sealedSize = (long) chunks * (CHUNK + FileChunks.TAG_SIZE);

        try (Stream stream = mallory.engine.host().connect(alice.peerId()).newStream(FileServer.protocolId())) {
            for (int round = 0; round < 10; round++) {
                write(stream, chunks(root, 0, chunks, true));
                for (int chunk = 0; chunk < chunks; chunk++) {
                    read(stream);
                }
            }
        }
        assertThat(alice.engine.fileBytesServed()).as("Alice's uplink for one member asking 10 times")
                .isLessThan(sealedSize * 3 / 2);
    }

    @Test
    void aMemberClaimingChunksItNeverServesCannotStarveAnother() throws Exception {
        RoomFile file = roomFileMalloryTookFromAlice();
        // Mallory tells Bob she has every chunk, and serves none.
        file.mallory().engine.host().setHandler(FileServer.protocolId(), FileReviewTest::claimEverythingServeNothing);
        file.assertBobFetchesItWhole();
    }

    @Test
    void aMemberThatTookChunksAndHoldsNoneLetsTheOthersAskTheSenderAsALastResort() throws Exception {
        // Mallory's own Parley says it holds nothing of what she took.
        roomFileMalloryTookFromAlice().assertBobFetchesItWhole();
    }

    @Test
    void aContactAskingForAFileOfferedInAnotherConversationLearnsNothing() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine carol = start("Carol");
        TestEngine.befriend(alice, bob);
        TestEngine.befriend(alice, carol);
        MessageId id = alice.engine.files().send(new ConversationRef.Direct(carol.peerId()),
                randomFile("for-carol.bin", 2L * CHUNK, 6), "", copied -> { });
        carol.events.await(EngineEvent.MessageReceived.class, event -> event.message().id().equals(id));
        ByteString root = sentBy(alice).getRoot();

        try (Stream stream = bob.engine.host().connect(alice.peerId()).newStream(FileServer.protocolId())) {
            for (FileRequest request : List.of(have(root), chunks(root, 0, 2, true),
                    FileRequest.newBuilder().setRoot(root).setLeaves(Range.newBuilder().setCount(2)).build())) {
                assertThat(ask(stream, request).getRefused().getReason()).as(request.getAskCase().toString())
                        .isEqualTo(Refused.Reason.UNKNOWN_FILE);
            }
        }
        assertThat(alice.engine.fileBytesServed()).isZero();
    }

    @Test
    void aStrangerAskingByTheRootOfALargeFileCostsUsLittle() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine.befriend(alice, bob);
        MessageId first = alice.engine.files().send(new ConversationRef.Direct(bob.peerId()),
                randomFile("hello.txt", 10, 9), "", copied -> { });
        bob.events.await(EngineEvent.MessageReceived.class, event -> event.message().id().equals(first));
        // Bob offered Alice a film of 2^20 chunks of 16 KiB; she fetched its leaves and paused.
        long chunks = 1L << 20;
        Random random = new Random(10);
        byte[] root = new byte[32];
        random.nextBytes(root);
        byte[] key = new byte[32];
        random.nextBytes(key);
        FileOffer film = FileOffer.newBuilder().setName("film.mkv").setSize(chunks * FileChunks.MIN_CHUNK_SIZE)
                .setChunkSize(FileChunks.MIN_CHUNK_SIZE).setRoot(ByteString.copyFrom(root))
                .setKey(ByteString.copyFrom(key)).build();
        String conversation = alice.engine.store().conversations().direct(bob.peerId().toBase58()).orElseThrow()
                .id();
        alice.engine.store().attachments().offer(new Attachment(new MessageKey(conversation, bob.peerId()
                .toBase58(), "01a252bfbf6016b334fd3a531c60e5f5"), root, film.toByteArray(), film.getSize(), chunks,
                Optional.of(new byte[(int) chunks * 32]), new byte[(int) chunks / 8], AttachmentState.PAUSED,
                Optional.empty()));

        TestEngine eve = start("Eve");
        eve.engine.host().addressBook().add(alice.peerId(), alice.engine.listenAddresses());
        try (Stream stream = eve.engine.host().connect(alice.peerId()).newStream(FileServer.protocolId())) {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long allocatedBefore = threads.getTotalThreadAllocatedBytes();
            for (int request = 0; request < 20; request++) {
                assertThat(ask(stream, have(ByteString.copyFrom(root))).getRefused().getReason())
                        .isEqualTo(Refused.Reason.UNKNOWN_FILE);
            }
            assertThat(threads.getTotalThreadAllocatedBytes() - allocatedBefore)
                    .as("bytes this JVM allocated while Alice refused Eve 20 times").isLessThan(64L << 20);
        }
    }

    @Test
    void cancellingAnotherOfferOfTheSameRootKeepsAPausedFetchsChunks() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine.befriend(alice, bob);
        Path sent = randomFile("big.bin", 32L * 1024 * 1024, 5);
        MessageId id = alice.engine.files().send(new ConversationRef.Direct(bob.peerId()), sent, "", copied -> { });
        bob.events.await(EngineEvent.MessageReceived.class, event -> event.message().id().equals(id));
        MessageRef original = new MessageRef(new ConversationRef.Direct(alice.peerId()), alice.peerId(), id);
        pauseAtFirstBytes(bob, original);
        bob.engine.files().download(original);
        FileTransfer paused = bob.events.await(EngineEvent.FileProgress.class, progress -> progress.message()
                .equals(original) && progress.transfer().state() == FileTransfer.State.PAUSED).transfer();
        assertThat(paused.bytesHeld()).isPositive();

        // The same offer again, as any contact who saw it can send it; Bob gives that one up.
        int before = bob.events.all(EngineEvent.MessageReceived.class).size();
        alice.outgoing().queue(bob.engine.card(), EnvelopeKind.TEXT,
                Text.newBuilder().setBody("again").setFile(sentBy(alice)).build().toByteArray());
        MessageId again = bob.events.await(EngineEvent.MessageReceived.class, before + 1).get(before).message().id();
        bob.engine.files().cancel(new MessageRef(new ConversationRef.Direct(alice.peerId()), alice.peerId(), again));

        bob.engine.files().download(original);
        bob.events.await(EngineEvent.FileProgress.class, progress -> progress.message().equals(original)
                && progress.transfer().state() == FileTransfer.State.COMPLETE);
        assertThat(sha256(bob.engine.files().stored(original))).isEqualTo(sha256(sent));
    }

    /** Alice's file in a room with Bob and Mallory, and Bob's reference to its message. */
    private record RoomFile(TestEngine alice, TestEngine bob, TestEngine mallory, Path sent, MessageRef atBob) {
        void assertBobFetchesItWhole() throws Exception {
            bob.engine.files().download(atBob);
            // Through the sender as a last resort, which Bob asks only once no member had a chunk for 10 s.
            bob.events.await(EngineEvent.FileProgress.class, progress -> progress.message().equals(atBob)
                    && progress.transfer().state() == FileTransfer.State.COMPLETE, Duration.ofSeconds(90));
            assertThat(sha256(bob.engine.files().stored(atBob))).isEqualTo(sha256(sent));
        }
    }

    /**
     * Alice offers a file of 4 chunks in a room with Bob and Mallory, and Mallory takes every chunk from her once
     * (keeping none), so that Alice refuses them to Bob as given to another member.
     */
    private RoomFile roomFileMalloryTookFromAlice() throws Exception {
        TestEngine alice = start("Alice");
        TestEngine bob = start("Bob");
        TestEngine mallory = start("Mallory");
        RoomId room = RoomChatTest.roomOf(alice, List.of(bob, mallory));
        int chunks = 4;
        Path sent = randomFile("talk.bin", (long) chunks * CHUNK, 4);
        MessageId id = alice.engine.files().send(new ConversationRef.Room(room), sent, "", copied -> { });
        bob.events.await(EngineEvent.RoomMessageReceived.class, event -> event.message().id().equals(id));
        mallory.events.await(EngineEvent.RoomMessageReceived.class, event -> event.message().id().equals(id));
        ByteString root = sentBy(alice).getRoot();
        try (Stream stream = mallory.engine.host().connect(alice.peerId()).newStream(FileServer.protocolId())) {
            write(stream, chunks(root, 0, chunks, false));
            for (int chunk = 0; chunk < chunks; chunk++) {
                assertThat(read(stream).hasChunk()).isTrue();
            }
        }
        return new RoomFile(alice, bob, mallory, sent,
                new MessageRef(new ConversationRef.Room(room), alice.peerId(), id));
    }

    /**
     * Bob opens a file stream to Alice and learns that she holds the file of {@code root}; then {@code change}
     * happens, after which Alice is to serve Bob nothing of it on that stream (closing it will do).
     */
    private static void assertNoChunkAfter(TestEngine alice, TestEngine bob, ByteString root, Change change)
            throws Exception {
        try (Stream stream = bob.engine.host().connect(alice.peerId()).newStream(FileServer.protocolId())) {
            assertThat(ask(stream, have(root)).hasHave()).as("offered to Bob before the change").isTrue();
            change.happen();
            long servedBefore = alice.engine.fileBytesServed();
            Optional<FileResponse> after = askOrClosed(stream, chunks(root, 0, 3, true));
            assertThat(after.map(FileResponse::hasChunk)).as("a chunk served after the change").isNotEqualTo(
                    Optional.of(true));
            assertThat(alice.engine.fileBytesServed()).isEqualTo(servedBefore);
        }
    }

    /** What happens to the file or to Bob between two requests of his stream. */
    @FunctionalInterface
    private interface Change {
        void happen() throws Exception;
    }

    /** A 1-bit gray PNG of {@code side} x {@code side} blank pixels, compressed as far as deflate goes. */
    private static byte[] blankPng(int side) throws IOException {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(pixels, new Deflater(Deflater.BEST_COMPRESSION))) {
            byte[] row = new byte[1 + (side + 7) / 8];
            for (int y = 0; y < side; y++) {
                out.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        TestFiles.pngChunk(png, "IHDR", ByteBuffer.allocate(13).putInt(side).putInt(side).put((byte) 1).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        TestFiles.pngChunk(png, "IDAT", pixels.toByteArray());
        TestFiles.pngChunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** A hostile member's file server: no leaves, every chunk in its Have, and every chunk asked refused. */
    private static void claimEverythingServeNothing(Stream stream) throws IOException {
        while (true) {
            Optional<FileRequest> request = LengthPrefixed.readOrEnd(stream.in(), MemoryScope.uncounted(),
                    FileRequest.parser(), 1024, "file request", IOException::new);
            if (request.isEmpty()) {
                return;
            }
            switch (request.get().getAskCase()) {
                case HAVE -> respond(stream, FileResponse.newBuilder().setHave(Have.newBuilder()
                        .setBits(ByteString.copyFrom(new byte[] {(byte) 0xff}))).build());
                case CHUNKS -> {
                    for (int chunk = 0; chunk < request.get().getChunks().getCount(); chunk++) {
                        respond(stream, refused(Refused.Reason.NOT_HELD));
                    }
                }
                default -> respond(stream, refused(Refused.Reason.NOT_HELD));
            }
        }
    }

    private static FileResponse refused(Refused.Reason reason) {
        return FileResponse.newBuilder().setRefused(Refused.newBuilder().setReason(reason)).build();
    }

    private static void respond(Stream stream, FileResponse response) throws IOException {
        LengthPrefixed.write(response, 2 << 20, stream.out(), "file response", IOException::new);
        stream.out().flush();
    }

    /** Pauses the first fetch of {@code message} as soon as its first bytes are told; later fetches go on. */
    private static void pauseAtFirstBytes(TestEngine receiver, MessageRef message) {
        AtomicBoolean paused = new AtomicBoolean();
        receiver.engine.subscribe(event -> {
            if (event instanceof EngineEvent.FileProgress progress && progress.message().equals(message)
                    && progress.transfer().state() == FileTransfer.State.FETCHING
                    && progress.transfer().bytesHeld() > 0 && !paused.getAndSet(true)) {
                try {
                    receiver.engine.files().pause(message);
                } catch (EngineException e) {
                    throw new AssertionError(e);
                }
            }
        });
    }

    /** The offer of the one file {@code sender} sent. */
    private static FileOffer sentBy(TestEngine sender) throws IOException {
        List<Attachment> sent = sender.engine.store().attachments().inState(AttachmentState.COMPLETE);
        assertThat(sent).hasSize(1);
        return FileOffer.parseFrom(sent.get(0).offer());
    }

    private static FileRequest have(ByteString root) {
        return FileRequest.newBuilder().setRoot(root).setHave(HaveAsk.getDefaultInstance()).build();
    }

    private static FileRequest chunks(ByteString root, long first, int count, boolean lastResort) {
        return FileRequest.newBuilder().setRoot(root).setChunks(Range.newBuilder().setFirst(first).setCount(count))
                .setLastResort(lastResort).build();
    }

    private static FileResponse ask(Stream stream, FileRequest request) throws IOException {
        write(stream, request);
        return read(stream);
    }

    /** The first answer to {@code request}, or empty when the holder closed the stream instead. */
    private static Optional<FileResponse> askOrClosed(Stream stream, FileRequest request) {
        try {
            return Optional.of(ask(stream, request));
        } catch (IOException closed) {
            return Optional.empty();
        }
    }

    private static void write(Stream stream, FileRequest request) throws IOException {
        LengthPrefixed.write(request, 1024, stream.out(), "file request", IOException::new);
        stream.out().flush();
    }

    private static FileResponse read(Stream stream) throws IOException {
        return LengthPrefixed.read(stream.in(), MemoryScope.uncounted(), FileResponse.parser(), 2 << 20,
                "file response", IOException::new);
    }

    private TestEngine start(String name) throws IOException {
        TestEngine engine = TestEngine.start(temp, name);
        started.add(engine);
        return engine;
    }

    private Path randomFile(String name, long size, long seed) throws IOException {
        Path file = temp.resolve(name);
        Random random = new Random(seed);
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return file;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
