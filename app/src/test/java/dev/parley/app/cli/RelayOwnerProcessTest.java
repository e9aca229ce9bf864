package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.node.Node;
import dev.parley.app.node.NodeOptions;
import dev.parley.app.node.RelayOwners;
import dev.parley.transport.Connection;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.RelayLimits;
import dev.parley.transport.spi.CircuitLimit;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code parley relay --owner} process, an owner's node that names it with {@code --relay}, its contact and a stranger. */
class RelayOwnerProcessTest {
    private static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void theRelayGivesTheOwnersContactTheCircuitItWasToldAndAStrangerTheDefault() throws Exception {
        Ed25519PrivateKey ownerKey = Ed25519PrivateKey.generate();
        PeerId owner = PeerId.fromPublicKey(ownerKey.publicKey());
        Ed25519PrivateKey contactKey = Ed25519PrivateKey.generate();
        PeerId contact = PeerId.fromPublicKey(contactKey.publicKey());
        try (NodeProcess relay = new NodeProcess("relay", temp.resolve("relay"), "--owner", owner.toString(),
                "--contact-circuit-mib", "16")) {
            Multiaddr relayAddress = Multiaddr.parse(relay.addresses().getFirst());
            Multiaddr toOwner = relayAddress.encapsulate(CIRCUIT).withPeerId(owner);
            try (Node ownerNode = new Node(ownerKey, new NodeOptions(false, List.of(), List.of(relayAddress), false,
                    RelayOwners.NONE));
                 Node contactNode = new Node(contactKey, NodeOptions.lanOnly());
                 Node stranger = new Node(Ed25519PrivateKey.generate(), NodeOptions.lanOnly())) {
                ownerNode.grantContactsOnOwnRelays(() -> Set.of(contact));
                ownerNode.goOnline();

                CircuitLimit sixteenMebibytes = new CircuitLimit(Duration.ofHours(1), 16L << 20);
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!limitOfCircuit(contactNode, toOwner).equals(Optional.of(sixteenMebibytes))) {
                    assertThat(System.nanoTime()).as("the owner's contact gets the contact circuit within " + WAIT)
                            .isLessThan(deadline);
                    Thread.sleep(Duration.ofMillis(50));
                }
                assertThat(limitOfCircuit(stranger, toOwner)).contains(RelayLimits.DEFAULT_CIRCUIT);
            }
        }
    }

    /**
     * The limit the relay told {@code from} for a circuit to {@code target}, the circuit closed again; empty while the
     * relay cannot connect them yet (the owner has not reserved).
     */
    private static Optional<CircuitLimit> limitOfCircuit(Node from, Multiaddr target) {
        try {
            Connection circuit = from.host().dial(target);
            circuit.close();
            return circuit.relayLimit();
        } catch (IOException notYet) {
            return Optional.empty();
        }
    }
}
