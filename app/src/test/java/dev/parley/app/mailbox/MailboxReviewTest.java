package dev.parley.app.mailbox;

import static dev.parley.app.mailbox.MailboxFixture.envelope;
import static dev.parley.app.mailbox.MailboxTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import dev.parley.app.mailbox.MailboxClient.FetchedBatch;
import dev.parley.app.mailbox.MailboxFixture.Owner;
import dev.parley.app.mailbox.wire.MailboxProtos.Deposit;
import dev.parley.app.mailbox.wire.MailboxProtos.Fetch;
import dev.parley.app.mailbox.wire.MailboxProtos.MailboxRequest;
import dev.parley.app.mailbox.wire.MailboxProtos.MailboxResponse;
import dev.parley.app.mailbox.wire.MailboxProtos.Pair;
import dev.parley.app.mailbox.wire.MailboxProtos.Refused.Reason;
import dev.parley.store.MailboxEnvelope;
import dev.parley.store.MailboxLimits;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review of issue 22's mailbox: attacks on the promises of app/README.md, "Mailbox", by a stranger with a network
 * connection, a contact holding one capability, and an owner of the same mailbox, against a real mailbox on loopback
 * with its own SQLite file. Every attack is a passing test: the five that broke a promise when the review wrote them
 * (a watch or fetch cut by its bytes, the capability window, expiry by the hour, a retry after the owner took the
 * envelope) pass since their fixes.
 */
class MailboxReviewTest {
    private static final Instant START = Instant.parse("2026-12-07T12:34:56Z");
    private static final MailboxLimits ROOMY = new MailboxLimits(1_000, 64L << 20, 1_000, 8L << 20,
            Duration.ofDays(14), 64);
    private static final int MAX_OWNERS = 3;
    /** Over the 512 KiB a batch carries past its first envelope, so one fetch cannot bring them all. */
    private static final int LARGE_ENVELOPES = 20;
    private static final int LARGE_ENVELOPE_BYTES = 60_000;
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path temp;
    private final SettableClock clock = new SettableClock(START);
    private MailboxFixture mailbox;

    private void startMailbox(MailboxLimits limits) throws IOException {
        mailbox = new MailboxFixture(temp, limits, MAX_OWNERS, clock);
    }

    @AfterEach
    void stopMailbox() {
        if (mailbox != null) {
            mailbox.close();
        }
    }

