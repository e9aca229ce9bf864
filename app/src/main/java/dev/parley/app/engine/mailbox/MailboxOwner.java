package dev.parley.app.engine.mailbox;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.EngineException.Problem;
import dev.parley.app.engine.api.MailboxStatus;
import dev.parley.app.engine.threads.Tasks;
import dev.parley.app.engine.wire.ChatProtos.MailboxGrant;
import dev.parley.app.mailbox.DepositCapability;
import dev.parley.app.mailbox.InvalidMailboxCodeException;
import dev.parley.app.mailbox.MailboxClient;
import dev.parley.app.mailbox.MailboxRefusedException;
import dev.parley.app.mailbox.PairingCode;
import dev.parley.crypto.ContactCard;
import dev.parley.store.GivenGrant;
import dev.parley.store.MailboxEnvelope;
import dev.parley.store.MailboxLimits;
import dev.parley.store.OwnMailbox;
import dev.parley.store.SqliteStore;
import dev.parley.transport.Host;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our own mailbox (app/README.md, "Mailboxes in the engine"): pairing with it from a code, giving each accepted
 * contact a capability to deposit there (and revoking it when the contact is blocked), and watching it while the
 * engine runs: what it holds reaches us as it arrives, is committed through the inbox, and only then deleted there.
 *
 * <p>One thread watches; it waits, backing off from {@link #FIRST_RETRY} to {@link #MAX_RETRY}, while the mailbox
 * cannot be reached, and is woken by pairing, unpairing and closing.
 */
public final class MailboxOwner implements AutoCloseable {
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofMinutes(1);
    /** A watch with nothing pushed for this long is started again: a cheap check that the mailbox is still there. */
    static final Duration WATCH_RENEWAL = Duration.ofMinutes(5);
    /**
     * Envelopes a batch fetched through a relay, which ends a circuit after a little data (relay v2's default is 128
     * KiB): one circuit carries several such batches of text messages. After a watch that broke with nothing taken, one
     * envelope a batch (at most 64 KiB), so that each circuit takes at least one.
     */
    static final int RELAYED_BATCH = 16;
    private static final Logger log = LoggerFactory.getLogger(MailboxOwner.class);

    /** Takes what the mailbox held for us; returns the seqs it is done with (committed, or refused for good). */
    @FunctionalInterface
    public interface Arrivals {
        List<Long> take(List<MailboxEnvelope> batch);
    }

    /** Sends a contact the payload of a {@code MAILBOX_GRANT} envelope, kept in the outbox until acknowledged. */
    @FunctionalInterface
    public interface GrantSender {
        void send(ContactCard contact, byte[] grant);
    }

    private final PeerId me;
    private final Host host;
    private final SqliteStore store;
    private final Supplier<List<ContactCard>> acceptedCards;
    private final Function<PeerId, Optional<ContactCard>> acceptedCard;
    private final Predicate<PeerId> isBlocked;
    private final Arrivals arrivals;
    private final GrantSender grants;
    private final Tasks tasks;
    private final Consumer<EngineEvent> events;
    private final InstantSource wall;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock:
    private boolean closed;
    private boolean signalled;
    private MailboxClient.Watch watching;
    private boolean connected;
    private long fetched;
    /** Whether the watch under way has taken a batch: its breaking is no failure to back off from. */
    private volatile boolean movedOnBeforeBreaking;
    /**
     * The seq the next watch starts after: past what the last one took when it broke, so that envelopes left in the
     * mailbox (a room's, ahead of the room here) are not fetched again on every circuit through a relay and starve
     * what follows them (review22f); 0 after a watch that ended well, so that those come again at its renewal.
     */
    private volatile long resumeAfter;
    /** The mailbox {@link #resumeAfter} is a seq of: another mailbox's seqs start afresh. */
    private volatile String resumeIn;
    private Optional<MailboxStatus.Usage> usage = Optional.empty();
    private Thread watcher;

    /**
     * @param acceptedCards every accepted contact's card
     * @param acceptedCard  the card of {@code peer} if it is an accepted contact
     * @param isBlocked     whether {@code peer} is blocked
     */
    public MailboxOwner(PeerId me, Host host, SqliteStore store, Supplier<List<ContactCard>> acceptedCards,
                        Function<PeerId, Optional<ContactCard>> acceptedCard, Predicate<PeerId> isBlocked,
                        Arrivals arrivals, GrantSender grants, Tasks tasks, Consumer<EngineEvent> events,
                        InstantSource wall) {
        this.me = me;
        this.host = host;
        this.store = store;
        this.acceptedCards = acceptedCards;
        this.acceptedCard = acceptedCard;
        this.isBlocked = isBlocked;
        this.arrivals = arrivals;
        this.grants = grants;
        this.tasks = tasks;
        this.events = events;
        this.wall = wall;
    }

    /** Starts watching the mailbox we own, if any, and gives the contacts that lack one their capability. */
    public void start() {
        Thread started = tasks.start("mailbox-owner", this::watchWhileOpen);
        lock.lock();
        try {
            watcher = started;
        } finally {
            lock.unlock();
        }
        if (store.mailboxes().own().isPresent()) {
            tasks.start("mailbox-grants", this::grantEveryContact);
        }
    }

    /**
     * Pairs with the mailbox of {@code code} ({@code parley-mailbox:…}, as {@code parley mailbox} prints it): it
     * becomes ours, every accepted contact is given a capability to it, and it is watched from now on. Pairing
     * again with the same mailbox changes nothing. Blocks while the mailbox is asked.
     *
     * @throws EngineException when the code is not a pairing code, the mailbox cannot be reached or refuses, or we
     *                         own another mailbox (unpair it first)
     */
    public MailboxStatus pair(String code) throws EngineException {
        PairingCode pairing;
        try {
            pairing = PairingCode.parse(code.strip());
        } catch (InvalidMailboxCodeException e) {
            throw new EngineException(Problem.MAILBOX_CODE_INVALID, "that is not a mailbox pairing code: "
                    + e.getMessage());
        }
        Optional<OwnMailbox> own = store.mailboxes().own();
        if (own.isPresent() && !own.get().mailbox().equals(pairing.mailbox().toBase58())) {
            throw new EngineException(Problem.MAILBOX_ALREADY_PAIRED, "you have a mailbox already ("
                    + own.get().mailbox() + "); unpair it before you pair with another", own.get().mailbox());
        }
        MailboxClient.OwnerPairing paired;
        byte[] ownerKey;
        try {
            MailboxClient client = MailboxClient.of(host, pairing);
            paired = client.pair(pairing);
            // Pairing afresh, we hold no capability minted before: the mailbox may still know us under a key from a
            // pairing we left while it was away (it returns that key again), and with it capabilities we revoked or
            // forgot. A new key voids them all (review22c).
            ownerKey = own.isPresent() ? paired.ownerKey() : client.rekey();
        } catch (MailboxRefusedException e) {
            throw switch (e.reason()) {
                case WRONG_SECRET -> new EngineException(Problem.MAILBOX_CODE_REFUSED, "the mailbox refused the pairing"
                        + " code: it is old or mistyped (the mailbox can print a new one with --new-pairing-code)");
                case TOO_MANY_OWNERS -> new EngineException(Problem.MAILBOX_FULL,
                        "the mailbox has as many owners as it takes");
                default -> new EngineException(e.getMessage(), e);
            };
        } catch (IOException e) {
            throw new EngineException(Problem.MAILBOX_UNREACHABLE, "the mailbox " + pairing.mailbox()
                    + " could not be reached: " + e.getMessage(), pairing.mailbox().toBase58());
        }
        if (own.isEmpty() || !Arrays.equals(own.get().ownerKey(), ownerKey)) {
            store.mailboxes().pair(new OwnMailbox(pairing.mailbox().toBase58(), encode(pairing.addresses()),
                    ownerKey, wall.instant()));
        }
        if (own.isEmpty()) {
            // The new key voided every capability withdrawn before: none is left to revoke.
            store.mailboxes().revoked(store.mailboxes().toRevoke());
        }
        setUsage(Optional.of(usage(0, 0, paired.quotas())));
        signal();
        grantEveryContact();
        return status();
    }

    /**
     * Leaves our mailbox: it forgets us and what it held for us, and our contacts are told we have none. Works
     * offline too: then the mailbox keeps what it held until its retention ends.
     *
     * @throws EngineException when we own no mailbox
     */
    public void unpair() throws EngineException {
        OwnMailbox own = store.mailboxes().own().orElseThrow(() -> new EngineException(Problem.NO_MAILBOX,
                "you have no mailbox"));
        try {
            client(own).unpair();
        } catch (IOException e) {
            log.info("mailbox {} not reached to unpair; forgotten here: {}", own.mailbox(), e.getMessage());
        }
        store.mailboxes().unpair();
        byte[] none = MailboxGrant.getDefaultInstance().toByteArray();
        acceptedCards.get().stream().filter(MailboxOwner::takesGrants).forEach(card -> grants.send(card, none));
        setUsage(Optional.empty());
        signal();
    }

    /** Our mailbox as we know it now; the usage as the mailbox last said. */
    public MailboxStatus status() {
        Optional<OwnMailbox> own = store.mailboxes().own();
        if (own.isEmpty()) {
            return MailboxStatus.NONE;
        }
        lock.lock();
        try {
            return new MailboxStatus(Optional.of(PeerId.parse(own.get().mailbox())), Optional.of(own.get().pairedAt()),
                    connected, fetched, usage);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A contact changed: one accepted gets a capability, one blocked loses it. The task looks at the contact as it is
     * when it runs, under the lock grant and withdraw share, so that a block and an accept in quick succession end as
     * the last of them says, whichever task runs first.
     */
    public void contactChanged(ContactInfo contact) {
        if (contact.status() == ContactStatus.ACCEPTED || contact.status() == ContactStatus.BLOCKED) {
            tasks.start("mailbox-contact " + contact.peer(), () -> reconcile(contact.peer()));
        }
    }

    private synchronized void reconcile(PeerId peer) {
        Optional<ContactCard> accepted = acceptedCard.apply(peer);
        if (accepted.isPresent()) {
            if (takesGrants(accepted.get())) {
                grant(accepted.get());
            }
        } else if (isBlocked.test(peer)) {
            withdraw(peer);
        }
    }

    private static boolean takesGrants(ContactCard card) {
        return card.supports(ContactCard.Feature.MAILBOX_DEPOSITS);
    }

    private void grantEveryContact() {
        acceptedCards.get().stream().filter(MailboxOwner::takesGrants).forEach(this::grant);
    }

    /** Mints a capability for the contact and sends it, unless it holds a good one to the mailbox we own. */
    private synchronized void grant(ContactCard contact) {
        Optional<OwnMailbox> own = store.mailboxes().own();
        if (own.isEmpty()) {
            return;
        }
        String peer = contact.peerId().toBase58();
        Optional<GivenGrant> given = store.mailboxes().given(peer);
        if (given.isPresent() && given.get().revokedAt().isEmpty() && given.get().mailbox().equals(own.get().mailbox())) {
            return;
        }
        PeerId mailbox = PeerId.parse(own.get().mailbox());
        DepositCapability capability = DepositCapability.mint(own.get().ownerKey(), me, mailbox,
                decode(own.get().addresses()));
        store.mailboxes().give(new GivenGrant(peer, own.get().mailbox(), capability.capId(), wall.instant(),
                Optional.empty()));
        grants.send(contact, MailboxGrant.newBuilder().setCapability(ByteString.copyFrom(capability.encode())).build()
                .toByteArray());
    }

    /**
     * The contact's capability is withdrawn and revoked at the mailbox (now, or when next connected); what we carry
     * for it is forgotten. The capability it gave us stays: nothing goes to a blocked contact, and should it be
     * accepted again, it would not know to give it again (review22c).
     */
    private synchronized void withdraw(PeerId contact) {
        store.mailboxes().withdraw(contact.toBase58(), wall.instant());
        store.carried().dropFor(contact.toBase58());
        store.mailboxes().own().ifPresent(own -> {
            try {
                revokeWithdrawn(client(own));
            } catch (IOException e) {
                log.info("revocation for {} waits for the mailbox: {}", contact, e.getMessage());
            }
        });
    }

    private void revokeWithdrawn(MailboxClient client) throws IOException {
        List<GivenGrant> withdrawn = store.mailboxes().toRevoke();
        if (!withdrawn.isEmpty()) {
            client.revoke(withdrawn.stream().map(GivenGrant::capId).toList());
            store.mailboxes().revoked(withdrawn);
        }
    }

    // The watcher.

    private void watchWhileOpen() {
        int failures = 0;
        boolean stalled = false;
        while (!isClosed()) {
            Optional<OwnMailbox> own = store.mailboxes().own();
            if (own.isEmpty()) {
                awaitSignal(Optional.empty());
                continue;
            }
            try {
                watch(own.get(), stalled);
                failures = 0;
                stalled = false;
                resumeAfter = 0;
            } catch (IOException | RuntimeException e) {
                if (isClosed()) {
                    return;
                }
                // A watch that took something before it broke (a relay's circuit ran out) goes on after the shortest
                // wait, from where it was; one that took nothing is stalled.
                stalled = !movedOnBeforeBreaking;
                failures = movedOnBeforeBreaking ? 1 : failures + 1;
                log.debug("watching mailbox {} failed ({} in a row): {}", own.get().mailbox(), failures, e.toString());
                setConnected(false);
                long delay = Math.min(MAX_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(failures - 1, 10));
                awaitSignal(Optional.of(Duration.ofMillis(delay)));
            }
        }
    }

    /**
     * Watches {@code own} until the watch is renewed, we unpair, or the engine closes; throws when it breaks. Through
     * a relay, what the mailbox holds is first fetched a small batch at a time, each deleted before the next is asked
     * for: a watch pushes everything at once, more than a circuit may carry.
     *
     * @param stalled whether the last watch broke having taken nothing: through a relay, batches of one envelope then
     */
    private void watch(OwnMailbox own, boolean stalled) throws IOException {
        movedOnBeforeBreaking = false;
        if (!own.mailbox().equals(resumeIn)) {
            resumeIn = own.mailbox();
            resumeAfter = 0;
        }
        MailboxClient client = client(own);
        revokeWithdrawn(client);
        MailboxClient.OwnerStatus status = client.status();
        setUsage(Optional.of(usage(status.envelopes(), status.bytes(), status.quotas())));
        int batchSize = !client.throughRelay() ? 0 : stalled ? 1 : RELAYED_BATCH;
        if (batchSize > 0) {
            setConnected(true);
            while (stillOwned(own) && take(client, client.fetch(resumeAfter, batchSize))) {
                // the next small batch
            }
        }
        try (MailboxClient.Watch watch = client.watch(resumeAfter, batchSize)) {
            if (!startWatching(watch)) {
                return;
            }
            setConnected(true);
            while (stillOwned(own)) {
                try {
                    take(client, watch.next(WATCH_RENEWAL));
                } catch (InterruptedIOException e) {
                    return;
                }
            }
        } finally {
            stopWatching();
        }
    }

    /**
     * Takes a batch through the arrivals, deletes at the mailbox what they are done with, and moves the place to
     * resume from past it; false if the batch was empty.
     */
    private boolean take(MailboxClient client, MailboxClient.FetchedBatch batch) throws IOException {
        if (batch.envelopes().isEmpty()) {
            return false;
        }
        List<Long> done = arrivals.take(batch.envelopes());
        if (!done.isEmpty()) {
            client.delete(done);
        }
        resumeAfter = Math.max(resumeAfter, batch.envelopes().getLast().seq());
        movedOnBeforeBreaking = true;
        lock.lock();
        try {
            fetched += batch.envelopes().size();
        } finally {
            lock.unlock();
        }
        events.accept(new EngineEvent.MailboxChanged(status()));
        return true;
    }

    private boolean stillOwned(OwnMailbox watched) {
        return !isClosed() && store.mailboxes().own().filter(own -> own.mailbox().equals(watched.mailbox())
                && Arrays.equals(own.ownerKey(), watched.ownerKey())).isPresent();
    }

    private boolean startWatching(MailboxClient.Watch watch) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            watching = watch;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void stopWatching() {
        lock.lock();
        try {
            watching = null;
        } finally {
            lock.unlock();
        }
    }

    private MailboxClient client(OwnMailbox own) {
        return new MailboxClient(host, PeerId.parse(own.mailbox()), decode(own.addresses()));
    }

    private void setConnected(boolean now) {
        boolean changedNow;
        lock.lock();
        try {
            changedNow = connected != now;
            connected = now;
        } finally {
            lock.unlock();
        }
        if (changedNow) {
            events.accept(new EngineEvent.MailboxChanged(status()));
        }
    }

    private void setUsage(Optional<MailboxStatus.Usage> now) {
        lock.lock();
        try {
            usage = now;
        } finally {
            lock.unlock();
        }
        events.accept(new EngineEvent.MailboxChanged(status()));
    }

    private static MailboxStatus.Usage usage(long envelopes, long bytes, MailboxLimits quotas) {
        return new MailboxStatus.Usage(envelopes, bytes, quotas.ownerMaxEnvelopes(), quotas.ownerMaxBytes(),
                (int) quotas.retention().toDays());
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the watcher: what we own changed. A watch under way ends, so that the next one watches what is ours. */
    private void signal() {
        MailboxClient.Watch current;
        lock.lock();
        try {
            signalled = true;
            changed.signalAll();
            current = watching;
        } finally {
            lock.unlock();
        }
        if (current != null) {
            current.close();
        }
    }

    private void awaitSignal(Optional<Duration> atMost) {
        lock.lock();
        try {
            long left = atMost.map(Duration::toNanos).orElse(Long.MAX_VALUE);
            while (!signalled && !closed && left > 0) {
                left = changed.awaitNanos(left);
            }
            signalled = false;
        } catch (InterruptedException e) {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops watching; returns once the watcher has ended. */
    @Override
    public void close() {
        Thread running;
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            running = watcher;
        } finally {
            lock.unlock();
        }
        signal();
        if (running != null && running.getState() != Thread.State.NEW) {
            running.interrupt();
            try {
                running.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The mailbox's addresses as the store keeps them: one multiaddr a line. */
    static byte[] encode(List<Multiaddr> addresses) {
        return String.join("\n", addresses.stream().map(Multiaddr::toString).toList())
                .getBytes(StandardCharsets.UTF_8);
    }

    static List<Multiaddr> decode(byte[] addresses) {
        String lines = new String(addresses, StandardCharsets.UTF_8);
        return lines.isEmpty() ? List.of() : Arrays.stream(lines.split("\n")).map(Multiaddr::parse).toList();
    }
}
