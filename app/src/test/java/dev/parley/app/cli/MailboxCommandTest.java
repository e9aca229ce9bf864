package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.mailbox.DepositCapability;
import dev.parley.app.mailbox.MailboxClient;
import dev.parley.app.mailbox.MailboxClient.FetchedBatch;
import dev.parley.app.mailbox.MailboxRefusedException;
import dev.parley.app.mailbox.PairingCode;
import dev.parley.app.mailbox.wire.MailboxProtos.Refused.Reason;
import dev.parley.store.MailboxEnvelope;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley mailbox} as a child process: what it prints, pairing from the printed code, what a restart keeps,
 * and a kill -9 in the middle of a stream of deposits, after which every deposit it answered is there once.
 */
class MailboxCommandTest {
    /** Depositors at once, so that several deposits are in flight when the mailbox is killed. */
    private static final int STREAMS = 4;
    @TempDir
    Path temp;
    private final Ed25519PrivateKey ownerKey = Ed25519PrivateKey.generate();
    private final List<Host> hosts = new ArrayList<>();

    @AfterEach
    void closeHosts() {
        hosts.forEach(Host::close);
    }

    @Test
    void printsItsAddressesAndPairingCodeThenReadyAndARestartKeepsOwnersAndEnvelopes() throws Exception {
        Path profile = temp.resolve("mailbox");
        DepositCapability capability;
        byte[] key;
        PairingCode firstCode;
        try (NodeProcess mailbox = new NodeProcess("mailbox", profile)) {
            firstCode = pairingCode(mailbox);
            MailboxClient owner = MailboxClient.of(owner(), firstCode);
            key = owner.pair(firstCode).ownerKey();
            capability = DepositCapability.mint(key, ownerPeer(), firstCode.mailbox(), firstCode.addresses());
            MailboxClient depositor = MailboxClient.of(host(), capability);
            for (int i = 0; i < 5; i++) {
                depositor.deposit(capability, envelope(i));
            }
            assertThat(mailbox.endInput()).isZero();
        }
        try (NodeProcess mailbox = new NodeProcess("mailbox", profile)) {
            PairingCode code = pairingCode(mailbox);
            assertThat(code.mailbox()).isEqualTo(firstCode.mailbox());
            assertThat(code.secret()).as("the pairing secret is kept in the profile").isEqualTo(firstCode.secret());
            MailboxClient owner = MailboxClient.of(owner(), code);
            assertThat(owner.pair(code).ownerKey()).isEqualTo(key);
            assertThat(texts(fetchAll(owner))).containsExactly("envelope 0", "envelope 1", "envelope 2", "envelope 3",
                    "envelope 4");
            assertThat(mailbox.endInput()).isZero();
        }
        try (NodeProcess mailbox = new NodeProcess("mailbox", profile, "--new-pairing-code")) {
            PairingCode code = pairingCode(mailbox);
            assertThat(code.secret()).isNotEqualTo(firstCode.secret());
            PairingCode oldSecret = new PairingCode(code.mailbox(), code.addresses(), firstCode.secret());
            assertThatThrownBy(() -> MailboxClient.of(host(), code).pair(oldSecret))
                    .isInstanceOfSatisfying(MailboxRefusedException.class,
                            refused -> assertThat(refused.reason()).isEqualTo(Reason.WRONG_SECRET));
            MailboxClient owner = MailboxClient.of(owner(), code);
            assertThat(owner.status().envelopes()).as("owners stay paired").isEqualTo(5);
        }
    }

