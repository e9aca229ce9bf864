package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.node.Node;
import dev.parley.app.node.NodeOptions;
import dev.parley.app.node.RelayOwners;
import dev.parley.crypto.Identity;
import dev.parley.transport.Connection;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.RelayLimits;
import dev.parley.transport.spi.CircuitLimit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay of one's own ({@code parley relay --owner}): the owner's Parley tells it its accepted contacts, and circuits
 * between the owner and one of them get the contact limit; a stranger keeps the default, and so does a contact once
 * the owner blocks it.
 */
class OwnRelayTest {
    private static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");
    /** Not the 64 MiB a node gives its own contacts: what the relay was configured with is what circuits get. */
    private static final CircuitLimit CONTACT_CIRCUIT = new CircuitLimit(Duration.ofHours(1), 32L << 20);

    @TempDir
    Path temp;

    @Test
    void theOwnersContactGetsTheContactLimitAStrangerTheDefaultAndABlockedContactTheDefaultAgain() throws Exception {
        Identity ownerIdentity = Identity.generate();
        PeerId owner = ownerIdentity.peerId();
        try (Node relay = new Node(Ed25519PrivateKey.generate(), new NodeOptions(false, List.of(), List.of(), true,
                new RelayOwners(Set.of(owner), CONTACT_CIRCUIT)))) {
            Multiaddr relayAddress = relay.listen(List.of(TestEngine.LOOPBACK)).getFirst();
            Multiaddr viaRelay = relayAddress.encapsulate(CIRCUIT);
            try (TestEngine alice = TestEngine.at(temp.resolve("Alice"), ownerIdentity, "Alice", config ->
                    config.withNetwork(new NodeOptions(false, List.of(), List.of(relayAddress), false,
                            RelayOwners.NONE)));
                 TestEngine carol = TestEngine.start(temp, "Carol");
                 TestEngine mallory = TestEngine.start(temp, "Mallory")) {
                TestEngine.befriend(alice, carol);
                carol.engine.host().listen(viaRelay);
                mallory.engine.host().listen(viaRelay);
                TestEngine.awaitCondition(() -> limitOfCircuit(carol, viaRelay, owner).equals(CONTACT_CIRCUIT),
                        "the relay gives Carol's circuits with Alice, its owner, the contact limit");
                assertThat(limitOfCircuit(alice, viaRelay, carol.peerId())).as("Alice dialling her contact")
                        .isEqualTo(CONTACT_CIRCUIT);

                assertThat(limitOfCircuit(mallory, viaRelay, owner)).as("a stranger dialling the owner")
                        .isEqualTo(RelayLimits.DEFAULT_CIRCUIT);
                assertThat(limitOfCircuit(mallory, viaRelay, carol.peerId())).as("a stranger dialling a listed contact")
                        .isEqualTo(RelayLimits.DEFAULT_CIRCUIT);
                assertThat(limitOfCircuit(alice, viaRelay, mallory.peerId())).as("the owner dialling a stranger")
                        .isEqualTo(RelayLimits.DEFAULT_CIRCUIT);

                alice.engine.contacts().block(carol.peerId());
                TestEngine.awaitCondition(() -> limitOfCircuit(alice, viaRelay, carol.peerId())
                        .equals(RelayLimits.DEFAULT_CIRCUIT), "the relay withdraws the contact limit Alice blocked");
            }
        }
    }

    /** Dials {@code target} through the relay, notes the limit the relay told the dialler, and closes the circuit. */
    private static CircuitLimit limitOfCircuit(TestEngine from, Multiaddr viaRelay, PeerId target) {
        try {
            Connection circuit = from.engine.host().dial(viaRelay.withPeerId(target));
            circuit.close();
            return circuit.relayLimit().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(from.name + " could not dial " + target + " through the relay", e);
        }
    }
}
