package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.relay.RelayRefusedException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Parley node relays for its contacts and for nobody else. */
class EngineRelayForContactsTest {
    private static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");

    @TempDir
    Path temp;
    private TestEngine alice;
    private TestEngine bob;
    private TestEngine mallory;

    @BeforeEach
    void start() throws Exception {
        alice = TestEngine.start(temp, "Alice");
        bob = TestEngine.start(temp, "Bob");
        mallory = TestEngine.start(temp, "Mallory");
        TestEngine.befriend(alice, bob);
    }

    @AfterEach
    void stop() {
        for (TestEngine engine : new TestEngine[] {mallory, bob, alice}) {
            engine.close();
        }
    }

    @Test
    void aContactMayReserveOnAContactAndAStrangerMayNot() throws Exception {
        Multiaddr aliceAddress = alice.engine.listenAddresses().getFirst();

        bob.engine.host().listen(aliceAddress.encapsulate(CIRCUIT));
        assertThat(bob.engine.host().listenAddresses()).anySatisfy(address ->
                assertThat(address.toString()).startsWith(aliceAddress + "/p2p-circuit"));

        assertThatThrownBy(() -> mallory.engine.host().listen(aliceAddress.encapsulate(CIRCUIT)))
                .isInstanceOf(RelayRefusedException.class);
        assertThat(mallory.engine.host().listenAddresses()).noneMatch(Multiaddr::isCircuit);
    }
}