    @Test
    void aWatchingOwnerGetsEverythingWaitingEvenWhenItIsMoreThanOneBatchOfBytes() throws Exception {
        startMailbox(ROOMY);
        Owner owner = mailbox.owner();
        depositLarge(owner);
        List<MailboxEnvelope> received = new ArrayList<>();
        try (MailboxClient.Watch watch = owner.client().watch(0)) {
            while (received.size() < LARGE_ENVELOPES) {
                try {
                    received.addAll(watch.next(PATIENCE).envelopes());
                } catch (IOException silent) {
                    throw new AssertionError("the watch went silent after " + received.size() + " of "
                            + LARGE_ENVELOPES + " waiting envelopes", silent);
                }
            }
        }
        assertThat(received).extracting(MailboxEnvelope::seq).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void aFetchCutByItsBytesSaysThatMoreFollow() throws Exception {
        startMailbox(ROOMY);
        Owner owner = mailbox.owner();
        depositLarge(owner);
        FetchedBatch first = owner.client().fetch(0, 0);
        assertThat(first.envelopes()).as("cut by bytes").hasSizeLessThan(LARGE_ENVELOPES);
        assertThat(first.more()).as("more envelopes follow the batch's last seq").isTrue();
    }

    @Test
    void oneCapabilityDepositsNoMoreThanItsQuotaWithinTheRetention() throws Exception {
        MailboxLimits threePerCapability = new MailboxLimits(1_000, 64L << 20, 3, 8L << 20, Duration.ofDays(14), 64);
        startMailbox(threePerCapability);
        Owner owner = mailbox.owner();
        DepositCapability capability = owner.capability(mailbox);
        MailboxClient depositor = mailbox.depositor(capability);
        clock.advance(Duration.between(START, Instant.parse("2026-12-07T23:59:59Z")));
        for (int i = 0; i < 3; i++) {
            depositor.deposit(capability, envelope("late on the first day " + i));
        }
        clock.advance(Duration.ofDays(13).plusSeconds(1));
        assertThat(mailbox.server.expireNow()).as("nothing is 14 days old").isZero();
        assertRefused(() -> depositor.deposit(capability, envelope("13 days and 1 second later")),
                Reason.CAPABILITY_FULL);
    }

    @Test
    void noEnvelopeExpiresBeforeItIsAsOldAsTheRetention() throws Exception {
        startMailbox(ROOMY);
        Owner owner = mailbox.owner();
        DepositCapability capability = owner.capability(mailbox);
        mailbox.depositor(capability).deposit(capability, envelope("deposited at 12:34:56"));
        clock.advance(Duration.ofDays(14).minusMinutes(1));
        assertThat(mailbox.server.expireNow()).as("expired at 13 days 23 h 59 min").isZero();
        assertThat(owner.client().fetch(0, 10).envelopes()).hasSize(1);
    }

    @Test
    void theSameBytesRetriedAfterTheOwnerDeletedThemAreNotFetchedAgain() throws Exception {
        startMailbox(ROOMY);
        Owner owner = mailbox.owner();
        DepositCapability capability = owner.capability(mailbox);
        MailboxClient depositor = mailbox.depositor(capability);
        depositor.deposit(capability, envelope("its answer was lost"));
        List<MailboxEnvelope> fetched = owner.client().fetch(0, 10).envelopes();
        owner.client().delete(fetched.stream().map(MailboxEnvelope::seq).toList());
        depositor.deposit(capability, envelope("its answer was lost"));
        assertThat(owner.client().fetch(fetched.getLast().seq(), 10).envelopes()).as("fetched a second time")
                .isEmpty();
    }

    @Test
    void noDepositSentAfterARekeyOrRevocationWasAnsweredIsStoredWhileDepositsRaceIt() throws Exception {
        startMailbox(ROOMY);
        Owner owner = mailbox.owner();
        DepositCapability beforeRekey = owner.capability(mailbox);
        raceDepositsAgainst(owner, beforeRekey, () -> owner.client().rekey(), Reason.BAD_CAPABILITY);

        byte[] key = owner.client().pair(mailbox.code()).ownerKey();
        DepositCapability beforeRevoke = DepositCapability.mint(key, owner.host().peerId(), beforeRekey.mailbox(),
                beforeRekey.addresses());
        raceDepositsAgainst(owner, beforeRevoke, () -> {
            owner.client().revoke(List.of(beforeRevoke.capId()));
            return null;
        }, Reason.REVOKED);
    }

    @Test
    void forgedCapabilitiesInEveryShapeAndDuplicatedFieldsAreRefusedAndStoreNothing() throws Exception {
        startMailbox(ROOMY);
        Owner owner = mailbox.owner();
        Owner other = mailbox.owner();
        DepositCapability valid = owner.capability(mailbox);
        DepositCapability second = owner.capability(mailbox);
        Host attacker = mailbox.peer();
        mailbox.client(attacker);
        Deposit honest = deposit(valid.owner(), valid.capId(), valid.tag(), envelope("honest"));
        List<Deposit> forgeries = List.of(
                honest.toBuilder().setTag(ByteString.copyFrom(valid.tag(), 0, 16)).build(),
                honest.toBuilder().setTag(ByteString.EMPTY).build(),
                honest.toBuilder().setCapId(ByteString.copyFrom(second.capId())).build(),
                honest.toBuilder().setCapId(ByteString.copyFrom(valid.capId(), 0, 15)).build(),
                honest.toBuilder().setCapId(ByteString.copyFrom(Arrays.copyOf(valid.capId(), 17))).build(),
                honest.toBuilder().setCapId(ByteString.EMPTY).build(),
                honest.toBuilder().setOwner(ByteString.copyFrom(other.host().peerId().bytes())).build(),
                honest.toBuilder().setTag(ByteString.copyFrom(Arrays.copyOf(valid.tag(), 64))).build());
        for (Deposit forged : forgeries) {
            MailboxResponse answer = ask(attacker, request(forged).toByteArray());
            assertThat(answer.getRefused().getReason()).as(forged.toString()).isEqualTo(Reason.BAD_CAPABILITY);
        }
        assertThat(mailbox.store.envelopeRows()).isZero();

        Deposit forgedFirst = honest.toBuilder().setTag(ByteString.copyFrom(new byte[32]))
                .setEnvelope(ByteString.copyFrom(envelope("forged, first"))).build();
        Deposit honestSecond = honest.toBuilder().setEnvelope(ByteString.copyFrom(envelope("honest, second"))).build();
        assertThat(ask(attacker, concat(request(honestSecond).toByteArray(), request(forgedFirst).toByteArray()))
                .getRefused().getReason()).as("the forged tag given last wins").isEqualTo(Reason.BAD_CAPABILITY);
        assertThat(ask(attacker, concat(request(forgedFirst).toByteArray(), request(honestSecond).toByteArray()))
                .hasDeposited()).as("the valid fields given last win").isTrue();
        assertThat(owner.client().fetch(0, 10).envelopes()).extracting(e -> new String(e.envelope()))
                .containsExactly("sealed:honest, second");
        assertThat(other.client().fetch(0, 10).envelopes()).isEmpty();
    }

    @Test
    void pairingNeedsTheWholeSecretAndConcurrentPairingsNeverPassTheMaximum() throws Exception {
        startMailbox(ROOMY);
        byte[] secret = mailbox.server.pairingSecret();
        byte[] lastFlipped = secret.clone();
        lastFlipped[lastFlipped.length - 1] ^= 1;
        Host guesser = mailbox.peer();
        mailbox.client(guesser);
        for (byte[] guess : List.of(new byte[0], Arrays.copyOf(secret, 31), Arrays.copyOf(secret, 33), lastFlipped,
                Arrays.copyOf(secret, 64))) {
            MailboxResponse answer = ask(guesser, MailboxRequest.newBuilder()
                    .setPair(Pair.newBuilder().setSecret(ByteString.copyFrom(guess))).build().toByteArray());
            assertThat(answer.getRefused().getReason()).as(guess.length + " bytes").isEqualTo(Reason.WRONG_SECRET);
        }
        assertThat(mailbox.server.owners()).isEmpty();

        int candidates = 10;
        List<Future<Reason>> outcomes = new ArrayList<>();
        try (ExecutorService pairing = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < candidates; i++) {
                Host candidate = mailbox.peer();
                outcomes.add(pairing.submit(() -> refusalOf(() -> mailbox.client(candidate).pair(mailbox.code()))));
            }
        }
        List<Reason> reasons = reasonsOf(outcomes);
        assertThat(reasons).filteredOn(Reason.UNSPECIFIED::equals).as("paired").hasSize(MAX_OWNERS);
        assertThat(reasons).filteredOn(Reason.TOO_MANY_OWNERS::equals).hasSize(candidates - MAX_OWNERS);
        assertThat(mailbox.server.owners()).hasSize(MAX_OWNERS);
        assertThat(mailbox.store.ownerKeys()).hasSize(MAX_OWNERS);
    }

