package dev.parley.transport.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.identify.IdentifyInfo;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.keys.RsaPublicKey;
import dev.parley.transport.keys.Secp256k1PublicKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.ping.PingService;
import dev.parley.transport.testing.ProcessLauncher;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * js-libp2p peers whose identity is an RSA key (as the public IPFS bootstrap peers' are) or a secp256k1 key, not
 * Ed25519: Parley completes the Noise handshake with them both ways, derives their peer id from the key as js
 * does, and reads the key from identify.
 */
class ForeignKeyInteropTest {
    @BeforeEach
    void requireNode() {
        JsPeer.assumeNodeAvailable();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "secp256k1"})
    void parleyAndAJsPeerWithThisKeyTypeHandshakeAndPingBothWays(String keyType) throws Exception {
        try (JsPeer js = JsPeer.start(List.of("--key-type", keyType), ProcessLauncher.LOCAL);
             Host parley = new Host(HostConfig.of(Ed25519PrivateKey.generate()))) {
            IdentifyService identify = new IdentifyService(parley, "parley/foreign-key-test");
            PingService ping = new PingService(parley);
            Multiaddr parleyAddress = parley.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).withPeerId(parley.peerId());
            PeerId jsPeer = js.peerId();
            assertThat(jsPeer.toBase58()).as("RSA keys are hashed into the id, secp256k1 keys inlined")
                    .startsWith(keyType.equals("RSA") ? "Qm" : "16Uiu2");

            Connection connection = parley.dial(Multiaddr.parse(js.address()));
            assertThat(connection.remotePeer()).isEqualTo(jsPeer);
            assertThat(ping.ping(connection)).isPositive();
            IdentifyInfo info = identify.identify(connection);
            assertThat(info.publicKey()).isInstanceOf(keyType.equals("RSA") ? RsaPublicKey.class
                    : Secp256k1PublicKey.class);
            assertThat(PeerId.fromPublicKey(info.publicKey())).isEqualTo(jsPeer);
            connection.close();
            // js must have seen the close, or it would ping over the dying connection
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (js.connectedPeers().contains(parley.peerId().toBase58())) {
                assertThat(System.nanoTime()).as("js still connected 10 s after the close").isLessThan(deadline);
                Thread.sleep(20);
            }

            assertThat(js.ping(parleyAddress.toString(), 3)).as("js dials Parley and pings").hasSize(3);
            assertThat(parley.connection(jsPeer)).as("Parley, the responder, verified the js peer's key")
                    .isPresent();
        }
    }
}
