package dev.parley.app.mailbox;

import com.google.protobuf.ByteString;
import dev.parley.app.mailbox.wire.MailboxProtos.Batch;
import dev.parley.app.mailbox.wire.MailboxProtos.Delete;
import dev.parley.app.mailbox.wire.MailboxProtos.Deposit;
import dev.parley.app.mailbox.wire.MailboxProtos.Fetch;
import dev.parley.app.mailbox.wire.MailboxProtos.MailboxRequest;
import dev.parley.app.mailbox.wire.MailboxProtos.MailboxResponse;
import dev.parley.app.mailbox.wire.MailboxProtos.Pair;
import dev.parley.app.mailbox.wire.MailboxProtos.Paired;
import dev.parley.app.mailbox.wire.MailboxProtos.Quotas;
import dev.parley.app.mailbox.wire.MailboxProtos.Rekey;
import dev.parley.app.mailbox.wire.MailboxProtos.Revoke;
import dev.parley.app.mailbox.wire.MailboxProtos.Status;
import dev.parley.app.mailbox.wire.MailboxProtos.StatusRequest;
import dev.parley.app.mailbox.wire.MailboxProtos.StoredEnvelope;
import dev.parley.app.mailbox.wire.MailboxProtos.Unpair;
import dev.parley.store.MailboxEnvelope;
import dev.parley.store.MailboxLimits;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Talks {@code /parley/mailbox/1.0.0} to one mailbox over a host's connections: as its owner (pair, fetch, watch,
 * delete, revoke, rekey, status, unpair) or as a depositor holding a {@link DepositCapability}. Calls block (run them
 * on virtual threads), each within {@link #TIMEOUT}; a refusal is a {@link MailboxRefusedException} with the mailbox's
 * reason, a broken stream an {@link IOException}.
 */
public final class MailboxClient {
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Host host;
    private final PeerId mailbox;

    /** A client of {@code mailbox}, whose {@code addresses} go into the host's address book. */
    public MailboxClient(Host host, PeerId mailbox, List<Multiaddr> addresses) {
        this.host = host;
        this.mailbox = mailbox;
        host.addressBook().add(mailbox, addresses.stream().map(Multiaddr::withoutPeerId).toList());
    }

    public static MailboxClient of(Host host, PairingCode code) {
        return new MailboxClient(host, code.mailbox(), code.addresses());
    }

    public static MailboxClient of(Host host, DepositCapability capability) {
        return new MailboxClient(host, capability.mailbox(), capability.addresses());
    }

    public PeerId mailbox() {
        return mailbox;
    }

    /** Pairs this host as an owner; returns the owner key K (the same K when paired already) and the quotas. */
    public OwnerPairing pair(PairingCode code) throws IOException {
        Paired paired = ask(MailboxRequest.newBuilder().setPair(Pair.newBuilder()
                .setSecret(ByteString.copyFrom(code.secret())))).getPaired();
        return new OwnerPairing(paired.getOwnerKey().toByteArray(), limits(paired.getQuotas()));
    }

    /** Forgets this owner at the mailbox, with its key and every envelope it held. */
    public void unpair() throws IOException {
        ask(MailboxRequest.newBuilder().setUnpair(Unpair.getDefaultInstance()));
    }

    /** Replaces the owner key, voiding every capability minted so far; returns the new key. */
    public byte[] rekey() throws IOException {
        return ask(MailboxRequest.newBuilder().setRekey(Rekey.getDefaultInstance())).getPaired().getOwnerKey()
                .toByteArray();
    }

    public void revoke(List<byte[]> capIds) throws IOException {
        Revoke.Builder revoke = Revoke.newBuilder();
        capIds.forEach(id -> revoke.addCapIds(ByteString.copyFrom(id)));
        ask(MailboxRequest.newBuilder().setRevoke(revoke));
    }

    /** Deposits one envelope on a stream of its own; returns once the mailbox has it on disk. */
    public void deposit(DepositCapability capability, byte[] envelope) throws IOException {
        try (Depositor depositor = depositor()) {
            depositor.deposit(capability, envelope);
        }
    }

    /** A stream for many deposits in turn. */
    public Depositor depositor() throws IOException {
        return new Depositor(new Exchange(open()));
    }

    /** The owner's envelopes after {@code afterSeq}, in order, at most {@code max} (the mailbox may send fewer). */
    public FetchedBatch fetch(long afterSeq, int max) throws IOException {
        return FetchedBatch.of(ask(MailboxRequest.newBuilder().setFetch(Fetch.newBuilder().setAfterSeq(afterSeq)
                .setMax(max))).getBatch());
    }

    /** Deletes envelopes the owner has committed, by seq. */
    public void delete(List<Long> seqs) throws IOException {
        ask(MailboxRequest.newBuilder().setDelete(Delete.newBuilder().addAllSeqs(seqs)));
    }

    public OwnerStatus status() throws IOException {
        Status status = ask(MailboxRequest.newBuilder().setStatus(StatusRequest.getDefaultInstance())).getStatus();
        return new OwnerStatus(status.getEnvelopes(), status.getBytes(), status.getOldestDepositedHour() == 0
                ? Optional.empty() : Optional.of(Instant.ofEpochSecond(status.getOldestDepositedHour())),
                status.getRevoked(), limits(status.getQuotas()));
    }

    private MailboxLimits limits(Quotas quotas) throws MailboxProtocolException {
        try {
            return new MailboxLimits(quotas.getOwnerMaxEnvelopes(), quotas.getOwnerMaxBytes(),
                    quotas.getCapabilityMaxEnvelopes(), quotas.getCapabilityMaxBytes(),
                    Duration.ofDays(quotas.getRetentionDays()), quotas.getMaxRevoked());
        } catch (IllegalArgumentException e) {
            throw new MailboxProtocolException("mailbox " + mailbox + " sent quotas that make no sense: "
                    + e.getMessage());
        }
    }

    /** What pairing gives an owner: its key K, to mint capabilities with, and the mailbox's quotas. */
    public record OwnerPairing(byte[] ownerKey, MailboxLimits quotas) {
    }

    /** What the mailbox holds for its owner, and its quotas. */
    public record OwnerStatus(long envelopes, long bytes, Optional<Instant> oldestHour, int revoked,
                              MailboxLimits quotas) {
    }

    /**
     * Watches the owner's mailbox from {@code afterSeq}: returns once the mailbox has started the watch (its first
     * batch, maybe empty, is the watch's first {@link Watch#next}).
     */
    public Watch watch(long afterSeq) throws IOException {
        return watch(afterSeq, 0);
    }

    /** Like {@link #watch(long)}, in batches of at most {@code max} envelopes (0: as many as the mailbox sends). */
    public Watch watch(long afterSeq, int max) throws IOException {
        Exchange exchange = new Exchange(open());
        try {
            exchange.send(MailboxRequest.newBuilder().setFetch(Fetch.newBuilder().setAfterSeq(afterSeq).setWatch(true)
                    .setMax(max)).build());
            FetchedBatch first = FetchedBatch.of(exchange.receive(TIMEOUT).getBatch());
            return new Watch(exchange, first);
        } catch (IOException | RuntimeException e) {
            exchange.stream.reset();
            throw e;
        }
    }

    private MailboxResponse ask(MailboxRequest.Builder request) throws IOException {
        try (Exchange exchange = new Exchange(open())) {
            exchange.send(request.build());
            return exchange.receive(TIMEOUT);
        }
    }

    /**
     * Whether we reach the mailbox through a relay now (connecting if need be): a relay ends a circuit after a little
     * data, so what is fetched over one must come in small batches.
     */
    public boolean throughRelay() throws IOException {
        return host.connect(mailbox).isRelayed();
    }

    private Stream open() throws IOException {
        return host.connect(mailbox).newStream(TIMEOUT, MailboxFrames.PROTOCOL_ID);
    }

    /** Envelopes as one batch brought them; {@code more} when the batch was cut by its limits. */
    public record FetchedBatch(List<MailboxEnvelope> envelopes, boolean more) {
        static FetchedBatch of(Batch batch) {
            return new FetchedBatch(batch.getEnvelopesList().stream().map(FetchedBatch::envelope).toList(),
                    batch.getMore());
        }

        private static MailboxEnvelope envelope(StoredEnvelope stored) {
            return new MailboxEnvelope(stored.getSeq(), stored.getEnvelope().toByteArray(),
                    Instant.ofEpochSecond(stored.getDepositedHour()));
        }
    }

    /** One stream: requests out, responses in; a refusal thrown as such. */
    private static final class Exchange implements AutoCloseable {
        private final Stream stream;
        private final OutputStream out;

        Exchange(Stream stream) {
            this.stream = stream;
            this.out = new BufferedOutputStream(stream.out(), 8 * 1024);
        }

        void send(MailboxRequest request) throws IOException {
            MailboxFrames.write(request, out);
            out.flush();
        }

        MailboxResponse receive(Duration timeout) throws IOException {
            stream.setReadDeadline(timeout);
            MailboxResponse response = MailboxFrames.readResponse(stream.in(), stream.memory(), stream.remotePeer());
            if (response.hasRefused()) {
                throw new MailboxRefusedException(response.getRefused());
            }
            return response;
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    /** Deposits in turn on one stream, each answered before the next is sent. */
    public static final class Depositor implements AutoCloseable {
        private final Exchange exchange;

        private Depositor(Exchange exchange) {
            this.exchange = exchange;
        }

        /** Returns once the mailbox has the envelope on disk (or had these bytes already). */
        public void deposit(DepositCapability capability, byte[] envelope) throws IOException {
            exchange.send(MailboxRequest.newBuilder().setDeposit(Deposit.newBuilder()
                    .setOwner(ByteString.copyFrom(capability.owner().bytes()))
                    .setCapId(ByteString.copyFrom(capability.capId())).setTag(ByteString.copyFrom(capability.tag()))
                    .setEnvelope(ByteString.copyFrom(envelope))).build());
            exchange.receive(TIMEOUT);
        }

        @Override
        public void close() {
            exchange.close();
        }
    }

    /** A watching fetch: batches as the mailbox pushes them, until closed. */
    public static final class Watch implements AutoCloseable {
        private final Exchange exchange;
        private FetchedBatch first;

        private Watch(Exchange exchange, FetchedBatch first) {
            this.exchange = exchange;
            this.first = first;
        }

        /** The next batch: the first one the watch began with, then each pushed one, waiting up to {@code timeout}. */
        public FetchedBatch next(Duration timeout) throws IOException {
            if (first != null) {
                FetchedBatch batch = first;
                first = null;
                return batch;
            }
            return FetchedBatch.of(exchange.receive(timeout).getBatch());
        }

        @Override
        public void close() {
            exchange.close();
        }
    }
}
