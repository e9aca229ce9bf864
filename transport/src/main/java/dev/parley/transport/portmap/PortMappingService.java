package dev.parley.transport.portmap;

import com.offbynull.portmapper.gateway.Bus;
import com.offbynull.portmapper.gateways.network.NetworkGateway;
import com.offbynull.portmapper.gateways.network.internalmessages.KillNetworkRequest;
import com.offbynull.portmapper.mapper.MappedPort;
import com.offbynull.portmapper.mapper.PortMapper;
import com.offbynull.portmapper.mapper.PortType;
import com.offbynull.portmapper.mappers.natpmp.NatPmpPortMapper;
import com.offbynull.portmapper.mappers.pcp.PcpPortMapper;
import com.offbynull.portmapper.mappers.upnpigd.PortMapperUpnpIgdPortMapper;
import com.offbynull.portmapper.mappers.upnpigd.UpnpIgdPortMapper;
import dev.parley.transport.Host;
import dev.parley.transport.multiformats.Component;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the home router to forward our TCP listening ports (UPnP-IGD, PCP or NAT-PMP, through the portmapper
 * library), advertises the public address and port it maps as one of the host's addresses, renews the lease at
 * half its lifetime, and on {@link #close()} removes the mapping and withdraws the address.
 *
 * <p>Only ports we listen on at a private IPv4 address are mapped: a host with a public address needs no
 * mapping. A mapping whose external address is itself private (a router behind another NAT) is kept off the
 * advertised addresses, as nobody outside could use it. Whether the mapped address really is reachable is for
 * AutoNAT to find out.
 *
 * <p>Everything runs on one background thread; a router that answers nothing costs that thread a few seconds
 * per attempt, then {@link PortMappingConfig#retryInterval()} of waiting. Asking sends packets to the LAN (SSDP
 * multicast, and UDP to the default gateway), so a node starts this only when it reaches beyond its LAN.
 */
public final class PortMappingService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PortMappingService.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(3);

    private final Host host;
    private final PortMappingConfig config;
    private final Object lock = new Object();
    /** By our listening port. */
    private final Map<Integer, Lease> leases = new LinkedHashMap<>();
    private Bus network;
    private PortMapper router;
    private PortMappingProtocol routerProtocol;
    private Thread worker;
    private volatile boolean closed;

    /** One port mapped: what the router granted, and the addresses we advertise for it. */
    private record Lease(PortMapping mapping, MappedPort granted, List<Multiaddr> advertised, Instant renewAt) {
    }

    public PortMappingService(Host host, PortMappingConfig config) {
        this.host = host;
        this.config = config;
    }

    /** Starts asking the router in the background; idempotent. */
    public void start() {
        synchronized (lock) {
            if (worker != null || closed) {
                return;
            }
            worker = Thread.ofVirtual().name("port-mapping").start(this::run);
        }
    }

    /** The ports the router forwards to us now. */
    public List<PortMapping> mappings() {
        synchronized (lock) {
            return leases.values().stream().map(Lease::mapping).toList();
        }
    }

    private void run() {
        while (!closed) {
            Duration wait;
            try {
                wait = mapAndRenew();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the library reports a router that stopped answering or refused as IllegalStateException
                log.info("port mapping via {} failed: {}", routerProtocol, e.getMessage());
                forgetRouter();
                wait = config.retryInterval();
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Maps every port not yet mapped and renews those due; returns how long until the next renewal. */
    private Duration mapAndRenew() throws InterruptedException {
        Set<Integer> ports = privateListenPorts();
        withdrawAllBut(ports);
        if (ports.isEmpty()) {
            return config.retryInterval();
        }
        if (router == null && !findRouter()) {
            log.debug("no router answered {} for port mapping", config.protocols());
            return config.retryInterval();
        }
        Instant now = Instant.now();
        for (int port : ports) {
            Lease current;
            synchronized (lock) {
                current = leases.get(port);
            }
            if (current == null) {
                advertise(port, router.mapPort(PortType.TCP, port, port, config.lifetime().toSeconds()));
            } else if (!now.isBefore(current.renewAt())) {
                advertise(port, router.refreshPort(current.granted(), config.lifetime().toSeconds()));
            }
        }
        synchronized (lock) {
            Instant next = leases.values().stream().map(Lease::renewAt).min(Instant::compareTo)
                    .orElse(now.plus(config.retryInterval()));
            Duration untilNext = Duration.between(Instant.now(), next);
            return untilNext.isNegative() ? Duration.ZERO : untilNext;
        }
    }

    /** Tries the configured protocols in order; the first router that answers is kept. */
    private boolean findRouter() throws InterruptedException {
        if (network == null) {
            network = NetworkGateway.create().getBus();
        }
        Optional<DefaultGateway> gateway = defaultGateway();
        for (PortMappingProtocol protocol : config.protocols()) {
            Optional<PortMapper> found = switch (protocol) {
                case UPNP_IGD -> UpnpIgdPortMapper.identify(network).stream()
                        .filter(PortMapperUpnpIgdPortMapper.class::isInstance).<PortMapper>map(m -> m).findFirst();
                case PCP -> gateway.map(g -> new PcpPortMapper(network, g.localAddress(), g.gateway()));
                case NAT_PMP -> gateway.map(g -> new NatPmpPortMapper(network, g.localAddress(), g.gateway()));
            };
            if (found.isPresent() && answers(found.get(), protocol)) {
                synchronized (lock) {
                    router = found.get();
                    routerProtocol = protocol;
                }
                log.info("port mapping through {} ({})", protocol, found.get());
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the router maps for us by this protocol. UPnP's discovery already heard the router; PCP and NAT-PMP
     * have none, so a first mapping is their test, and it is kept: {@link #mapAndRenew()} renews it.
     */
    private boolean answers(PortMapper candidate, PortMappingProtocol protocol) throws InterruptedException {
        if (protocol == PortMappingProtocol.UPNP_IGD) {
            return true;
        }
        Integer port = privateListenPorts().stream().findFirst().orElse(null);
        if (port == null) {
            return false;
        }
        try {
            MappedPort granted = candidate.mapPort(PortType.TCP, port, port, config.lifetime().toSeconds());
            routerProtocol = protocol;
            advertise(port, granted);
            return true;
        } catch (IllegalStateException | IllegalArgumentException noAnswer) {
            log.debug("no {} router: {}", protocol, noAnswer.getMessage());
            return false;
        }
    }

    private static Optional<DefaultGateway> defaultGateway() {
        try {
            return DefaultGateway.find();
        } catch (IOException e) {
            log.debug("no default gateway: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** Records what the router granted for {@code port} and advertises it, replacing what it replaces. */
    private void advertise(int port, MappedPort granted) {
        InetAddress external = granted.getExternalAddress();
        if (external == null || external.isAnyLocalAddress()) {
            throw new IllegalStateException("the router mapped port " + port + " but did not say its address");
        }
        long lifetime = Math.max(2, granted.getLifetime());
        Instant now = Instant.now();
        Multiaddr mapped = Multiaddr.of(Component.parse(Protocol.IP4, external.getHostAddress()),
                Component.parse(Protocol.TCP, Integer.toString(granted.getExternalPort())));
        List<Multiaddr> advertised = mapped.isPrivate() ? List.of() : externalAddresses(port, external,
                granted.getExternalPort());
        if (mapped.isPrivate()) {
            log.info("the router maps port {} at {}, itself a private address: not advertised", port, mapped);
        }
        Lease lease = new Lease(new PortMapping(routerProtocol, port, mapped, now.plusSeconds(lifetime)), granted,
                advertised, now.plusSeconds(lifetime / 2));
        // advertised before it shows in mappings(), so that whoever sees the mapping finds the address too
        advertised.forEach(host::addExternalAddress);
        Lease previous;
        synchronized (lock) {
            previous = leases.put(port, lease);
        }
        if (previous != null) {
            previous.advertised().stream().filter(address -> !advertised.contains(address))
                    .forEach(host::removeExternalAddress);
        } else {
            log.info("router forwards {} to our port {} ({} s)", mapped, port, lifetime);
        }
    }

    /** Each of our listen addresses on {@code port}, with the router's address and port in place of ours. */
    private List<Multiaddr> externalAddresses(int port, InetAddress external, int externalPort) {
        Set<Multiaddr> addresses = new LinkedHashSet<>();
        for (Multiaddr listening : host.listenAddresses()) {
            if (mappable(listening) && port(listening) == port) {
                List<Component> components = new ArrayList<>(listening.components());
                components.set(0, Component.parse(Protocol.IP4, external.getHostAddress()));
                components.set(1, Component.parse(Protocol.TCP, Integer.toString(externalPort)));
                addresses.add(Multiaddr.of(components.toArray(Component[]::new)));
            }
        }
        return List.copyOf(addresses);
    }

    private Set<Integer> privateListenPorts() {
        Set<Integer> ports = new LinkedHashSet<>();
        host.listenAddresses().stream().filter(PortMappingService::mappable)
                .forEach(address -> ports.add(port(address)));
        return ports;
    }

    /** {@code /ip4/<private, not loopback>/tcp/<port>…}, not through a relay. */
    private static boolean mappable(Multiaddr address) {
        List<Component> components = address.components();
        return components.size() >= 2 && components.get(0).protocol() == Protocol.IP4
                && components.get(1).protocol() == Protocol.TCP && !address.isCircuit() && !address.isLoopback()
                && address.isPrivate();
    }

    private static int port(Multiaddr address) {
        return Integer.parseInt(address.components().get(1).valueText());
    }

    /** Unmaps the ports we no longer listen on. */
    private void withdrawAllBut(Set<Integer> ports) throws InterruptedException {
        List<Lease> gone;
        synchronized (lock) {
            gone = leases.values().stream().filter(lease -> !ports.contains(lease.mapping().internalPort()))
                    .toList();
        }
        for (Lease lease : gone) {
            release(lease);
        }
    }

    /** Withdraws the addresses of every lease without asking the router, which stopped answering. */
    private void forgetRouter() {
        List<Lease> all;
        synchronized (lock) {
            all = List.copyOf(leases.values());
            leases.clear();
            router = null;
        }
        all.forEach(lease -> lease.advertised().forEach(host::removeExternalAddress));
    }

    private void release(Lease lease) throws InterruptedException {
        synchronized (lock) {
            leases.remove(lease.mapping().internalPort());
        }
        lease.advertised().forEach(host::removeExternalAddress);
        try {
            router.unmapPort(lease.granted());
            log.info("router no longer forwards {} to port {}", lease.mapping().external(),
                    lease.mapping().internalPort());
        } catch (IllegalStateException | IllegalArgumentException e) {
            log.info("removing the mapping {}: {}", lease.mapping().external(), e.getMessage());
        }
    }

    /** Stops renewing, removes every mapping from the router and withdraws the addresses. */
    @Override
    public void close() {
        Thread running;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            running = worker;
        }
        try {
            if (running != null) {
                running.interrupt();
                running.join(STOP_WAIT);
            }
            List<Lease> all;
            synchronized (lock) {
                all = List.copyOf(leases.values());
            }
            for (Lease lease : all) {
                release(lease);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (network != null) {
                network.send(new KillNetworkRequest());
            }
        }
    }
}
