package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.wire.ChatProtos.ChatFrame;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a stranger can cost a profile (app/README.md, "Requests and rates"): its request keeps at most
 * {@link RequestQuota#MAX_MESSAGES} messages and {@link RequestQuota#MAX_BODY_BYTES} of text until the user accepts;
 * the rest is acknowledged, dropped and counted; made-up PeerIds make at most
 * {@link RequestQuota#MAX_PENDING_REQUESTS} requests. Real engines (and, for the many strangers, bare libp2p hosts
 * that speak the chat protocol) on loopback, with their SQLite files.
 */
class StrangerQuotaTest extends TwoContactsTest {
    private static final int FLOOD = 300;
    private static final int CHARACTERS = 60_000;
    /**
     * The profile's database may grow by the quota's text and its search index (the flood's text is 60,000 characters
     * of distinct words, so each message adds thousands of terms); measured with the WAL folded back in.
     */
    private static final long MAX_GROWTH = 4 * RequestQuota.MAX_BODY_BYTES;

    private final List<Host> strangers = new ArrayList<>();

    @AfterEach
    void stopStrangers() {
        strangers.forEach(Host::close);
    }

    @Test
    void aFloodOf300LongMessagesKeepsOnlyTheQuotaWhileAContactChatsAndAfterAcceptNewOnesArrive() throws Exception {
        try (TestEngine mallory = TestEngine.start(temp, "Mallory")) {
            mallory.engine.contacts().add(bob.engine.invite());
            long before = checkpointedBytes(bob);
            String text = longText();

            List<CompletableFuture<MessageId>> flood = new ArrayList<>();
            List<String> aliceSaid = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                flood.add(mallory.engine.chat().sendAsync(bob.peerId(),
                        i + " " + text.substring(String.valueOf(i).length() + 1)));
                if (i % 30 == 0) {
                    aliceSaid.add("Alice, during the flood, " + i);
                    alice.engine.chat().send(bob.peerId(), aliceSaid.getLast());
                }
            }
            flood.forEach(CompletableFuture::join);
            mallory.events.await(EngineEvent.Delivered.class, FLOOD, Duration.ofMinutes(2));
            mallory.awaitOutboxEmptyFor(bob.peerId());

            int kept = (int) (RequestQuota.MAX_BODY_BYTES / CHARACTERS);
            long dropped = FLOOD - kept;
            long live = profileBytes(bob);
            long grown = checkpointedBytes(bob) - before;
            System.out.printf("Bob's database grew by %,d bytes (the profile's files, WAL included, were %,d bytes"
                    + " before it was checkpointed), with %d of %d messages of %,d characters kept (MAX_GROWTH %,d)%n",
                    grown, live, kept, FLOOD, CHARACTERS, MAX_GROWTH);
            assertThat(bob.engine.history().newest(mallory.peerId(), 1_000).messages()).hasSize(kept)
                    .allSatisfy(message -> assertThat(message.text()).hasSize(CHARACTERS));
            assertThat(grown).isLessThan(MAX_GROWTH);
            ContactInfo request = bob.engine.contacts().requests().getFirst();
            assertThat(request.peer()).isEqualTo(mallory.peerId());
            assertThat(request.droppedMessages()).isEqualTo(dropped);
            bob.events.await(EngineEvent.RequestMessagesDropped.class, event -> event.dropped() == dropped);
            assertThat(bob.events.all(EngineEvent.RequestMessagesDropped.class)).as("a burst is reported at once")
                    .hasSizeLessThan((int) dropped / 2);

            bob.events.await(EngineEvent.MessageReceived.class,
                    received -> received.message().text().equals(aliceSaid.getLast()));
            assertThat(bob.events.all(EngineEvent.MessageReceived.class))
                    .filteredOn(received -> received.message().peer().equals(alice.peerId()))
                    .extracting(received -> received.message().text()).containsExactlyElementsOf(aliceSaid);
            bob.engine.chat().send(alice.peerId(), "the flood did not stop us");
            alice.events.await(EngineEvent.MessageReceived.class,
                    received -> received.message().text().equals("the flood did not stop us"));

            assertThat(bob.engine.contacts().accept(mallory.peerId()).droppedMessages()).isZero();
            mallory.engine.chat().send(bob.peerId(), "after accepting " + text.substring(16));
            for (int i = 0; i < RequestQuota.MAX_MESSAGES; i++) {
                mallory.engine.chat().send(bob.peerId(), "and on " + i);
            }
            bob.events.await(EngineEvent.MessageReceived.class,
                    received -> received.message().text().equals("and on " + (RequestQuota.MAX_MESSAGES - 1)));
            assertThat(bob.engine.history().newest(mallory.peerId(), 1_000).messages())
                    .hasSize(kept + 1 + RequestQuota.MAX_MESSAGES);
        }
    }

    @Test
    void neitherReconnectingNorOurRestartGivesAStrangerANewQuota() throws Exception {
        try (TestEngine mallory = TestEngine.start(temp, "Mallory")) {
            mallory.engine.contacts().add(bob.engine.invite());
            int first = RequestQuota.MAX_MESSAGES + 5;
            for (int i = 0; i < first; i++) {
                mallory.engine.chat().send(bob.peerId(), "hello " + i);
            }
            mallory.events.await(EngineEvent.Delivered.class, first);
            assertThat(bob.engine.contacts().requests()).singleElement()
                    .satisfies(request -> assertThat(request.droppedMessages()).isEqualTo(5));

            bob.close();
            bob = bob.restart();
            assertThat(bob.engine.contacts().requests()).singleElement()
                    .satisfies(request -> assertThat(request.droppedMessages()).isEqualTo(5));
            for (int i = first; i < first + 5; i++) {
                mallory.engine.chat().send(bob.peerId(), "hello " + i);
            }
            mallory.events.await(EngineEvent.Delivered.class, first + 5);
            mallory.awaitOutboxEmptyFor(bob.peerId());

            assertThat(bob.engine.contacts().requests()).singleElement()
                    .satisfies(request -> assertThat(request.droppedMessages()).isEqualTo(10));
            assertThat(bob.engine.history().newest(mallory.peerId(), 1_000).messages()).extracting(ChatMessage::text)
                    .containsExactlyElementsOf(IntStream.range(0, RequestQuota.MAX_MESSAGES)
                            .mapToObj(i -> "hello " + i).toList());
        }
    }

    @Test
    void madeUpPeerIdsMakeAtMostTheCapOfRequestsAndARealPersonGetsThroughOnceTheUserBlocksOne() throws Exception {
        List<PeerId> first = new ArrayList<>();
        for (int i = 0; i < RequestQuota.MAX_PENDING_REQUESTS; i++) {
            Stranger stranger = stranger("stranger " + i);
            first.add(stranger.identity().peerId());
            stranger.write("buy now " + i);
            assertThat(ChatFrames.read(stranger.chat().in(), bob.peerId()).getFrameCase())
                    .isEqualTo(ChatFrame.FrameCase.ACK);
            stranger.chat().close();
        }
        assertThat(bob.engine.contacts().requests()).extracting(ContactInfo::peer)
                .containsExactlyInAnyOrderElementsOf(first);

        Stranger oneTooMany = stranger("one too many");
        oneTooMany.write("and me");
        assertThatThrownBy(() -> oneTooMany.chat().in().read()).as("left unacknowledged: its sender keeps it")
                .isInstanceOf(IOException.class).hasMessageContaining("reset");
        assertThat(bob.engine.contacts().requests()).extracting(ContactInfo::peer)
                .containsExactlyInAnyOrderElementsOf(first);

        try (TestEngine carol = TestEngine.start(temp, "Carol")) {
            carol.engine.contacts().add(bob.engine.invite());
            carol.engine.chat().send(bob.peerId(), "hi Bob, it's Carol from the climbing club");
            bob.engine.contacts().block(first.getFirst());

            EngineEvent.Request request = bob.events.await(EngineEvent.Request.class,
                    event -> event.peer().equals(carol.peerId()));
            assertThat(request.message().text()).isEqualTo("hi Bob, it's Carol from the climbing club");
            carol.awaitOutboxEmptyFor(bob.peerId());
            assertThat(bob.engine.contacts().requests()).hasSize(RequestQuota.MAX_PENDING_REQUESTS)
                    .extracting(ContactInfo::peer).contains(carol.peerId()).doesNotContain(first.getFirst());
            assertThat(bob.engine.contacts().blocked()).extracting(ContactInfo::peer).containsExactly(first.getFirst());
        }
        assertThat(bob.engine.contacts().get(first.get(1)).orElseThrow().status()).isEqualTo(ContactStatus.REQUEST);
    }

    @Test
    void aDroppedMessageSentAgainIsCountedOnce() throws Exception {
        Stranger mallory = stranger("Mallory");
        for (int i = 0; i < RequestQuota.MAX_MESSAGES; i++) {
            mallory.write("kept " + i);
            assertThat(ChatFrames.read(mallory.chat().in(), bob.peerId()).getFrameCase())
                    .isEqualTo(ChatFrame.FrameCase.ACK);
        }
        byte[] beyondTheQuota = mallory.seal("one too many", RequestQuota.MAX_MESSAGES + 1);
        for (int copy = 0; copy < 3; copy++) {
            // What a sender does when the acknowledgement of its first copy was lost with the connection.
            mallory.send(beyondTheQuota);
            assertThat(ChatFrames.read(mallory.chat().in(), bob.peerId()).getFrameCase())
                    .isEqualTo(ChatFrame.FrameCase.ACK);
        }
        mallory.write("and another one");
        assertThat(ChatFrames.read(mallory.chat().in(), bob.peerId()).getFrameCase())
                .isEqualTo(ChatFrame.FrameCase.ACK);

        bob.events.await(EngineEvent.RequestMessagesDropped.class, event -> event.dropped() == 2);
        assertThat(bob.engine.contacts().requests()).singleElement()
                .satisfies(request -> assertThat(request.droppedMessages()).isEqualTo(2));
        assertThat(bob.events.all(EngineEvent.RequestMessagesDropped.class))
                .allSatisfy(event -> assertThat(event.dropped()).isLessThanOrEqualTo(2));
    }

    /** A stranger of a fresh PeerId on a bare host that gives its card, with a chat stream open to Bob. */
    private record Stranger(Identity identity, Stream chat, ContactCard bobsCard) {
        void write(String body) throws Exception {
            send(seal(body, 1));
        }

        byte[] seal(String body, long hlc) throws Exception {
            return new TinkEnvelopeSealer().sealDirect(identity, bobsCard,
                    HeaderFields.of(ConversationId.direct(identity.peerId(), bobsCard.peerId()), hlc, EnvelopeKind.TEXT),
                    Text.newBuilder().setBody(body).build().toByteArray()).encode();
        }

        void send(byte[] envelope) throws Exception {
            ChatFrames.write(ChatFrames.envelope(envelope), chat.out());
            chat.out().flush();
        }
    }

    private Stranger stranger(String name) throws IOException {
        Identity identity = Identity.generate();
        ContactCard card = ContactCard.create(identity, name);
        Host host = new Host(HostConfig.of(identity.transportKey()));
        strangers.add(host);
        host.setHandler(ProfileProtocol.PROTOCOL_ID, stream -> ProfileProtocol.answer(stream, () -> card));
        Stream chat = host.dial(bob.engine.listenAddresses().getFirst()).newStream(ChatFrames.PROTOCOL_ID);
        return new Stranger(identity, chat, bob.engine.card());
    }

    /** About 60,000 characters of words, as a spammer would paste them (words, so that the search index has work). */
    private static String longText() {
        StringBuilder text = new StringBuilder(CHARACTERS);
        for (int i = 0; text.length() < CHARACTERS; i++) {
            text.append("cheap watches ").append(i).append(' ');
        }
        return text.substring(0, CHARACTERS);
    }

    /**
     * The SQLite file and its WAL after the WAL was folded back into the file (a checkpoint through a connection of
     * the test's own, as SQLite allows beside the engine's): what the history takes, not how far the WAL has run.
     */
    private static long checkpointedBytes(TestEngine engine) throws Exception {
        Path db = engine.profile.resolve(EngineConfig.STORE_FILE);
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement checkpoint = sqlite.createStatement()) {
            checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        Path wal = db.resolveSibling(db.getFileName() + "-wal");
        return Files.size(db) + (Files.exists(wal) ? Files.size(wal) : 0);
    }

    /** The profile's files: the SQLite file, its WAL and shared memory, the keysets. */
    private static long profileBytes(TestEngine engine) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(engine.profile)) {
            return files.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
        }
    }
}
