package dev.parley.app.mailbox;

import static dev.parley.app.mailbox.MailboxFixture.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.mailbox.MailboxClient.FetchedBatch;
import dev.parley.app.mailbox.MailboxFixture.Owner;
import dev.parley.app.mailbox.wire.MailboxProtos.Refused.Reason;
import dev.parley.store.MailboxEnvelope;
import dev.parley.store.MailboxLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mailbox's promises (app/README.md, "Mailbox"), each tried against a real mailbox: a node on loopback serving
 * {@code /parley/mailbox/1.0.0} from its own SQLite file, with owners and depositors as peers of their own.
 */
class MailboxTest {
    private static final Instant START = Instant.parse("2026-12-07T12:34:56Z");
    /** Small enough for a test to reach every limit. */
    private static final MailboxLimits LIMITS = new MailboxLimits(40, 1 << 20, 25, 512 * 1024, Duration.ofDays(14), 8);
    private static final int MAX_OWNERS = 3;

    @TempDir
    Path temp;
    private final SettableClock clock = new SettableClock(START);
    private MailboxFixture mailbox;

    @BeforeEach
    void startMailbox() throws IOException {
        mailbox = new MailboxFixture(temp, LIMITS, MAX_OWNERS, clock);
    }

    @AfterEach
    void stopMailbox() {
        mailbox.close();
    }

    @Test
    void theCodePairsAnOwnerWithAKeyThatPairingAgainReturnsAndAWrongSecretPairsNobody() throws Exception {
        var host = mailbox.peer();
        MailboxClient client = MailboxClient.of(host, PairingCode.parse(mailbox.code().toText()));
        MailboxClient.OwnerPairing paired = client.pair(mailbox.code());
        assertThat(paired.ownerKey().length).isEqualTo(DepositCapability.OWNER_KEY_BYTES);
        assertThat(paired.quotas().ownerMaxEnvelopes()).isEqualTo(40);
        assertThat(paired.quotas().retentionDays()).isEqualTo(14);
        assertThat(client.pair(mailbox.code()).ownerKey()).as("pairing again").isEqualTo(paired.ownerKey());

        var stranger = mailbox.peer();
        PairingCode wrong = new PairingCode(mailbox.code().mailbox(), mailbox.addresses, MailboxServer.newPairingSecret());
        assertRefused(() -> mailbox.client(stranger).pair(wrong), Reason.WRONG_SECRET);
        assertThat(mailbox.server.owners()).containsExactly(host.peerId());
        assertThat(mailbox.store.ownerKeys()).containsOnlyKeys(host.peerId().toBase58());
    }

    @Test
    void noMoreOwnersPairThanTheMaximumUntilOneUnpairs() throws Exception {
        List<Owner> owners = new ArrayList<>();
        for (int i = 0; i < MAX_OWNERS; i++) {
            owners.add(mailbox.owner());
        }
        var late = mailbox.peer();
        assertRefused(() -> mailbox.client(late).pair(mailbox.code()), Reason.TOO_MANY_OWNERS);
        owners.getFirst().client().unpair();
        assertThat(mailbox.client(late).pair(mailbox.code()).ownerKey().length).isEqualTo(32);
        assertThat(mailbox.server.owners()).hasSize(MAX_OWNERS).contains(late.peerId())
                .doesNotContain(owners.getFirst().host().peerId());
    }

    @Test
    void unpairingDeletesTheOwnerItsKeyAndEveryEnvelope() throws Exception {
        Owner owner = mailbox.owner();
        DepositCapability capability = owner.capability(mailbox);
        MailboxClient depositor = mailbox.depositor(capability);
        for (int i = 0; i < 3; i++) {
            depositor.deposit(capability, envelope("before unpairing " + i));
        }
        assertThat(mailbox.store.envelopeRows()).isEqualTo(3);

        owner.client().unpair();
        assertThat(mailbox.store.envelopeRows()).as("envelopes").isZero();
        assertThat(mailbox.store.ownerKeys()).isEmpty();
        assertRefused(() -> depositor.deposit(capability, envelope("after")), Reason.UNKNOWN_OWNER);
        assertRefused(() -> owner.client().fetch(0, 10), Reason.NOT_AN_OWNER);

        byte[] newKey = owner.client().pair(mailbox.code()).ownerKey();
        assertThat(newKey).isNotEqualTo(owner.key());
        assertRefused(() -> depositor.deposit(capability, envelope("old capability")), Reason.BAD_CAPABILITY);
        assertThat(owner.client().fetch(0, 10).envelopes()).isEmpty();
    }

