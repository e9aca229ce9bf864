package dev.parley.transport.kad;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.kad.KadNetwork.Node;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.testing.ProcessLauncher;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DHT between Parley and js-libp2p's kad-dht, each asking the other. */
class KadInteropTest {
    private final KadNetwork network = new KadNetwork(KadOptions.defaults());
    private JsPeer js;

    @BeforeEach
    void requireNode() {
        JsPeer.assumeNodeAvailable();
    }

    @AfterEach
    void stop() {
        network.close();
        if (js != null) {
            js.close();
        }
    }

    @Test
    void parleyFindsPeersAndProvidersThroughAJsServer() throws IOException {
        js = JsPeer.start(List.of("--kad", "server"), ProcessLauncher.LOCAL);
        Node known = network.start(KadMode.SERVER);
        js.callOk(Map.of("cmd", "kad:addPeer", "addr", known.address().toString()));
        byte[] key = KadDht.peerKey(js.peerId());
        js.callOk(Map.of("cmd", "kad:provide", "key", HexFormat.of().formatHex(key)));

        Node asker = network.start(KadMode.SERVER);
        asker.dht().bootstrap(List.of(Multiaddr.parse(js.address())));
        PeerLookup found = asker.dht().findPeer(known.host().peerId()).orElseThrow();
        assertThat(found.addresses()).containsAll(known.host().listenAddresses());

        ProviderLookup providers = asker.dht().findProviders(key, 1);
        assertThat(providers.providers()).singleElement().satisfies(record -> {
            assertThat(record.peer()).isEqualTo(js.peerId());
            assertThat(record.addresses()).contains(Multiaddr.parse(js.address()).withoutPeerId());
        });
    }

    @Test
    void aJsClientFindsPeersAndProvidersThroughAParleyServer() throws IOException {
        Node server = network.start(KadMode.SERVER);
        Node provider = network.start(KadMode.SERVER);
        provider.dht().bootstrap(List.of(server.address()));
        byte[] key = KadDht.peerKey(provider.host().peerId());
        assertThat(provider.dht().provide(key).storedAt()).contains(server.host().peerId());

        js = JsPeer.start(List.of("--kad", "client"), ProcessLauncher.LOCAL);
        js.callOk(Map.of("cmd", "kad:addPeer", "addr", server.address().toString()));

        JsonNode peer = js.callOk(Map.of("cmd", "kad:findPeer", "peerId", provider.host().peerId().toString()));
        assertThat(PeerId.parse(peer.get("peerId").asText())).isEqualTo(provider.host().peerId());
        assertThat(JsPeer.texts(peer.get("addrs")).stream().map(Multiaddr::parse))
                .containsAll(provider.host().listenAddresses());

        JsonNode providers = js.callOk(Map.of("cmd", "kad:findProviders", "key", HexFormat.of().formatHex(key)));
        assertThat(providers.get("providers")).singleElement().satisfies(record -> {
            assertThat(PeerId.parse(record.get("peerId").asText())).isEqualTo(provider.host().peerId());
            assertThat(JsPeer.texts(record.get("addrs")).stream().map(Multiaddr::parse))
                    .containsAll(provider.host().listenAddresses());
        });
    }

    @Test
    void aJsProviderRecordStoredOnParleyIsServedBack() throws IOException {
        Node server = network.start(KadMode.SERVER);
        js = JsPeer.start(List.of("--kad", "server"), ProcessLauncher.LOCAL);
        js.callOk(Map.of("cmd", "kad:addPeer", "addr", server.address().toString()));
        byte[] key = KadDht.peerKey(js.peerId());
        js.callOk(Map.of("cmd", "kad:provide", "key", HexFormat.of().formatHex(key)));

        Node asker = network.start(KadMode.CLIENT);
        asker.dht().bootstrap(List.of(server.address()));
        ProviderLookup lookup = asker.dht().findProviders(key, 1);
        assertThat(lookup.providers()).extracting(ProviderRecord::peer).containsExactly(js.peerId());
    }
}