    @Test
    void anOwnerPairedAfterAnotherUnpairedInheritsNothingOfIt() throws Exception {
        MailboxLimits twoPerCapability = new MailboxLimits(1_000, 64L << 20, 2, 8L << 20, Duration.ofDays(14), 64);
        startMailbox(twoPerCapability);
        mailbox.owner();
        Owner leaving = mailbox.owner();
        DepositCapability used = leaving.capability(mailbox);
        MailboxClient depositor = mailbox.depositor(used);
        depositor.deposit(used, envelope("for the owner who leaves, 1"));
        depositor.deposit(used, envelope("for the owner who leaves, 2"));
        leaving.client().revoke(List.of(used.capId()));
        leaving.client().unpair();

        Owner next = mailbox.owner();
        assertThat(next.client().fetch(0, 100).envelopes()).isEmpty();
        MailboxClient.OwnerStatus status = next.client().status();
        assertThat(status.envelopes()).isZero();
        assertThat(status.revoked()).isZero();
        // The same capability id as the leaving owner's, which was revoked and had used up its quota there.
        DepositCapability sameId = new DepositCapability(used.mailbox(), used.addresses(), next.host().peerId(),
                used.capId(), DepositCapability.tag(next.key(), next.host().peerId(), used.capId()));
        for (int i = 0; i < 2; i++) {
            depositor.deposit(sameId, envelope("for the next owner " + i));
        }
        assertThat(next.client().fetch(0, 100).envelopes()).hasSize(2);
    }

