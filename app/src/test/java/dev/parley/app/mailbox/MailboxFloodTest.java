package dev.parley.app.mailbox;

import static dev.parley.app.mailbox.MailboxFixture.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.mailbox.MailboxFixture.Owner;
import dev.parley.app.mailbox.wire.MailboxProtos.Refused.Reason;
import dev.parley.store.MailboxLimits;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.Stream;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Varint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What strangers can cost a mailbox: deposits under many fresh PeerIds without a valid capability are refused
 * before anything touches the disk, a stream that keeps being refused is ended, a frame over the limit ends only its
 * stream, and all the while an honest owner and its contact go on depositing and fetching.
 */
class MailboxFloodTest {
    private static final int STRANGERS = 60;
    /** At once: within loopback's share of connections, so the flood is refused by the mailbox, not the transport. */
    private static final int AT_ONCE = 12;
    private static final int DEPOSITS_PER_STRANGER = 10;

    @TempDir
    Path temp;
    private MailboxFixture mailbox;

    @BeforeEach
    void startMailbox() throws IOException {
        mailbox = new MailboxFixture(temp, MailboxLimits.defaults(), 16, Clock.systemUTC());
    }

    @AfterEach
    void stopMailbox() {
        mailbox.close();
    }

    @Test
    void aFloodFromManyFreshPeerIdsIsRefusedWithoutStoringAnythingWhileTheOwnerIsServed() throws Exception {
        Owner owner = mailbox.owner();
        DepositCapability honest = owner.capability(mailbox);
        MailboxClient contact = mailbox.depositor(honest);
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> flood = new ArrayList<>();
        try (ExecutorService strangers = Executors.newFixedThreadPool(AT_ONCE, Thread.ofVirtual().factory())) {
            for (int i = 0; i < STRANGERS; i++) {
                int stranger = i;
                flood.add(strangers.submit(() -> {
                    try (Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()))) {
                        DepositCapability forged = DepositCapability.mint(MailboxServer.newPairingSecret(),
                                owner.host().peerId(), honest.mailbox(), honest.addresses());
                        try (MailboxClient.Depositor depositor = MailboxClient.of(host, forged).depositor()) {
                            for (int d = 0; d < DEPOSITS_PER_STRANGER; d++) {
                                try {
                                    depositor.deposit(forged, envelope("stranger " + stranger + " " + d));
                                } catch (MailboxRefusedException e) {
                                    assertThat(e.reason()).isEqualTo(Reason.BAD_CAPABILITY);
                                    refused.incrementAndGet();
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            List<String> honestSent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                honestSent.add("honest " + i);
                contact.deposit(honest, envelope(honestSent.getLast()));
                assertThat(owner.client().fetch(0, 100).envelopes()).hasSize(i + 1);
            }
            for (Future<?> stranger : flood) {
                stranger.get();
            }
        }
        assertThat(refused.get()).isEqualTo(STRANGERS * DEPOSITS_PER_STRANGER);
        assertThat(mailbox.store.rowCounts()).as("only the honest envelopes and their one counter").containsExactly(20, 1);
        assertThat(mailbox.server.deposits()).isEqualTo(20);
    }

    @Test
    void aStreamRefusedAgainAndAgainIsEndedAndTheNextStreamIsServed() throws Exception {
        Owner owner = mailbox.owner();
        DepositCapability honest = owner.capability(mailbox);
        DepositCapability forged = DepositCapability.mint(MailboxServer.newPairingSecret(), owner.host().peerId(),
                honest.mailbox(), honest.addresses());
        MailboxClient stranger = mailbox.depositor(forged);
        try (MailboxClient.Depositor depositor = stranger.depositor()) {
            for (int i = 0; i < MailboxServer.MAX_REFUSALS_PER_STREAM; i++) {
                int attempt = i;
                MailboxTest.assertRefused(() -> depositor.deposit(forged, envelope("forged " + attempt)),
                        Reason.BAD_CAPABILITY);
            }
            assertThatThrownBy(() -> depositor.deposit(forged, envelope("one more")))
                    .isInstanceOf(IOException.class).isNotInstanceOf(MailboxRefusedException.class);
        }
        stranger.deposit(honest, envelope("on a new stream"));
        assertThat(owner.client().fetch(0, 10).envelopes()).hasSize(1);
    }

    @Test
    void aFrameOverTheLimitEndsOnlyItsStream() throws Exception {
        Owner owner = mailbox.owner();
        DepositCapability honest = owner.capability(mailbox);
        Host attacker = mailbox.peer();
        attacker.addressBook().add(honest.mailbox(), mailbox.addresses.stream().map(Multiaddr::withoutPeerId).toList());
        try (Stream stream = attacker.newStream(honest.mailbox(), MailboxFrames.PROTOCOL_ID)) {
            OutputStream out = stream.out();
            out.write(Varint.encode(MailboxFrames.MAX_REQUEST_BYTES + 1L));
            out.write(new byte[1024]);
            out.flush();
            stream.setReadDeadline(Duration.ofSeconds(30));
            assertThatThrownBy(() -> {
                if (stream.in().read() == -1) {
                    throw new IOException("closed");
                }
            }).isInstanceOf(IOException.class);
        }
        mailbox.depositor(honest).deposit(honest, envelope("after the oversized frame"));
        assertThat(owner.client().fetch(0, 10).envelopes()).hasSize(1);
    }
}
