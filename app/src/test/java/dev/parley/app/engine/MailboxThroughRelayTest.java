package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.mailbox.MailboxServer;
import dev.parley.app.mailbox.PairingCode;
import dev.parley.crypto.MessageId;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mailbox reached only through a relay that ends each circuit after {@link #CIRCUIT_BYTES}, as public relays do
 * after 128 KiB (app/README.md, "Mailboxes in the engine"): the depositor opens new circuits as they end, and the owner
 * fetches in batches small enough for one. The mailbox is a bare host with the relay transport (no hole punching, so
 * the circuit is the only way to it); engines, mailbox and relay are real, on loopback.
 */
class MailboxThroughRelayTest {
    private static final long CIRCUIT_BYTES = 16 << 10;
    private static final int MESSAGES = 200;

    @TempDir
    Path temp;

    @Test
    void twoHundredMessagesGoInAndOutOfAMailboxThroughARelayThatEndsEachCircuitAfter16KiB() throws Exception {
        Host relay = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        Host mailboxHost = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        MailboxStore mailboxStore = MailboxStore.open(temp.resolve("mailbox").resolve("mailbox.db"));
        RelayService relayService = RelayService.start(relay, RelayLimits.defaults()
                .withCircuit(new CircuitLimit(Duration.ofMinutes(2), CIRCUIT_BYTES)));
        try {
            relay.listen(TestEngine.LOOPBACK);
            Multiaddr relayAddress = relay.listenAddresses().getFirst().withPeerId(relay.peerId());
            RelayTransport.install(mailboxHost, false);
            mailboxHost.listen(relayAddress.encapsulate(Multiaddr.parse("/p2p-circuit")));
            List<Multiaddr> throughRelay = mailboxHost.listenAddresses();
            assertThat(throughRelay).isNotEmpty().allMatch(Multiaddr::isCircuit);
            try (MailboxServer mailbox = MailboxServer.start(mailboxHost, mailboxStore, 8, MailboxLimits.defaults(),
                    Clock.systemUTC())) {
                String code = new PairingCode(mailboxHost.peerId(), throughRelay, mailbox.pairingSecret()).toText();
                TestEngine ada = TestEngine.start(temp, "Ada");
                TestEngine bo = TestEngine.start(temp, "Bo");
                TestEngine.befriend(ada, bo);
                bo.engine.mailbox().pair(code);
                ada.events.await(EngineEvent.ContactMailbox.class, granted -> granted.hasMailbox());
                bo.close();

                List<MessageId> sent = new ArrayList<>();
                for (int i = 0; i < MESSAGES; i++) {
                    sent.add(ada.engine.chat().send(bo.peerId(), "through the relay " + i));
                }
                Set<MessageId> held = new HashSet<>();
                ada.events.await(EngineEvent.InMailbox.class, event -> {
                    held.addAll(event.ids());
                    return held.containsAll(sent);
                });
                ada.close();
                long deposited = mailboxStore.status(bo.peerId().toBase58()).orElseThrow().bytes();
                assertThat(deposited).as("more than three circuits could carry").isGreaterThan(3 * CIRCUIT_BYTES);

                try (TestEngine boAgain = bo.restart()) {
                    List<EngineEvent.MessageReceived> received = boAgain.events.await(
                            EngineEvent.MessageReceived.class, MESSAGES);
                    assertThat(received).extracting(event -> event.message().text()).as("each once, in order")
                            .containsExactlyElementsOf(sent.stream().map(id -> "through the relay " + sent.indexOf(id))
                                    .toList());
                    TestEngine.awaitCondition(() -> mailboxStore.envelopeRows() == 0, "the mailbox emptied");
                    assertThat(boAgain.engine.history().newest(ada.peerId(), 2 * MESSAGES).messages())
                            .hasSize(MESSAGES);
                }
            }
        } finally {
            relayService.close();
            mailboxHost.close();
            relay.close();
            mailboxStore.close();
        }
    }
}
