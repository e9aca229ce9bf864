package dev.parley.transport.dcutr;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.RelayLimits;
import dev.parley.transport.relay.RelayService;
import dev.parley.transport.relay.RelayTransport;
import dev.parley.transport.testing.ProcessLauncher;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A Java relay on loopback and the peers one DCUtR test meets through it, closed together, last first. */
final class DcutrLoopbackPeers implements AutoCloseable {
    static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    static final DcutrConfig ON_LOOPBACK = new DcutrConfig(ATTEMPT_TIMEOUT, 3, Duration.ofMillis(300), true);

    record Peer(Host host, DcutrService dcutr, Multiaddr tcpAddress) {
    }

    private final List<Runnable> closers = new ArrayList<>();
    private final Multiaddr relay;

    DcutrLoopbackPeers() throws IOException {
        Host relayHost = host();
        closers.add(RelayService.start(relayHost, RelayLimits.defaults())::close);
        relay = relayHost.listen(LOOPBACK).withPeerId(relayHost.peerId());
    }

    /** A host with identify, the test echo protocol and the relay transport, not listening anywhere yet. */
    Host host() {
        Host host = hostWithoutIdentify();
        new IdentifyService(host, "dcutr-test");
        return host;
    }

    /** A host running DCUtR, listening on loopback TCP. */
    Peer peer() throws IOException {
        Host host = hostWithoutIdentify();
        DcutrService dcutr = new DcutrService(host, new IdentifyService(host, "dcutr-test"), ON_LOOPBACK);
        return new Peer(host, dcutr, host.listen(LOOPBACK));
    }

    private Host hostWithoutIdentify() {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        closers.add(host::close);
        host.setHandler(TestProtocols.ECHO, TestProtocols::echo);
        RelayTransport.install(host, false);
        return host;
    }

    /** A direct connection from a new host without DCUtR to {@code peer}. */
    Connection directConnectionTo(Peer peer) throws IOException {
        return host().dial(peer.tcpAddress().withPeerId(peer.host().peerId()));
    }

    Multiaddr relayListenAddress() {
        return relay.encapsulate(CIRCUIT);
    }

    Multiaddr circuitTo(PeerId peer) {
        return relay.encapsulate(CIRCUIT).withPeerId(peer);
    }

    JsPeer js(List<String> options) {
        JsPeer peer = JsPeer.start(options, ProcessLauncher.LOCAL);
        closers.add(peer::close);
        return peer;
    }

    @Override
    public void close() {
        closers.reversed().forEach(Runnable::run);
    }
}
