package dev.parley.app.cli;

import dev.parley.app.mailbox.MailboxServer;
import dev.parley.app.mailbox.PairingCode;
import dev.parley.app.node.Node;
import dev.parley.app.profile.ProfileLock;
import dev.parley.store.MailboxLimits;
import dev.parley.store.MailboxStore;
import dev.parley.transport.Host;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Protocol;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parley mailbox}: a headless node that holds sealed envelopes for its paired owners (app/README.md,
 * "Mailbox"). Prints what {@code parley node} prints, with one line {@code pairing code: <CODE>} before {@code READY},
 * and runs as long. Its envelopes, owners and pairing secret are kept in {@code mailbox.db} in the profile.
 */
@Command(name = "mailbox", description = "Hold sealed messages for paired owners until SIGTERM or end of input.")
final class MailboxCommand implements Callable<Integer> {
    static final String DATABASE_FILE = "mailbox.db";
    static final String PAIRING_LINE = "pairing code: ";
    /** How long a mailbox started with {@code --relay} waits for its reservations before it prints its addresses. */
    static final Duration RESERVATION_WAIT = Duration.ofSeconds(30);

    @ParentCommand
    ParleyCommand parent;

    @Option(names = "--max-owners", paramLabel = "N", defaultValue = "16",
            description = "Most owners that may pair (default: ${DEFAULT-VALUE}).")
    int maxOwners;

    @Option(names = "--owner-max-envelopes", paramLabel = "N", defaultValue = "10000",
            description = "Envelopes held per owner at most (default: ${DEFAULT-VALUE}).")
    long ownerMaxEnvelopes;

    @Option(names = "--owner-max-bytes", paramLabel = "BYTES", defaultValue = "64MiB", converter = ByteSizeConverter.class,
            description = "Envelope bytes held per owner at most (default: ${DEFAULT-VALUE}).")
    long ownerMaxBytes;

    @Option(names = "--capability-max-envelopes", paramLabel = "N", defaultValue = "1000",
            description = "Envelopes one deposit capability may deposit within the retention (default: ${DEFAULT-VALUE}).")
    long capabilityMaxEnvelopes;

    @Option(names = "--capability-max-bytes", paramLabel = "BYTES", defaultValue = "8MiB",
            converter = ByteSizeConverter.class,
            description = "Bytes one deposit capability may deposit within the retention (default: ${DEFAULT-VALUE}).")
    long capabilityMaxBytes;

    @Option(names = "--retention-days", paramLabel = "DAYS", defaultValue = "14",
            description = "Days an envelope is kept before it expires (default: ${DEFAULT-VALUE}).")
    int retentionDays;

    @Option(names = "--new-pairing-code",
            description = "Replace the pairing secret: codes printed before no longer pair; paired owners stay.")
    boolean newPairingCode;

    @Override
    public Integer call() throws IOException {
        if (maxOwners < 1 || retentionDays < 1) {
            throw new IllegalArgumentException("--max-owners and --retention-days must be at least 1");
        }
        MailboxLimits limits = new MailboxLimits(ownerMaxEnvelopes, ownerMaxBytes, capabilityMaxEnvelopes,
                capabilityMaxBytes, Duration.ofDays(retentionDays), MailboxLimits.defaults().maxRevoked());
        CommonOptions common = parent.common;
        ProfileLock lock = common.lockProfile();
        try (lock) {
            Node node = new Node(common.identity().transportKey(), common.nodeOptions(false, false));
            MailboxStore store = MailboxStore.open(common.profile().directory().resolve(DATABASE_FILE));
            if (newPairingCode) {
                store.replacePairingSecret(MailboxServer.newPairingSecret());
            }
            MailboxServer server = MailboxServer.start(node.host(), store, maxOwners, limits, Clock.systemUTC());
            Runnable stop = () -> {
                node.close();
                server.close();
                store.close();
            };
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "mailbox-shutdown"));
            node.listen(common.listenAddresses());
            node.goOnline();
            List<Multiaddr> addresses = addressesOnceReserved(node.host(), common.relays);
            common.profile().setLastAddresses(addresses);
            PrintWriter out = parent.spec.commandLine().getOut();
            addresses.forEach(out::println);
            out.println(PAIRING_LINE + new PairingCode(node.host().peerId(), addresses, server.pairingSecret()).toText());
            out.println("READY");
            out.flush();
            System.in.transferTo(OutputStream.nullOutputStream());
            return 0;
        }
    }

    /**
     * Our dialable addresses once we hold a reservation on each relay of {@code --relay}, or after
     * {@link #RESERVATION_WAIT} with those we got: a mailbox behind NAT is reached through them, so the pairing code
     * (and the capabilities owners mint from it) must name the circuit addresses.
     */
    static List<Multiaddr> addressesOnceReserved(Host host, List<Multiaddr> relays) {
        Set<PeerId> wanted = relays.stream().flatMap(relay -> relay.peerId().stream()).collect(Collectors.toSet());
        Object changed = new Object();
        host.onListenAddressesChanged(() -> {
            synchronized (changed) {
                changed.notifyAll();
            }
        });
        long deadline = System.nanoTime() + RESERVATION_WAIT.toNanos();
        synchronized (changed) {
            while (!reservedOnAll(host.listenAddresses(), wanted)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(changed, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return host.listenAddresses().stream().map(address -> address.withPeerId(host.peerId())).toList();
    }

    private static boolean reservedOnAll(List<Multiaddr> addresses, Set<PeerId> relays) {
        Set<PeerId> reserved = addresses.stream().filter(Multiaddr::isCircuit)
                .flatMap(address -> address.decapsulate(Protocol.P2P_CIRCUIT).peerId().stream())
                .collect(Collectors.toSet());
        return reserved.containsAll(relays);
    }
}