    @Test
    void depositsWithACapabilityReachTheOwnerInOrderUntilItDeletesThem() throws Exception {
        Owner owner = mailbox.owner();
        DepositCapability capability = DepositCapability.decode(owner.capability(mailbox).encode());
        List<String> sent = new ArrayList<>();
        try (MailboxClient.Depositor depositor = mailbox.depositor(capability).depositor()) {
            for (int i = 0; i < 10; i++) {
                sent.add("message " + i);
                depositor.deposit(capability, envelope(sent.getLast()));
            }
        }
        FetchedBatch first = owner.client().fetch(0, 4);
        assertThat(first.more()).isTrue();
        FetchedBatch rest = owner.client().fetch(first.envelopes().getLast().seq(), 100);
        assertThat(rest.more()).isFalse();
        List<MailboxEnvelope> all = new ArrayList<>(first.envelopes());
        all.addAll(rest.envelopes());
        assertThat(all).extracting(e -> new String(e.envelope())).containsExactlyElementsOf(
                sent.stream().map(text -> "sealed:" + text).toList());
        assertThat(all).extracting(MailboxEnvelope::seq).isSorted().doesNotHaveDuplicates();
        assertThat(all).extracting(MailboxEnvelope::depositedHour).as("the hour only")
                .containsOnly(START.truncatedTo(ChronoUnit.HOURS));
        MailboxClient.OwnerStatus status = owner.client().status();
        assertThat(status.envelopes()).isEqualTo(10);
        assertThat(status.oldestHour()).contains(START.truncatedTo(ChronoUnit.HOURS));

        owner.client().delete(first.envelopes().stream().map(MailboxEnvelope::seq).toList());
        assertThat(owner.client().fetch(0, 100).envelopes()).extracting(MailboxEnvelope::seq)
                .containsExactlyElementsOf(rest.envelopes().stream().map(MailboxEnvelope::seq).toList()).hasSize(6);
        assertThat(owner.client().status().bytes()).isEqualTo(rest.envelopes().stream()
                .mapToLong(e -> e.envelope().length).sum());
    }

    @Test
    void depositsWithoutAValidCapabilityForAKnownOwnerAreRefusedAndNothingIsStored() throws Exception {
        Owner owner = mailbox.owner();
        Owner other = mailbox.owner();
        DepositCapability valid = owner.capability(mailbox);
        MailboxClient depositor = mailbox.depositor(valid);
        DepositCapability madeUp = new DepositCapability(valid.mailbox(), valid.addresses(), valid.owner(),
                valid.capId(), new byte[DepositCapability.TAG_BYTES]);
        assertRefused(() -> depositor.deposit(madeUp, envelope("no capability")), Reason.BAD_CAPABILITY);
        DepositCapability othersKey = DepositCapability.mint(other.key(), owner.host().peerId(),
                valid.mailbox(), valid.addresses());
        assertRefused(() -> depositor.deposit(othersKey, envelope("wrong tag")), Reason.BAD_CAPABILITY);
        DepositCapability forNobody = DepositCapability.mint(owner.key(), mailbox.peer().peerId(), valid.mailbox(),
                valid.addresses());
        assertRefused(() -> depositor.deposit(forNobody, envelope("unknown owner")), Reason.UNKNOWN_OWNER);
        assertRefused(() -> depositor.deposit(valid, new byte[MailboxFrames.MAX_ENVELOPE_BYTES + 1]), Reason.TOO_LARGE);
        assertThat(mailbox.store.envelopeRows()).isZero();

        depositor.deposit(valid, new byte[MailboxFrames.MAX_ENVELOPE_BYTES]);
        assertThat(owner.client().fetch(0, 10).envelopes()).hasSize(1);
    }

