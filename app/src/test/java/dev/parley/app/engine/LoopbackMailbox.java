package dev.parley.app.engine;

import dev.parley.app.mailbox.DepositCapability;
import dev.parley.app.mailbox.MailboxClient;
import dev.parley.app.mailbox.MailboxFrames;
import dev.parley.app.mailbox.MailboxServer;
import dev.parley.app.mailbox.PairingCode;
import dev.parley.app.node.Node;
import dev.parley.app.node.NodeOptions;
import dev.parley.store.MailboxLimits;
import dev.parley.store.MailboxStore;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.relay.RelayTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A real mailbox for engine tests (app/README.md, "Mailbox"): a node on loopback, the mailbox's own SQLite file in the
 * test's folder, its server, and the pairing code an owner pastes; with what tests do to it from outside (take it
 * away, bring it back, deposit as anyone holding a capability could).
 */
final class LoopbackMailbox implements AutoCloseable {
    final Node node;
    final List<Multiaddr> addresses;
    final MailboxStore store;
    final String pairingCode;
    private final int maxOwners;
    private volatile MailboxServer server;

    private LoopbackMailbox(Node node, List<Multiaddr> addresses, MailboxStore store, int maxOwners) {
        this.node = node;
        this.addresses = addresses;
        this.store = store;
        this.maxOwners = maxOwners;
        this.server = startServer();
        this.pairingCode = new PairingCode(node.host().peerId(), addresses, server.pairingSecret()).toText();
    }

    /** A mailbox for at most {@code maxOwners} owners, its file under {@code folder}. */
    static LoopbackMailbox start(Path folder, int maxOwners) throws IOException {
        Node node = new Node(Ed25519PrivateKey.generate(), NodeOptions.lanOnly());
        List<Multiaddr> addresses = node.listen(List.of(TestEngine.LOOPBACK));
        return new LoopbackMailbox(node, addresses, MailboxStore.open(folder.resolve("mailbox").resolve("mailbox.db")),
                maxOwners);
    }

    MailboxServer server() {
        return server;
    }

    private MailboxServer startServer() {
        return MailboxServer.start(node.host(), store, maxOwners, MailboxLimits.defaults(), Clock.systemUTC());
    }

    /** The mailbox stops answering: its node is up, but no stream of its protocol is taken. */
    void takeAway() {
        node.host().removeHandler(MailboxFrames.PROTOCOL_ID);
        server.close();
    }

    /** The mailbox is back after {@link #takeAway()}, with all it held. */
    void bringBack() {
        server = startServer();
    }

    static void deposit(DepositCapability capability, String text) throws IOException {
        deposit(capability, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deposits from a throwaway identity, as anyone holding the capability (or a mailbox that replays) could; through a
     * relay when the capability names one.
     */
    static void deposit(DepositCapability capability, byte[] letter) throws IOException {
        Host depositor = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        RelayTransport.install(depositor, false);
        try {
            MailboxClient.of(depositor, capability).deposit(capability, letter);
        } finally {
            depositor.close();
        }
    }

    @Override
    public void close() {
        server.close();
        node.close();
        store.close();
    }
}
