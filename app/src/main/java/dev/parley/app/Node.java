package dev.parley.app;

import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.perf.PerfService;
import dev.parley.transport.ping.PingService;
import java.io.IOException;
import java.util.List;

/** A libp2p node as Parley runs it: the host and the protocols every Parley node serves. */
public final class Node implements AutoCloseable {
    private final Host host;
    private final IdentifyService identify;
    private final PingService ping;

    public Node(Ed25519PrivateKey identity, boolean servePerf) {
        this.host = new Host(HostConfig.of(identity));
        this.identify = new IdentifyService(host, Version.agent());
        this.ping = new PingService(host);
        if (servePerf) {
            PerfService.enable(host);
        }
    }

    /** Listens on each address; returns the dialable addresses, each ending in {@code /p2p/<PeerId>}. */
    public List<Multiaddr> listen(List<Multiaddr> addresses) throws IOException {
        for (Multiaddr address : addresses) {
            host.listen(address);
        }
        return host.listenAddresses().stream().map(a -> a.withPeerId(host.peerId())).toList();
    }

    public Host host() {
        return host;
    }

    public IdentifyService identify() {
        return identify;
    }

    public PingService ping() {
        return ping;
    }

    @Override
    public void close() {
        host.close();
    }
}