    @Test
    void aWatchEndsWhenItsOwnerUnpairsAndAnOldWatchNeverSeesWhatFollowsARepair() throws Exception {
        startMailbox(ROOMY);
        Owner owner = mailbox.owner();
        try (MailboxClient.Watch watch = owner.client().watch(0)) {
            assertThat(watch.next(PATIENCE).envelopes()).isEmpty();
            owner.client().unpair();
            byte[] key = owner.client().pair(mailbox.code()).ownerKey();
            DepositCapability capability = DepositCapability.mint(key, owner.host().peerId(),
                    mailbox.node.host().peerId(), mailbox.addresses);
            mailbox.depositor(capability).deposit(capability, envelope("after the repair"));
            assertThatThrownBy(() -> watch.next(PATIENCE)).isInstanceOf(IOException.class)
                    .isNotInstanceOf(MailboxRefusedException.class);
        }
        assertThat(owner.client().fetch(0, 10).envelopes()).hasSize(1);
    }

    @Test
    void concurrentDepositsAtTheQuotaEdgeAndConcurrentDuplicatesAreEachCountedOnce() throws Exception {
        MailboxLimits fivePerCapability = new MailboxLimits(1_000, 64L << 20, 5, 8L << 20, Duration.ofDays(14), 64);
        startMailbox(fivePerCapability);
        Owner owner = mailbox.owner();
        DepositCapability capability = owner.capability(mailbox);
        List<Reason> outcomes = depositConcurrently(capability, 12, i -> envelope("distinct " + i));
        assertThat(outcomes).filteredOn(Reason.UNSPECIFIED::equals).as("stored").hasSize(5);
        assertThat(outcomes).filteredOn(Reason.CAPABILITY_FULL::equals).hasSize(7);

        DepositCapability another = owner.capability(mailbox);
        List<Reason> duplicates = depositConcurrently(another, 8, i -> envelope("the same bytes"));
        assertThat(duplicates).containsOnly(Reason.UNSPECIFIED);
        assertThat(owner.client().status().envelopes()).isEqualTo(6);
        for (int i = 0; i < 4; i++) {
            mailbox.depositor(another).deposit(another, envelope("after the duplicates " + i));
        }
        assertRefused(() -> mailbox.depositor(another).deposit(another, envelope("one too many")),
                Reason.CAPABILITY_FULL);
    }

    @Test
    void deletedEnvelopesStayDeletedAcrossARestartAndTheirSeqsAreNeverReused() throws Exception {
        startMailbox(ROOMY);
        Owner owner = mailbox.owner();
        DepositCapability capability = owner.capability(mailbox);
        MailboxClient depositor = mailbox.depositor(capability);
        for (int i = 0; i < 3; i++) {
            depositor.deposit(capability, envelope("before the restart " + i));
        }
        List<MailboxEnvelope> before = owner.client().fetch(0, 10).envelopes();
        owner.client().delete(before.stream().map(MailboxEnvelope::seq).toList());
        mailbox.stopServer();
        mailbox.start(ROOMY);
        depositor.deposit(capability, envelope("after the restart"));
        List<MailboxEnvelope> after = owner.client().fetch(0, 10).envelopes();
        assertThat(after).extracting(e -> new String(e.envelope())).containsExactly("sealed:after the restart");
        assertThat(after.getFirst().seq()).isGreaterThan(before.getLast().seq());
    }

