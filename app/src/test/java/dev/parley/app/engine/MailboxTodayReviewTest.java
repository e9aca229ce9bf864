package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.engine.wire.ChatProtos.MailboxGrant;
import dev.parley.app.mailbox.DepositCapability;
import dev.parley.app.mailbox.MailboxServer;
import dev.parley.app.mailbox.PairingCode;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.MailboxLetter;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.MailboxLimits;
import dev.parley.store.MailboxStore;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.relay.RelayLimits;
import dev.parley.transport.relay.RelayService;
import dev.parley.transport.relay.RelayTransport;
import dev.parley.transport.spi.CircuitLimit;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 22f: attacks on today's mailbox changes (app/README.md, "Mailboxes in the engine"): grants kept from
 * requests, blocked contacts and strangers, and room envelopes "ahead" of the room left in the mailbox. Real engines
 * with their real stores and a real mailbox on loopback; a hostile contact is a real engine made to send what its user
 * interface never would (its outbox reached by reflection), or a throwaway host depositing with a capability it holds.
 */
class MailboxTodayReviewTest {
    private static final long CIRCUIT_BYTES = 16 << 10;

    @TempDir
    Path temp;
    private LoopbackMailbox mailbox;

    @BeforeEach
    void startMailbox() throws IOException {
        mailbox = LoopbackMailbox.start(temp, 8);
    }

    @AfterEach
    void stopMailbox() {
        mailbox.close();
    }

    // Breaks.

    @Test
    void aNonMembersRoomEnvelopeOfAnEpochNeverReachedIsDroppedNotLeftInTheMailbox() throws Exception {
        try (TestEngine ada = TestEngine.start(temp, "Ada"); TestEngine bo = TestEngine.start(temp, "Bo")) {
            TestEngine.befriend(ada, bo);
            ada.engine.mailbox().pair(mailbox.pairingCode);
            String adas = ada.peerId().toBase58();
            TestEngine.awaitCondition(() -> bo.engine.store().mailboxes().held(adas).isPresent(),
                    "Bo holding Ada's capability");
            RoomId room = ada.engine.rooms().create("Night shift").id();

            // Bo is no member of Ada's room; he knows its id (a former member would). His envelope names an epoch
            // the room will never reach, under a key of his own making, signed by himself.
            SenderKey made = SenderKey.generate(room, bo.peerId(), 1_000_000);
            byte[] planted = new TinkEnvelopeSealer().sealRoom(bo.identity, made, HeaderFields.of(
                    ConversationId.of(room), HybridClock.at(System.currentTimeMillis()), EnvelopeKind.TEXT), 1,
                    "never taken, never dropped".getBytes(StandardCharsets.UTF_8)).encode();
            DepositCapability bos = DepositCapability.decode(bo.engine.store().mailboxes().held(adas).orElseThrow());
            LoopbackMailbox.deposit(bos, MailboxLetter.seal(ada.engine.card(), planted));
            TestEngine.awaitCondition(() -> ada.engine.mailbox().status().fetched() > 0, "Ada fetched the letter");

            TestEngine.awaitCondition(() -> mailbox.store.envelopeRows() == 0,
                    "the non-member's envelope dropped from Ada's mailbox");
        }
    }

    @Test
    void roomEnvelopesLeftAtTheHeadOfAMailboxBehindARelayDoNotStarveTheLettersBehindThem() throws Exception {
        Host relay = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        Host mailboxHost = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        MailboxStore relayedStore = MailboxStore.open(temp.resolve("relayed").resolve("mailbox.db"));
        RelayService relayService = RelayService.start(relay, RelayLimits.defaults()
                .withCircuit(new CircuitLimit(Duration.ofMinutes(2), CIRCUIT_BYTES)));
        TestEngine ada = TestEngine.start(temp, "Ada");
        TestEngine bo = TestEngine.start(temp, "Bo");
        try {
            relay.listen(TestEngine.LOOPBACK);
            Multiaddr relayAddress = relay.listenAddresses().getFirst().withPeerId(relay.peerId());
            RelayTransport.install(mailboxHost, false);
            mailboxHost.listen(relayAddress.encapsulate(Multiaddr.parse("/p2p-circuit")));
            try (MailboxServer relayed = MailboxServer.start(mailboxHost, relayedStore, 8, MailboxLimits.defaults(),
                    Clock.systemUTC())) {
                TestEngine.befriend(ada, bo);
                bo.engine.mailbox().pair(new PairingCode(mailboxHost.peerId(), mailboxHost.listenAddresses(),
                        relayed.pairingSecret()).toText());
                ada.events.await(EngineEvent.ContactMailbox.class, granted -> granted.hasMailbox());
                RoomId room = bo.engine.rooms().create("Night shift").id();
                bo.close();

                // Ada, Bo's contact, no member of his room, leaves four letters of 6 KiB ahead of the room.
                DepositCapability adas = DepositCapability.decode(ada.engine.store().mailboxes()
                        .held(bo.peerId().toBase58()).orElseThrow());
                SenderKey made = SenderKey.generate(room, ada.peerId(), 1_000_000);
                for (int i = 1; i <= 4; i++) {
                    byte[] planted = new TinkEnvelopeSealer().sealRoom(ada.identity, made, HeaderFields.of(
                            ConversationId.of(room), HybridClock.at(System.currentTimeMillis()), EnvelopeKind.TEXT),
                            i, new byte[6 << 10]).encode();
                    LoopbackMailbox.deposit(adas, MailboxLetter.seal(bo.engine.card(), planted));
                }
                MessageId real = ada.engine.chat().send(bo.peerId(), "behind the planted ones");
                ada.events.await(EngineEvent.InMailbox.class, held -> held.ids().contains(real));
                ada.close();

                try (TestEngine boAgain = bo.restart()) {
                    boAgain.events.await(EngineEvent.MessageReceived.class,
                            received -> received.message().id().equals(real));
                }
            }
        } finally {
            ada.close();
            bo.close();
            relayService.close();
            mailboxHost.close();
            relay.close();
            relayedStore.close();
        }
    }

