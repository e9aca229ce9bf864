package dev.parley.app.mailbox;

import dev.parley.app.node.Node;
import dev.parley.app.node.NodeOptions;
import dev.parley.store.MailboxLimits;
import dev.parley.store.MailboxStore;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A mailbox on loopback with its own SQLite file, and the peers a test makes around it (owners, depositors under
 * throwaway identities), all closed with it.
 */
final class MailboxFixture implements AutoCloseable {
    static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    final Path file;
    final Node node;
    final List<Multiaddr> addresses;
    final Clock clock;
    final int maxOwners;
    MailboxStore store;
    MailboxServer server;
    private final List<Host> peers = new ArrayList<>();

    MailboxFixture(Path folder, MailboxLimits limits, int maxOwners, Clock clock) throws IOException {
        this.file = folder.resolve("mailbox.db");
        this.clock = clock;
        this.maxOwners = maxOwners;
        this.node = new Node(Ed25519PrivateKey.generate(), NodeOptions.lanOnly());
        this.addresses = node.listen(List.of(LOOPBACK));
        start(limits);
    }

    /** (Re)starts the server on the same node and file: what a restart of {@code parley mailbox} keeps. */
    void start(MailboxLimits limits) {
        store = MailboxStore.open(file);
        server = MailboxServer.start(node.host(), store, maxOwners, limits, clock);
    }

    void stopServer() {
        server.close();
        store.close();
    }

    PairingCode code() {
        return new PairingCode(node.host().peerId(), addresses, server.pairingSecret());
    }

    /** A peer of its own on loopback, as an owner's or a contact's Parley would be. */
    Host peer() {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        peers.add(host);
        return host;
    }

    MailboxClient client(Host host) {
        return MailboxClient.of(host, code());
    }

    /** A new owner, paired: its client and key. */
    Owner owner() throws IOException {
        Host host = peer();
        MailboxClient client = client(host);
        MailboxClient.OwnerPairing paired = client.pair(code());
        return new Owner(host, client, paired.ownerKey());
    }

    record Owner(Host host, MailboxClient client, byte[] key) {
        DepositCapability capability(MailboxFixture mailbox) {
            return DepositCapability.mint(key, host.peerId(), mailbox.node.host().peerId(), mailbox.addresses);
        }
    }

    /** A depositor under a throwaway identity, holding {@code capability}. */
    MailboxClient depositor(DepositCapability capability) {
        return MailboxClient.of(peer(), capability);
    }

    static byte[] envelope(String text) {
        return ("sealed:" + text).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        peers.forEach(Host::close);
        server.close();
        node.close();
        store.close();
    }
}
