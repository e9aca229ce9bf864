package dev.parley.app.mailbox;

import com.google.protobuf.ByteString;
import dev.parley.app.mailbox.wire.MailboxProtos.Batch;
import dev.parley.app.mailbox.wire.MailboxProtos.Deposit;
import dev.parley.app.mailbox.wire.MailboxProtos.Deposited;
import dev.parley.app.mailbox.wire.MailboxProtos.Done;
import dev.parley.app.mailbox.wire.MailboxProtos.Fetch;
import dev.parley.app.mailbox.wire.MailboxProtos.MailboxRequest;
import dev.parley.app.mailbox.wire.MailboxProtos.MailboxResponse;
import dev.parley.app.mailbox.wire.MailboxProtos.Paired;
import dev.parley.app.mailbox.wire.MailboxProtos.Quotas;
import dev.parley.app.mailbox.wire.MailboxProtos.Refused.Reason;
import dev.parley.app.mailbox.wire.MailboxProtos.Status;
import dev.parley.app.mailbox.wire.MailboxProtos.StoredEnvelope;
import dev.parley.store.DepositOutcome;
import dev.parley.store.MailboxEnvelope;
import dev.parley.store.MailboxLimits;
import dev.parley.store.MailboxOwnerStatus;
import dev.parley.store.MailboxStore;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.PeerId;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailbox side of {@code /parley/mailbox/1.0.0} (app/README.md, "Mailbox"): pairs owners with the pairing
 * secret, takes deposits that carry a valid capability within the quotas, and serves each owner its envelopes.
 * Owners are known by the PeerId their Noise session proves, never by a field; depositors by nothing at all.
 *
 * <p>A deposit is checked cheaply, in memory, before anything touches the disk: the frame's size (by the reader),
 * the envelope's size, the owner being one, the tag (HMAC, constant time); then, in the store's transaction, a
 * revoked capability, a duplicate, the quotas. So a stranger without a capability costs a bounded frame buffer and
 * one HMAC per frame, and a stream that keeps being refused is ended after {@link #MAX_REFUSALS_PER_STREAM} answers.
 */
public final class MailboxServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MailboxServer.class);
    /** How long a stream may sit between requests before the mailbox ends it (a watching one excepted). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Refused deposits after which a stream is reset: a flood needs new streams, which the transport limits. */
    static final int MAX_REFUSALS_PER_STREAM = 16;
    /** Watching streams per owner: a few devices of one person, and no more for a stale one to hold. */
    static final int MAX_WATCHES_PER_OWNER = 4;
    /** How often expiry runs: envelopes live their retention give or take this. */
    static final Duration EXPIRY_PERIOD = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MailboxStore store;
    private final byte[] pairingSecret;
    private final int maxOwners;
    private final MailboxLimits limits;
    private final Clock clock;
    /** The store's owner keys, read on every deposit; changed only after the store committed the change. */
    private final Map<PeerId, byte[]> ownerKeys = new ConcurrentHashMap<>();
    /**
     * Held while an owner is paired, rekeyed or unpaired, from the store's write to {@link #ownerKeys}: without it a
     * pairing that read the old key could put it back after a rekey of the same owner had put the new one (review22a,
     * seen once in 14 runs), and the mailbox would refuse every capability minted under the key it answered.
     */
    private final ReentrantLock ownerChanges = new ReentrantLock();
    private final Map<PeerId, Set<Watch>> watches = new ConcurrentHashMap<>();
    private final ScheduledExecutorService expiry;
    private final AtomicLong deposits = new AtomicLong();

    private MailboxServer(MailboxStore store, byte[] pairingSecret, int maxOwners, MailboxLimits limits, Clock clock) {
        this.store = store;
        this.pairingSecret = pairingSecret.clone();
        this.maxOwners = maxOwners;
        this.limits = limits;
        this.clock = clock;
        store.ownerKeys().forEach((owner, key) -> ownerKeys.put(PeerId.parse(owner), key));
        this.expiry = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("parley-mailbox-expiry").daemon(true).factory());
    }

    /**
     * Serves {@code /parley/mailbox/1.0.0} on {@code host} from {@code store}, pairing with the store's secret (made
     * on first use), and expires old envelopes now and every {@link #EXPIRY_PERIOD}.
     */
    public static MailboxServer start(Host host, MailboxStore store, int maxOwners, MailboxLimits limits, Clock clock) {
        MailboxServer server = new MailboxServer(store, store.pairingSecret(MailboxServer::newPairingSecret),
                maxOwners, limits, clock);
        server.expiry.scheduleWithFixedDelay(server::expireQuietly, 0, EXPIRY_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        host.setHandler(MailboxFrames.PROTOCOL_ID, server::serve);
        return server;
    }

    public static byte[] newPairingSecret() {
        return randomBytes(PairingCode.SECRET_BYTES);
    }

    public byte[] pairingSecret() {
        return pairingSecret.clone();
    }

    public Set<PeerId> owners() {
        return Set.copyOf(ownerKeys.keySet());
    }

    /** Deposits stored since start (duplicates not counted). */
    public long deposits() {
        return deposits.get();
    }

    /** Deletes what has outlived the retention; returns how many envelopes went. */
    public int expireNow() {
        return store.expire(clock.instant(), limits.retention());
    }

    private void expireQuietly() {
        try {
            int expired = expireNow();
            if (expired > 0) {
                log.info("expired {} envelopes older than {} days", expired, limits.retentionDays());
            }
        } catch (RuntimeException e) {
            log.warn("expiring old envelopes failed; trying again in {}", EXPIRY_PERIOD, e);
        }
    }

    private void serve(Stream stream) throws IOException {
        PeerId peer = stream.remotePeer();
        OutputStream out = new BufferedOutputStream(stream.out(), 8 * 1024);
        int refusals = 0;
        try {
            while (true) {
                stream.setReadDeadline(IDLE_TIMEOUT);
                Optional<MailboxRequest> read = MailboxFrames.readRequest(stream.in(), stream.memory(), peer);
                if (read.isEmpty()) {
                    stream.close();
                    return;
                }
                MailboxRequest request = read.get();
                if (request.hasFetch() && request.getFetch().getWatch()) {
                    watch(stream, out, request.getFetch());
                    return;
                }
                MailboxResponse response = answer(peer, request);
                MailboxFrames.write(response, out);
                out.flush();
                if (response.hasRefused() && ++refusals >= MAX_REFUSALS_PER_STREAM) {
                    // Closed, not reset: the peer still reads the last answer, then the end of the stream.
                    log.debug("ending a mailbox stream of {} after {} refusals", peer, refusals);
                    stream.close();
                    return;
                }
            }
        } catch (MailboxProtocolException e) {
            log.debug("mailbox stream of {} ended: {}", peer, e.getMessage());
            stream.reset();
        }
    }

    private MailboxResponse answer(PeerId peer, MailboxRequest request) {
        return switch (request.getRequestCase()) {
            case PAIR -> pair(peer, request.getPair().getSecret());
            case DEPOSIT -> deposit(request.getDeposit());
            default -> ownerKeys.containsKey(peer) ? answerOwner(peer, request)
                    : MailboxFrames.refused(Reason.NOT_AN_OWNER, "this peer is not paired with the mailbox");
        };
    }

    private MailboxResponse answerOwner(PeerId owner, MailboxRequest request) {
        return switch (request.getRequestCase()) {
            case UNPAIR -> unpair(owner);
            case REKEY -> rekey(owner);
            case REVOKE -> revoke(owner, request.getRevoke().getCapIdsList());
            case FETCH -> batch(owner, request.getFetch().getAfterSeq(), request.getFetch().getMax());
            case DELETE -> delete(owner, request.getDelete().getSeqsList());
            case STATUS -> status(owner);
            default -> throw new IllegalStateException("not an owner's request: " + request.getRequestCase());
        };
    }

    private MailboxResponse pair(PeerId peer, ByteString secret) {
        if (!MessageDigest.isEqual(pairingSecret, secret.toByteArray())) {
            return MailboxFrames.refused(Reason.WRONG_SECRET, "the pairing secret is wrong; use the mailbox's current"
                    + " pairing code");
        }
        Optional<byte[]> key;
        ownerChanges.lock();
        try {
            key = store.pair(peer.toBase58(), randomBytes(DepositCapability.OWNER_KEY_BYTES), maxOwners,
                    clock.instant());
            key.ifPresent(kept -> ownerKeys.put(peer, kept));
        } finally {
            ownerChanges.unlock();
        }
        if (key.isEmpty()) {
            return MailboxFrames.refused(Reason.TOO_MANY_OWNERS, "the mailbox has its " + maxOwners + " owners already");
        }
        return MailboxResponse.newBuilder().setPaired(Paired.newBuilder()
                .setOwnerKey(ByteString.copyFrom(key.get())).setQuotas(quotas())).build();
    }

    private MailboxResponse unpair(PeerId owner) {
        ownerChanges.lock();
        try {
            store.unpair(owner.toBase58());
            ownerKeys.remove(owner);
        } finally {
            ownerChanges.unlock();
        }
        Set<Watch> ended = watches.remove(owner);
        if (ended != null) {
            ended.forEach(Watch::end);
        }
        return done();
    }

    private MailboxResponse rekey(PeerId owner) {
        byte[] key = randomBytes(DepositCapability.OWNER_KEY_BYTES);
        ownerChanges.lock();
        try {
            if (!store.rekey(owner.toBase58(), key)) {
                return MailboxFrames.refused(Reason.NOT_AN_OWNER, "this peer is not paired with the mailbox");
            }
            ownerKeys.put(owner, key);
        } finally {
            ownerChanges.unlock();
        }
        return MailboxResponse.newBuilder().setPaired(Paired.newBuilder()
                .setOwnerKey(ByteString.copyFrom(key)).setQuotas(quotas())).build();
    }

    private MailboxResponse revoke(PeerId owner, List<ByteString> capIds) {
        if (capIds.size() > MailboxFrames.MAX_IDS_PER_FRAME
                || capIds.stream().anyMatch(id -> id.size() != DepositCapability.CAP_ID_BYTES)) {
            return MailboxFrames.refused(Reason.BAD_REQUEST, "a revocation names up to " + MailboxFrames.MAX_IDS_PER_FRAME
                    + " capability ids of " + DepositCapability.CAP_ID_BYTES + " bytes");
        }
        if (!store.revoke(owner.toBase58(), capIds.stream().map(ByteString::toByteArray).toList(), limits.maxRevoked())) {
            return MailboxFrames.refused(Reason.REVOKED_LIST_FULL, "the mailbox keeps at most " + limits.maxRevoked()
                    + " revoked capabilities per owner; rekey, which voids every capability at once");
        }
        return done();
    }

    private MailboxResponse deposit(Deposit deposit) {
        if (deposit.getEnvelope().size() > MailboxFrames.MAX_ENVELOPE_BYTES) {
            return MailboxFrames.refused(Reason.TOO_LARGE, "an envelope of " + deposit.getEnvelope().size()
                    + " bytes is over the limit of " + MailboxFrames.MAX_ENVELOPE_BYTES);
        }
        PeerId owner;
        try {
            owner = PeerId.fromBytes(deposit.getOwner().toByteArray());
        } catch (IllegalArgumentException e) {
            return MailboxFrames.refused(Reason.UNKNOWN_OWNER, "the owner is no PeerId: " + e.getMessage());
        }
        byte[] key = ownerKeys.get(owner);
        if (key == null) {
            return MailboxFrames.refused(Reason.UNKNOWN_OWNER, "the mailbox holds nothing for " + owner);
        }
        byte[] capId = deposit.getCapId().toByteArray();
        if (!DepositCapability.tagMatches(key, owner, capId, deposit.getTag().toByteArray())) {
            return MailboxFrames.refused(Reason.BAD_CAPABILITY, "the capability is not valid for " + owner);
        }
        DepositOutcome outcome = store.deposit(owner.toBase58(), capId, deposit.getEnvelope().toByteArray(), limits,
                clock.instant());
        return switch (outcome) {
            case STORED -> {
                deposits.incrementAndGet();
                watches.getOrDefault(owner, Set.of()).forEach(Watch::wake);
                yield deposited();
            }
            case DUPLICATE -> deposited();
            case UNKNOWN_OWNER -> MailboxFrames.refused(Reason.UNKNOWN_OWNER, "the mailbox holds nothing for " + owner);
            case REVOKED -> MailboxFrames.refused(Reason.REVOKED, "the owner revoked this capability");
            case OWNER_FULL -> MailboxFrames.refused(Reason.OWNER_FULL, "the owner's mailbox is full ("
                    + limits.ownerMaxEnvelopes() + " envelopes or " + limits.ownerMaxBytes() + " bytes)");
            case CAPABILITY_FULL -> MailboxFrames.refused(Reason.CAPABILITY_FULL, "this capability deposited its "
                    + limits.capabilityMaxEnvelopes() + " envelopes or " + limits.capabilityMaxBytes() + " bytes of the"
                    + " last " + limits.retentionDays() + " days");
        };
    }

    private MailboxResponse batch(PeerId owner, long afterSeq, int max) {
        List<MailboxEnvelope> envelopes = fetch(owner, afterSeq, max);
        return MailboxResponse.newBuilder().setBatch(batchOf(envelopes, more(owner, envelopes))).build();
    }

    /**
     * Whether the owner holds envelopes after {@code batch}: a batch is cut by its count or by its bytes, and the
     * bytes cut it at any count (review22a: a batch cut by its bytes said there was no more).
     */
    private boolean more(PeerId owner, List<MailboxEnvelope> batch) {
        return !batch.isEmpty() && store.holdsAfter(owner.toBase58(), batch.getLast().seq());
    }

    private List<MailboxEnvelope> fetch(PeerId owner, long afterSeq, int max) {
        return store.fetch(owner.toBase58(), afterSeq, batchSize(max), MailboxFrames.MAX_BATCH_BYTES);
    }

    private static int batchSize(int max) {
        return max <= 0 || max > MailboxFrames.MAX_BATCH_ENVELOPES ? MailboxFrames.MAX_BATCH_ENVELOPES : max;
    }

    private static Batch batchOf(List<MailboxEnvelope> envelopes, boolean more) {
        Batch.Builder batch = Batch.newBuilder();
        for (MailboxEnvelope envelope : envelopes) {
            batch.addEnvelopes(StoredEnvelope.newBuilder().setSeq(envelope.seq())
                    .setEnvelope(ByteString.copyFrom(envelope.envelope()))
                    .setDepositedHour(envelope.depositedHour().getEpochSecond()));
        }
        return batch.setMore(more).build();
    }

    private MailboxResponse delete(PeerId owner, List<Long> seqs) {
        if (seqs.size() > MailboxFrames.MAX_IDS_PER_FRAME) {
            return MailboxFrames.refused(Reason.BAD_REQUEST, "a deletion names up to " + MailboxFrames.MAX_IDS_PER_FRAME
                    + " envelopes, not " + seqs.size());
        }
        store.delete(owner.toBase58(), seqs, clock.instant());
        return done();
    }

    private MailboxResponse status(PeerId owner) {
        Optional<MailboxOwnerStatus> held = store.status(owner.toBase58());
        if (held.isEmpty()) {
            return MailboxFrames.refused(Reason.NOT_AN_OWNER, "this peer is not paired with the mailbox");
        }
        MailboxOwnerStatus status = held.get();
        return MailboxResponse.newBuilder().setStatus(Status.newBuilder().setEnvelopes(status.envelopes())
                .setBytes(status.bytes()).setOldestDepositedHour(status.oldestHour().map(t -> t.getEpochSecond()).orElse(0L))
                .setRevoked(status.revoked()).setQuotas(quotas())).build();
    }

    /**
     * Serves a watching fetch: everything after the fetch's seq in batches, then each new deposit as it is stored,
     * until the owner closes its side (any frame it sends instead ends the watch too) or is unpaired. The first batch
     * is sent even when empty: it tells the owner that the watch is on.
     */
    private void watch(Stream stream, OutputStream out, Fetch fetch) throws IOException {
        PeerId owner = stream.remotePeer();
        if (!ownerKeys.containsKey(owner)) {
            MailboxFrames.write(MailboxFrames.refused(Reason.NOT_AN_OWNER, "this peer is not paired with the mailbox"), out);
            out.flush();
            stream.close();
            return;
        }
        Watch watch = new Watch();
        Set<Watch> ownersWatches = watches.computeIfAbsent(owner, ignored -> ConcurrentHashMap.newKeySet());
        if (ownersWatches.size() >= MAX_WATCHES_PER_OWNER) {
            MailboxFrames.write(MailboxFrames.refused(Reason.BAD_REQUEST, "an owner watches on at most "
                    + MAX_WATCHES_PER_OWNER + " streams at once"), out);
            out.flush();
            stream.close();
            return;
        }
        ownersWatches.add(watch);
        Thread endWatcher = Thread.ofVirtual().name("mailbox-watch-end").start(() -> awaitEnd(stream, watch));
        try {
            long cursor = fetch.getAfterSeq();
            boolean first = true;
            while (!watch.ended()) {
                List<MailboxEnvelope> envelopes = fetch(owner, cursor, fetch.getMax());
                boolean more = more(owner, envelopes);
                if (first || !envelopes.isEmpty()) {
                    MailboxFrames.write(MailboxResponse.newBuilder().setBatch(batchOf(envelopes, more)).build(), out);
                    out.flush();
                    first = false;
                }
                if (!envelopes.isEmpty()) {
                    cursor = envelopes.getLast().seq();
                }
                // What is held already goes on at once, whatever cut the batch (review22a: a batch cut by its bytes
                // waited for the next deposit); a deposit while this ran wakes the await below at once.
                if (!more) {
                    watch.await();
                }
            }
            stream.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.reset();
        } finally {
            ownersWatches.remove(watch);
            watch.end();
            endWatcher.interrupt();
        }
    }

    private static void awaitEnd(Stream stream, Watch watch) {
        try {
            stream.setReadDeadline(null);
            stream.in().read();
        } catch (IOException e) {
            log.debug("watching stream {} ended: {}", stream, e.getMessage());
        } finally {
            watch.end();
        }
    }

    /** One watching stream: woken by each deposit for its owner, ended by the owner or an unpairing. */
    private static final class Watch {
        private final Semaphore wakeUps = new Semaphore(0);
        private volatile boolean ended;

        void wake() {
            wakeUps.release();
        }

        void end() {
            ended = true;
            wakeUps.release();
        }

        boolean ended() {
            return ended;
        }

        /** Waits for a wake-up or the end, then takes every wake-up waiting: one fetch serves them all. */
        void await() throws InterruptedException {
            wakeUps.acquire();
            wakeUps.drainPermits();
        }
    }

    private Quotas quotas() {
        return Quotas.newBuilder().setOwnerMaxEnvelopes(limits.ownerMaxEnvelopes()).setOwnerMaxBytes(limits.ownerMaxBytes())
                .setCapabilityMaxEnvelopes(limits.capabilityMaxEnvelopes())
                .setCapabilityMaxBytes(limits.capabilityMaxBytes()).setRetentionDays(limits.retentionDays())
                .setMaxRevoked(limits.maxRevoked()).build();
    }

    private static MailboxResponse done() {
        return MailboxResponse.newBuilder().setDone(Done.getDefaultInstance()).build();
    }

    private static MailboxResponse deposited() {
        return MailboxResponse.newBuilder().setDeposited(Deposited.getDefaultInstance()).build();
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Stops expiring; the host's handler goes with the host. Watching streams end as the host closes them. */
    @Override
    public void close() {
        expiry.shutdownNow();
        watches.values().forEach(set -> set.forEach(Watch::end));
    }
}
