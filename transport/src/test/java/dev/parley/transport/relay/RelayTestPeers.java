package dev.parley.transport.relay;

import static dev.parley.transport.TestProtocols.ECHO;

import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.testing.ProcessLauncher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The hosts, relays and js peers one relay test starts, closed together (last started, first closed). */
final class RelayTestPeers implements AutoCloseable {
    static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    private final List<Runnable> closers = new ArrayList<>();
    private RelayService relayService;

    /** A host serving identify and the test echo protocol. */
    Host host() {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        closers.add(host::close);
        new IdentifyService(host, "parley-relay-test");
        host.setHandler(ECHO, TestProtocols::echo);
        return host;
    }

    /** Makes {@code host} a relay listening on loopback; returns its address ending in /p2p/. */
    Multiaddr relay(Host host, RelayLimits limits, RelayPolicy policy) throws IOException {
        relayService = RelayService.start(host, limits, policy);
        closers.add(relayService::close);
        return host.listen(LOOPBACK).withPeerId(host.peerId());
    }

    Multiaddr relay(Host host) throws IOException {
        return relay(host, RelayLimits.defaults(), RelayPolicy.uniform(RelayLimits.DEFAULT_CIRCUIT));
    }

    /** The relay service last started. */
    RelayService relayService() {
        return relayService;
    }

    /** Gives {@code host} the relay transport, taking circuits only from relays it reserved on. */
    RelayTransport client(Host host) {
        return RelayTransport.install(host, false);
    }

    /** A host with the relay transport. */
    Host clientHost() {
        Host host = host();
        client(host);
        return host;
    }

    /** A host with the relay transport and a reservation on the relay at {@code relayAddress}. */
    Host reservingHost(Multiaddr relayAddress) throws IOException {
        Host host = clientHost();
        host.listen(relayAddress.encapsulate(CIRCUIT));
        return host;
    }

    JsPeer js(String... options) {
        JsPeer peer = JsPeer.start(List.of(options), ProcessLauncher.LOCAL);
        closers.add(peer::close);
        return peer;
    }

    @Override
    public void close() {
        closers.reversed().forEach(Runnable::run);
    }
}
