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
import dev.parley.transport.multiformats.Varint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        assertThat(mailbox.store.envelopeRows()).as("only the honest envelopes").isEqualTo(20);
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
    void aBadFrameEndsOnlyItsStreamUnansweredAndTheSameConnectionIsServedAfter() throws Exception {
        Owner owner = mailbox.owner();
        DepositCapability honest = owner.capability(mailbox);
        Host attacker = mailbox.peer();
        MailboxClient attackersClient = MailboxClient.of(attacker, honest);
        byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        Map<String, byte[]> badFrames = new LinkedHashMap<>();
        badFrames.put("over the limit", concat(Varint.encode(MailboxFrames.MAX_REQUEST_BYTES + 1L), new byte[1024]));
        badFrames.put("not protobuf", concat(Varint.encode(garbage.length), garbage));
        badFrames.put("no request set", Varint.encode(0));
        badFrames.put("a length of ten 0xFF bytes", new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1});
        for (Map.Entry<String, byte[]> bad : badFrames.entrySet()) {
            try (Stream stream = attacker.newStream(honest.mailbox(), MailboxFrames.PROTOCOL_ID)) {
                stream.out().write(bad.getValue());
                stream.out().flush();
                stream.setReadDeadline(Duration.ofSeconds(30));
                int answered;
                try {
                    answered = stream.in().read();
                } catch (IOException reset) {
                    answered = -1;
                }
                assertThat(answered).as(bad.getKey() + ": ended without an answer").isEqualTo(-1);
            }
        }
        attackersClient.deposit(honest, envelope("on the same connection, after the bad frames"));
        assertThat(attacker.connections()).hasSize(1);
        assertThat(owner.client().fetch(0, 10).envelopes()).hasSize(1);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