    @Test
    void aRevokedCapabilityIsRefusedWhileOthersWorkAndRekeyingVoidsEveryOne() throws Exception {
        Owner owner = mailbox.owner();
        DepositCapability revoked = owner.capability(mailbox);
        DepositCapability kept = owner.capability(mailbox);
        MailboxClient depositor = mailbox.depositor(kept);
        depositor.deposit(revoked, envelope("before revoking"));
        owner.client().revoke(List.of(revoked.capId()));
        assertRefused(() -> depositor.deposit(revoked, envelope("after revoking")), Reason.REVOKED);
        depositor.deposit(kept, envelope("kept"));
        assertThat(owner.client().status().revoked()).isEqualTo(1);

        List<byte[]> tooMany = new ArrayList<>();
        for (int i = 0; i < LIMITS.maxRevoked(); i++) {
            tooMany.add(owner.capability(mailbox).capId());
        }
        assertRefused(() -> owner.client().revoke(tooMany), Reason.REVOKED_LIST_FULL);
        assertThat(owner.client().status().revoked()).as("a refused revocation changes nothing").isEqualTo(1);

        byte[] newKey = owner.client().rekey();
        assertThat(newKey).hasSize(32).isNotEqualTo(owner.key());
        assertRefused(() -> depositor.deposit(kept, envelope("after rekeying")), Reason.BAD_CAPABILITY);
        DepositCapability fresh = DepositCapability.mint(newKey, owner.host().peerId(), kept.mailbox(), kept.addresses());
        depositor.deposit(fresh, envelope("fresh"));
        assertThat(owner.client().status().revoked()).as("rekeying clears the list").isZero();
        assertThat(owner.client().fetch(0, 10).envelopes()).extracting(e -> new String(e.envelope()))
                .containsExactly("sealed:before revoking", "sealed:kept", "sealed:fresh");
    }

    @Test
    void eachQuotaRefusesTheDepositBeyondIt() throws Exception {
        Owner owner = mailbox.owner();
        DepositCapability first = owner.capability(mailbox);
        DepositCapability second = owner.capability(mailbox);
        MailboxClient depositor = mailbox.depositor(first);
        for (int i = 0; i < LIMITS.capabilityMaxEnvelopes(); i++) {
            depositor.deposit(first, envelope("first " + i));
        }
        assertRefused(() -> depositor.deposit(first, envelope("first, one too many")), Reason.CAPABILITY_FULL);
        for (int i = 0; i < LIMITS.ownerMaxEnvelopes() - LIMITS.capabilityMaxEnvelopes(); i++) {
            depositor.deposit(second, envelope("second " + i));
        }
        assertRefused(() -> depositor.deposit(second, envelope("second, one too many")), Reason.OWNER_FULL);
        FetchedBatch held = owner.client().fetch(0, 100);
        assertThat(held.envelopes()).hasSize((int) LIMITS.ownerMaxEnvelopes());

        owner.client().delete(List.of(held.envelopes().getFirst().seq()));
        assertRefused(() -> depositor.deposit(first, envelope("first, after a deletion made room")),
                Reason.CAPABILITY_FULL);
        depositor.deposit(second, envelope("second, after the deletion"));
    }

    @Test
    void byteQuotasRefuseTheDepositBeyondThemPerCapabilityAndPerOwner() throws Exception {
        mailbox.stopServer();
        MailboxLimits bytes = new MailboxLimits(1_000, 150_000, 1_000, 100_000, Duration.ofDays(14), 8);
        mailbox.start(bytes);
        Owner owner = mailbox.owner();
        DepositCapability first = owner.capability(mailbox);
        DepositCapability second = owner.capability(mailbox);
        MailboxClient depositor = mailbox.depositor(first);
        depositor.deposit(first, filled(60_000, 1));
        assertRefused(() -> depositor.deposit(first, filled(50_000, 2)), Reason.CAPABILITY_FULL);
        depositor.deposit(first, filled(40_000, 3));
        depositor.deposit(second, filled(50_000, 4));
        assertRefused(() -> depositor.deposit(second, filled(1_000, 5)), Reason.OWNER_FULL);
        assertThat(owner.client().status().bytes()).isEqualTo(150_000);
    }

    @Test
    void onlyItsOwnerFetchesDeletesRevokesOrRekeysAnOwnersEnvelopes() throws Exception {
        Owner owner = mailbox.owner();
        Owner otherOwner = mailbox.owner();
        DepositCapability capability = owner.capability(mailbox);
        mailbox.depositor(capability).deposit(capability, envelope("for the owner only"));
        long seq = owner.client().fetch(0, 10).envelopes().getFirst().seq();

        MailboxClient stranger = mailbox.client(mailbox.peer());
        assertRefused(() -> stranger.fetch(0, 10), Reason.NOT_AN_OWNER);
        assertRefused(() -> stranger.watch(0), Reason.NOT_AN_OWNER);
        assertRefused(() -> stranger.delete(List.of(seq)), Reason.NOT_AN_OWNER);
        assertRefused(() -> stranger.revoke(List.of(capability.capId())), Reason.NOT_AN_OWNER);
        assertRefused(stranger::rekey, Reason.NOT_AN_OWNER);
        assertRefused(stranger::unpair, Reason.NOT_AN_OWNER);
        assertRefused(stranger::status, Reason.NOT_AN_OWNER);

        assertThat(otherOwner.client().fetch(0, 10).envelopes()).isEmpty();
        otherOwner.client().delete(List.of(seq));
        assertThat(owner.client().fetch(0, 10).envelopes()).extracting(MailboxEnvelope::seq).containsExactly(seq);
        mailbox.depositor(capability).deposit(capability, envelope("still valid"));
        assertThat(owner.client().status().envelopes()).isEqualTo(2);
    }

