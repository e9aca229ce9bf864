package dev.parley.transport.dcutr;

import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.TestProtocols;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.relay.RelayLimits;
import dev.parley.transport.relay.RelayService;
import dev.parley.transport.relay.RelayTransport;
import dev.parley.transport.testing.ProcessLauncher;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The relay, Java peers and js peers of one DCUtR test on loopback, closed together (last started, first closed). */
final class DcutrTestPeers implements AutoCloseable {
    static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    static final Multiaddr CIRCUIT = Multiaddr.parse("/p2p-circuit");
    /** Loopback addresses stand in for public ones; short attempts and grace keep the tests quick. */
    static final DcutrConfig ON_LOOPBACK = new DcutrConfig(Duration.ofSeconds(2), 3, Duration.ofMillis(300), true);

    record Peer(Host host, DcutrService dcutr) {
    }

    private final List<Runnable> closers = new ArrayList<>();

    /** A host serving identify and the test echo protocol. */
    Host host() {
        Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()));
        closers.add(host::close);
        host.setHandler(TestProtocols.ECHO, TestProtocols::echo);
        return host;
    }

    /** A Java relay on loopback; its address ending in /p2p/. */
    Multiaddr relay() throws IOException {
        Host relayHost = host();
        new IdentifyService(relayHost, "dcutr-test-relay");
        closers.add(RelayService.start(relayHost, RelayLimits.defaults())::close);
        return relayHost.listen(LOOPBACK).withPeerId(relayHost.peerId());
    }

    /** A host with the relay transport and DCUtR, listening on loopback TCP if asked to. */
    Peer peer(boolean listenOnTcp) throws IOException {
        Host host = host();
        RelayTransport.install(host, false);
        DcutrService dcutr = new DcutrService(host, new IdentifyService(host, "dcutr-test"), ON_LOOPBACK);
        if (listenOnTcp) {
            host.listen(LOOPBACK);
        }
        return new Peer(host, dcutr);
    }

    JsPeer js(String... options) {
        JsPeer peer = JsPeer.start(List.of(options), ProcessLauncher.LOCAL);
        closers.add(peer::close);
        return peer;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        closers.reversed().forEach(Runnable::run);
    }
}