    @Test
    void aWatcherThatNeverReadsHoldsUpNeitherDepositsNorOtherOwners() throws Exception {
        startMailbox(ROOMY);
        Owner stalled = mailbox.owner();
        Owner other = mailbox.owner();
        try (Stream neverRead = stalled.host().newStream(mailbox.node.host().peerId(), MailboxFrames.PROTOCOL_ID)) {
            byte[] watch = MailboxRequest.newBuilder().setFetch(Fetch.newBuilder().setWatch(true)).build().toByteArray();
            neverRead.out().write(concat(Varint.encode(watch.length), watch));
            neverRead.out().flush();
            // Far more than the watcher's receive window: the mailbox's pushes block on it, its answers must not.
            DepositCapability forStalled = stalled.capability(mailbox);
            try (MailboxClient.Depositor depositor = mailbox.depositor(forStalled).depositor()) {
                for (int i = 0; i < 40; i++) {
                    byte[] large = new byte[LARGE_ENVELOPE_BYTES];
                    Arrays.fill(large, (byte) i);
                    depositor.deposit(forStalled, large);
                }
            }
            DepositCapability forOther = other.capability(mailbox);
            mailbox.depositor(forOther).deposit(forOther, envelope("for the other owner"));
            assertThat(other.client().fetch(0, 10).envelopes()).hasSize(1);
            assertThat(stalled.client().status().envelopes()).as("the stalled watcher's owner, on another stream")
                    .isEqualTo(40);
        }
    }