    @Test
    void theSameBytesDepositedTwiceAreStoredOnceAndBothDepositsAreAnswered() throws Exception {
        Owner owner = mailbox.owner();
        DepositCapability capability = owner.capability(mailbox);
        DepositCapability another = owner.capability(mailbox);
        mailbox.depositor(capability).deposit(capability, envelope("retried"));
        mailbox.depositor(capability).deposit(capability, envelope("retried"));
        mailbox.depositor(another).deposit(another, envelope("retried"));
        assertThat(owner.client().fetch(0, 10).envelopes()).hasSize(1);
        assertThat(mailbox.server.deposits()).isEqualTo(1);
    }

    @Test
    void aWatchingOwnerIsPushedEachDepositAsItArrives() throws Exception {
        Owner owner = mailbox.owner();
        DepositCapability capability = owner.capability(mailbox);
        MailboxClient depositor = mailbox.depositor(capability);
        depositor.deposit(capability, envelope("waiting before the watch"));
        try (MailboxClient.Watch watch = owner.client().watch(0)) {
            assertThat(watch.next(Duration.ofSeconds(30)).envelopes()).extracting(e -> new String(e.envelope()))
                    .containsExactly("sealed:waiting before the watch");
            depositor.deposit(capability, envelope("pushed 1"));
            assertThat(watch.next(Duration.ofSeconds(30)).envelopes()).extracting(e -> new String(e.envelope()))
                    .containsExactly("sealed:pushed 1");
            depositor.deposit(capability, envelope("pushed 2"));
            assertThat(watch.next(Duration.ofSeconds(30)).envelopes()).extracting(e -> new String(e.envelope()))
                    .containsExactly("sealed:pushed 2");
        }
        depositor.deposit(capability, envelope("after the watch"));
        assertThat(owner.client().status().envelopes()).isEqualTo(4);
    }

    @Test
    void envelopesOlderThanTheRetentionExpire() throws Exception {
        Owner owner = mailbox.owner();
        DepositCapability capability = owner.capability(mailbox);
        MailboxClient depositor = mailbox.depositor(capability);
        depositor.deposit(capability, envelope("old"));
        clock.advance(Duration.ofDays(13));
        depositor.deposit(capability, envelope("recent"));
        assertThat(mailbox.server.expireNow()).as("nothing is 14 days old yet").isZero();

        clock.advance(Duration.ofDays(1).plusHours(1));
        assertThat(mailbox.server.expireNow()).isEqualTo(1);
        assertThat(owner.client().fetch(0, 10).envelopes()).extracting(e -> new String(e.envelope()))
                .containsExactly("sealed:recent");
        assertThat(owner.client().status().envelopes()).isEqualTo(1);
        assertThat(mailbox.store.envelopeRows()).isEqualTo(1);
    }

    @Test
    void aRestartedMailboxKeepsItsOwnersKeysAndEnvelopes() throws Exception {
        Owner owner = mailbox.owner();
        DepositCapability capability = owner.capability(mailbox);
        mailbox.depositor(capability).deposit(capability, envelope("across a restart"));
        byte[] secret = mailbox.server.pairingSecret();
        mailbox.stopServer();
        mailbox.start(LIMITS);
        assertThat(mailbox.server.pairingSecret()).isEqualTo(secret);
        assertThat(owner.client().pair(mailbox.code()).ownerKey()).isEqualTo(owner.key());
        mailbox.depositor(capability).deposit(capability, envelope("after the restart"));
        assertThat(owner.client().fetch(0, 10).envelopes()).extracting(e -> new String(e.envelope()))
                .containsExactly("sealed:across a restart", "sealed:after the restart");
    }

    private static byte[] filled(int size, int value) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    static void assertRefused(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOf(MailboxRefusedException.class)
                .satisfies(e -> assertThat(((MailboxRefusedException) e).reason()).isEqualTo(reason));
    }
}