    @Test
    void afterAKill9DuringDepositsOnFourStreamsEveryAnsweredDepositIsThereOnceAndAKillDuringFetchesLosesNothing() throws Exception {
        Path profile = temp.resolve("mailbox");
        List<Integer> attempted = new CopyOnWriteArrayList<>();
        List<Integer> answered = new CopyOnWriteArrayList<>();
        List<Long> expected;
        try (NodeProcess mailbox = new NodeProcess("mailbox", profile)) {
            PairingCode code = pairingCode(mailbox);
            MailboxClient owner = MailboxClient.of(owner(), code);
            byte[] key = owner.pair(code).ownerKey();
            DepositCapability capability = DepositCapability.mint(key, ownerPeer(), code.mailbox(),
                    code.addresses());
            List<Thread> depositing = new ArrayList<>();
            for (int s = 0; s < STREAMS; s++) {
                int stream = s;
                MailboxClient depositor = MailboxClient.of(host(), capability);
                depositing.add(Thread.ofVirtual().start(() -> {
                    try (MailboxClient.Depositor deposits = depositor.depositor()) {
                        for (int i = stream; ; i += STREAMS) {
                            attempted.add(i);
                            deposits.deposit(capability, envelope(i));
                            answered.add(i);
                        }
                    } catch (IOException killed) {
                        // The mailbox died under us: what it answered before is what it promised.
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (answered.size() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(answered).as("deposits answered before the kill").hasSizeGreaterThanOrEqualTo(100);
            mailbox.process().destroyForcibly();
            assertThat(mailbox.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
            for (Thread stream : depositing) {
                stream.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(stream.isAlive()).isFalse();
            }
        }
        try (NodeProcess mailbox = new NodeProcess("mailbox", profile)) {
            PairingCode code = pairingCode(mailbox);
            List<MailboxEnvelope> held = fetchAll(MailboxClient.of(owner(), code));
            List<Integer> numbers = texts(held).stream().map(text -> Integer.parseInt(text.substring(9))).toList();
            System.out.printf("killed after %d answered of %d attempted deposits; %d held after the restart%n",
                    answered.size(), attempted.size(), numbers.size());
            assertThat(numbers).as("nothing twice").doesNotHaveDuplicates();
            for (int s = 0; s < STREAMS; s++) {
                int stream = s;
                assertThat(numbers.stream().filter(n -> n % STREAMS == stream).toList()).as("in each stream's order")
                        .isSorted();
            }
            assertThat(numbers).as("every answered deposit").containsAll(answered);
            assertThat(attempted).as("nothing that was not deposited").containsAll(numbers);
            expected = held.subList(20, held.size()).stream().map(MailboxEnvelope::seq).toList();
            MailboxClient owner = MailboxClient.of(owner(), code);
            owner.delete(held.subList(0, 20).stream().map(MailboxEnvelope::seq).toList());
            AtomicInteger fetches = new AtomicInteger();
            Thread fetching = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        fetchAll(owner);
                        fetches.incrementAndGet();
                    }
                } catch (IOException killed) {
                    // The mailbox died in the middle of a fetch.
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (fetches.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(fetches.get()).as("fetches before the kill").isGreaterThanOrEqualTo(3);
            mailbox.process().destroyForcibly();
            assertThat(mailbox.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
            fetching.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(fetching.isAlive()).isFalse();
        }
        try (NodeProcess mailbox = new NodeProcess("mailbox", profile)) {
            List<MailboxEnvelope> held = fetchAll(MailboxClient.of(owner(), pairingCode(mailbox)));
            assertThat(held).as("after a kill -9 during fetches: what the owner had not deleted, once")
                    .extracting(MailboxEnvelope::seq).containsExactlyElementsOf(expected);
        }
    }

    private static PairingCode pairingCode(NodeProcess mailbox) throws Exception {
        List<String> lines = mailbox.addresses();
        assertThat(lines.getLast()).as("the line before READY").startsWith(MailboxCommand.PAIRING_LINE);
        List<String> addresses = lines.subList(0, lines.size() - 1);
        assertThat(addresses).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("/ip4/127.0.0.1/tcp/"));
        PairingCode code = PairingCode.parse(lines.getLast().substring(MailboxCommand.PAIRING_LINE.length()));
        assertThat(addresses).allSatisfy(line -> assertThat(Multiaddr.parse(line).peerId()).contains(code.mailbox()));
        return code;
    }

    private PeerId ownerPeer() {
        return PeerId.fromPublicKey(ownerKey.publicKey());
    }

    /** The owner's host: always the same identity, on a fresh host (a restarted mailbox is at new ports). */
    private Host owner() {
        Host host = new Host(HostConfig.of(ownerKey));
        hosts.add(host);
        return host;
    }

    private Host host() {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        hosts.add(host);
        return host;
    }

    private static List<MailboxEnvelope> fetchAll(MailboxClient owner) throws IOException {
        List<MailboxEnvelope> all = new ArrayList<>();
        FetchedBatch batch;
        do {
            batch = owner.fetch(all.isEmpty() ? 0 : all.getLast().seq(), 256);
            all.addAll(batch.envelopes());
        } while (batch.more());
        return all;
    }

    private static List<String> texts(List<MailboxEnvelope> envelopes) {
        return envelopes.stream().map(e -> new String(e.envelope(), StandardCharsets.UTF_8)).toList();
    }

    private static byte[] envelope(int number) {
        return ("envelope " + number).getBytes(StandardCharsets.UTF_8);
    }
}