    @Test
    void aGrantFromSomeoneWhoAddedUsFirstIsHeldOnceWeAddThemToo() throws Exception {
        try (TestEngine ada = TestEngine.start(temp, "Ada"); TestEngine bo = TestEngine.start(temp, "Bo")) {
            ada.engine.mailbox().pair(mailbox.pairingCode);
            // Ada adds Bo first: her grant reaches Bo while she is a stranger to him, and waits in his memory.
            ada.engine.contacts().add(bo.engine.invite());
            Map<?, ?> strangersGrants = strangersGrantsOf(bo);
            TestEngine.awaitCondition(() -> strangersGrants.containsKey(ada.peerId()),
                    "Ada's grant kept as a stranger's by Bo");
            bo.engine.contacts().add(ada.engine.invite());
            MessageId hello = ada.engine.chat().send(bo.peerId(), "hello Bo");
            bo.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(hello));

            String adas = ada.peerId().toBase58();
            TestEngine.awaitCondition(() -> bo.engine.store().mailboxes().held(adas).isPresent(),
                    "Bo holding the capability Ada gave him when she added him");
        }
    }

    // Holds.

    @Test
    void aStrangersGrantNamingAnotherOwnersMailboxIsNotHeldOnceItBecomesARequest() throws Exception {
        try (TestEngine ada = TestEngine.start(temp, "Ada"); TestEngine cy = TestEngine.start(temp, "Cy");
             TestEngine eve = TestEngine.start(temp, "Eve")) {
            TestEngine.befriend(ada, cy);
            TestEngine.befriend(eve, cy);
            cy.engine.mailbox().pair(mailbox.pairingCode);
            String cys = cy.peerId().toBase58();
            TestEngine.awaitCondition(() -> eve.engine.store().mailboxes().held(cys).isPresent()
                    && ada.engine.store().mailboxes().held(cys).isPresent(), "Ada and Eve holding Cy's capability");
            byte[] cysCapability = eve.engine.store().mailboxes().held(cys).orElseThrow();

            // Eve, a stranger to Ada, hands her Cy's capability as her own, then writes: her grant is applied then.
            eve.engine.contacts().add(ada.engine.invite());
            eve.outgoing().queue(ada.engine.card(), EnvelopeKind.MAILBOX_GRANT, grantOf(cysCapability));
            eve.awaitOutboxEmptyFor(ada.peerId());
            MessageId hello = eve.engine.chat().send(ada.peerId(), "hello, it is Eve");
            ada.events.await(EngineEvent.Request.class, request -> request.message().id().equals(hello));

            assertThat(ada.engine.store().mailboxes().held(eve.peerId().toBase58())).isEmpty();
            assertThat(ada.engine.store().mailboxes().held(cys)).isPresent();
            assertThat(ada.events.all(EngineEvent.ContactMailbox.class)).extracting(EngineEvent.ContactMailbox::peer)
                    .doesNotContain(eve.peerId());
        }
    }

    @Test
    void aBlockedContactsGrantIsKeptUnannouncedAndNothingIsDepositedForIt() throws Exception {
        try (TestEngine ada = TestEngine.start(temp, "Ada"); TestEngine bo = TestEngine.start(temp, "Bo")) {
            TestEngine.befriend(ada, bo);
            MessageId before = ada.engine.chat().send(bo.peerId(), "before the block");
            bo.events.await(EngineEvent.MessageReceived.class, received -> received.message().id().equals(before));
            ada.engine.contacts().block(bo.peerId());
            bo.engine.mailbox().pair(mailbox.pairingCode);
            bo.awaitOutboxEmptyFor(ada.peerId());

            assertThat(ada.engine.store().mailboxes().held(bo.peerId().toBase58())).isPresent();
            assertThat(ada.events.all(EngineEvent.ContactMailbox.class)).isEmpty();
            assertThat(mailbox.store.envelopeRows()).as("letters in Bo's mailbox").isZero();
        }
    }

    /** The engine's outbox, to send what its user interface never would: a hostile contact or stranger. */
    private static Outgoing outgoingOf(TestEngine engine) throws ReflectiveOperationException {
        Field field = Engine.class.getDeclaredField("outgoing");
        field.setAccessible(true);
        return (Outgoing) field.get(engine.engine);
    }

    /** The grants an engine keeps in memory from strangers, to see one arrive. */
    private static Map<?, ?> strangersGrantsOf(TestEngine engine) throws ReflectiveOperationException {
        Field inbox = Engine.class.getDeclaredField("inbox");
        inbox.setAccessible(true);
        Field grants = Inbox.class.getDeclaredField("strangersGrants");
        grants.setAccessible(true);
        return (Map<?, ?>) grants.get(inbox.get(engine.engine));
    }

    private static byte[] grantOf(byte[] capability) {
        return MailboxGrant.newBuilder().setCapability(ByteString.copyFrom(capability)).build().toByteArray();
    }

}