    @Test
    void aRekeyRacingTheSameOwnersPairingLeavesTheMailboxAcceptingTheRekeyedKey() throws Exception {
        startMailbox(ROOMY);
        Owner owner = mailbox.owner();
        for (int attempt = 0; attempt < 40; attempt++) {
            CountDownLatch together = new CountDownLatch(1);
            byte[] rekeyed;
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<byte[]> pairing = threads.submit(() -> {
                    together.await();
                    return owner.client().pair(mailbox.code()).ownerKey();
                });
                Future<byte[]> rekeying = threads.submit(() -> {
                    together.await();
                    return owner.client().rekey();
                });
                together.countDown();
                pairing.get();
                rekeyed = rekeying.get();
            }
            assertThat(mailbox.store.ownerKeys().get(owner.host().peerId().toBase58())).as("kept on disk")
                    .isEqualTo(rekeyed);
            DepositCapability current = DepositCapability.mint(rekeyed, owner.host().peerId(),
                    mailbox.node.host().peerId(), mailbox.addresses);
            int tried = attempt;
            assertThat(catchThrowable(() -> mailbox.depositor(current).deposit(current, envelope("try " + tried))))
                    .as("a capability under the key the rekey answered, attempt " + attempt).isNull();
        }
    }

    private void depositLarge(Owner owner) throws IOException {
        DepositCapability capability = owner.capability(mailbox);
        try (MailboxClient.Depositor depositor = mailbox.depositor(capability).depositor()) {
            for (int i = 0; i < LARGE_ENVELOPES; i++) {
                byte[] large = new byte[LARGE_ENVELOPE_BYTES];
                Arrays.fill(large, (byte) i);
                depositor.deposit(capability, large);
            }
        }
    }

    private interface OwnerAction {
        Object run() throws IOException;
    }

    /**
     * Deposits with {@code capability} from three streams while the owner runs {@code action}; afterwards every
     * deposit sent after the action was answered is refused for {@code reason}, and every one answered
     * {@code Deposited} is held.
     */
    private void raceDepositsAgainst(Owner owner, DepositCapability capability, OwnerAction action, Reason reason)
            throws Exception {
        long heldBefore = owner.client().status().envelopes();
        AtomicLong actionAnswered = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong stored = new AtomicLong();
        ConcurrentLinkedQueue<Reason> refusedAfter = new ConcurrentLinkedQueue<>();
        AtomicLong storedAfter = new AtomicLong();
        AtomicLong sentAfter = new AtomicLong();
        List<Future<?>> depositors = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int d = 0; d < 3; d++) {
                int stream = d;
                depositors.add(threads.submit(() -> {
                    MailboxClient client = mailbox.depositor(capability);
                    MailboxClient.Depositor depositor = client.depositor();
                    int sent = 0;
                    while (!stop.get()) {
                        long sentAt = System.nanoTime();
                        try {
                            depositor.deposit(capability, envelope("race " + reason + " " + stream + " " + sent++));
                            stored.incrementAndGet();
                            if (sentAt > actionAnswered.get()) {
                                storedAfter.incrementAndGet();
                            }
                        } catch (MailboxRefusedException e) {
                            if (sentAt > actionAnswered.get()) {
                                refusedAfter.add(e.reason());
                                sentAfter.incrementAndGet();
                            }
                        } catch (IOException endedAfterRefusals) {
                            depositor.close();
                            depositor = client.depositor();
                        }
                    }
                    depositor.close();
                    return null;
                }));
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            awaitUntil(() -> stored.get() >= 6, deadline);
            action.run();
            actionAnswered.set(System.nanoTime());
            awaitUntil(() -> sentAfter.get() + storedAfter.get() >= 12, deadline);
            stop.set(true);
            for (Future<?> depositor : depositors) {
                depositor.get();
            }
        }
        assertThat(stored.get()).as("deposits before the owner acted").isGreaterThanOrEqualTo(6);
        assertThat(storedAfter.get()).as("deposits sent after the owner's answer and stored").isZero();
        assertThat(refusedAfter).hasSizeGreaterThanOrEqualTo(12).containsOnly(reason);
        assertThat(owner.client().status().envelopes()).as("every Deposited answer is held")
                .isEqualTo(heldBefore + stored.get());
    }

    /** Polls {@code condition} until it holds or {@code deadline} (nanoTime) passes; the caller asserts after. */
    private static void awaitUntil(BooleanSupplier condition, long deadline) throws InterruptedException {
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private interface EnvelopeMaker {
        byte[] make(int index);
    }

    /** Deposits from {@code count} streams at once; UNSPECIFIED stands for Deposited. */
    private List<Reason> depositConcurrently(DepositCapability capability, int count, EnvelopeMaker envelopes)
            throws Exception {
        List<Future<Reason>> outcomes = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                byte[] envelope = envelopes.make(i);
                outcomes.add(threads.submit(() -> refusalOf(
                        () -> mailbox.depositor(capability).deposit(capability, envelope))));
            }
        }
        return reasonsOf(outcomes);
    }

    /** A request to the mailbox, its answer ignored. */
    private interface Request {
        void send() throws Exception;
    }

    /** What a request came to: the reason it was refused, or {@code UNSPECIFIED} when it was not. */
    private static Reason refusalOf(Request request) throws Exception {
        try {
            request.send();
            return Reason.UNSPECIFIED;
        } catch (MailboxRefusedException e) {
            return e.reason();
        }
    }

    private static List<Reason> reasonsOf(List<Future<Reason>> outcomes) throws Exception {
        List<Reason> reasons = new ArrayList<>();
        for (Future<Reason> outcome : outcomes) {
            reasons.add(outcome.get());
        }
        return reasons;
    }

    private static Deposit deposit(PeerId owner, byte[] capId, byte[] tag, byte[] envelope) {
        return Deposit.newBuilder().setOwner(ByteString.copyFrom(owner.bytes())).setCapId(ByteString.copyFrom(capId))
                .setTag(ByteString.copyFrom(tag)).setEnvelope(ByteString.copyFrom(envelope)).build();
    }

    private static MailboxRequest request(Deposit deposit) {
        return MailboxRequest.newBuilder().setDeposit(deposit).build();
    }

    /** One request frame of exactly these bytes, on a stream of its own, and its answer. */
    private MailboxResponse ask(Host host, byte[] request) throws IOException {
        try (Stream stream = host.newStream(mailbox.node.host().peerId(), MailboxFrames.PROTOCOL_ID)) {
            stream.out().write(concat(Varint.encode(request.length), request));
            stream.out().flush();
            stream.setReadDeadline(PATIENCE);
            return MailboxFrames.readResponse(stream.in(), stream.memory(), stream.remotePeer());
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
