package dev.parley.transport;
import dev.parley.transport.dns.DnsaddrResolver;
import dev.parley.transport.memory.MemoryBudget;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.spi.Admission;
import dev.parley.transport.spi.InboundHandler;
import dev.parley.transport.spi.RawConnection;
import dev.parley.transport.spi.Transport;
import dev.parley.transport.spi.TransportListener;
import dev.parley.transport.tcp.TcpTransport;
import dev.parley.transport.yamux.YamuxStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libp2p node: listens and dials through its transports (TCP from the start; WebSocket and circuit relay
 * when added), upgrades every connection (Noise, Yamux), serves the protocols given handlers, and opens
 * streams to peers. Protocols such as identify and ping are separate services that register handlers here.
 */
public final class Host implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Host.class);
    /** How long close waits for the timer's thread: its tasks only close sockets and forget peers, each at once. */
    private static final Duration TIMER_END_TIMEOUT = Duration.ofSeconds(5);

    private final HostConfig config;
    private final PeerId peerId;
    private final ConnectionUpgrader upgrader;
    private final DnsaddrResolver dnsaddr;
    private final HandlerRegistry handlers = new HandlerRegistry();
    private final AddressBook addressBook;
    private final Map<PeerId, Set<Connection>> connections = new ConcurrentHashMap<>();
    private final List<Transport> transports = new CopyOnWriteArrayList<>(List.of(new TcpTransport()));
    private final List<TransportListener> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Multiaddr> externalAddresses = new CopyOnWriteArrayList<>();
    private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> addressListeners = new CopyOnWriteArrayList<>();
    private final ResourceManager resources;
    private final InboundHandler inbound = new Inbound();
    private final MemoryBudget memory;
    /** The threads the timer started (one at a time), which close waits for. */
    private final List<Thread> timerThreads = new CopyOnWriteArrayList<>();
    private final ScheduledThreadPoolExecutor timer = newTimer(timerThreads);
    /**
     * Admitting a connection and closing the host take turns: a connection is either listed before {@link #close}
     * takes its list, and closed with the others, or refused. One listed just after that list was taken stayed open
     * for good, its muxer still answering, and its peer kept opening streams on it that nothing here served.
     */
    private final ReentrantLock admission = new ReentrantLock();
    // Written under admission; read without it where a moment late is harmless (register looks again under it).
    private volatile boolean closed;

    public Host(HostConfig config) {
        this.config = config;
        this.peerId = PeerId.fromPublicKey(config.identity().publicKey());
        this.upgrader = new ConnectionUpgrader(config.identity(), config.limits(), timer);
        this.dnsaddr = new DnsaddrResolver(config.dnsaddr());
        this.resources = new ResourceManager(config.limits(), timer, System::nanoTime);
        this.memory = new MemoryBudget(config.limits().memory());
        this.addressBook = new AddressBook(config.peerState(), System::nanoTime);
        long sweep = sweepInterval(config.peerState().grace()).toMillis();
        timer.scheduleWithFixedDelay(addressBook::expire, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /**
     * A cancelled deadline leaves the queue at once: a flood of connections that finish (or fail) early must not
     * keep every cancelled task, and what it holds, until its time would have come (transport/README.md,
     * "Memory and deadlines").
     */
    private static ScheduledThreadPoolExecutor newTimer(List<Thread> started) {
        ThreadFactory named = Thread.ofPlatform().daemon().name("host-timer").factory();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = named.newThread(task);
            started.add(thread);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * How often peers past their grace are looked for: a quarter of the grace, so one is forgotten at most a
     * quarter late, but not more often than every 10 ms nor less often than every 30 s.
     */
    private static Duration sweepInterval(Duration grace) {
        Duration quarter = grace.dividedBy(4);
        Duration floor = Duration.ofMillis(10);
        Duration ceiling = Duration.ofSeconds(30);
        return quarter.compareTo(floor) < 0 ? floor : quarter.compareTo(ceiling) > 0 ? ceiling : quarter;
    }

    public PeerId peerId() {
        return peerId;
    }

    public HostConfig config() {
        return config;
    }

    /** The memory budget every connection's buffers reserve from; its snapshot shows what is in use. */
    public MemoryBudget memory() {
        return memory;
    }

    public AddressBook addressBook() {
        return addressBook;
    }

    /** Adds a way of dialling and listening; it is asked after the transports added before it. */
    public void addTransport(Transport transport) {
        transports.add(transport);
    }

    /** Starts listening; returns the bound address (port filled in), without {@code /p2p/}. */
    public Multiaddr listen(Multiaddr address) throws IOException {
        checkOpen();
        Transport transport = transports.stream().filter(t -> t.canListen(address)).findFirst()
                .orElseThrow(() -> new IOException("no transport can listen on " + address));
        TransportListener listener = transport.listen(address, inbound);
        listeners.add(listener);
        addressListeners.forEach(Runnable::run);
        return listener.address();
    }

    /**
     * The addresses others can dial us at, without {@code /p2p/}: each listener's (wildcard binds expanded per
     * interface), then the external ones found for us, such as a router's port mapping.
     */
    public List<Multiaddr> listenAddresses() {
        List<Multiaddr> all = new ArrayList<>();
        listeners.forEach(listener -> all.addAll(listener.dialableAddresses()));
        externalAddresses.stream().filter(address -> !all.contains(address)).forEach(all::add);
        return all;
    }

    /**
     * Adds an address we can be dialled at that no listener knows of, e.g. the public address a router maps to
     * our port, or one that AutoNAT confirmed; {@link #listenAddresses()} includes it from now on.
     */
    public void addExternalAddress(Multiaddr address) {
        if (externalAddresses.addIfAbsent(address.withoutPeerId())) {
            addressListeners.forEach(Runnable::run);
        }
    }

    /** Withdraws an address {@link #addExternalAddress} added, e.g. when the mapping lapsed. */
    public void removeExternalAddress(Multiaddr address) {
        if (externalAddresses.remove(address.withoutPeerId())) {
            addressListeners.forEach(Runnable::run);
        }
    }

    /**
     * Tells those listening for address changes that {@link #listenAddresses()} changed on its own, e.g. a
     * transport's listener gained or lost a relay reservation.
     */
    public void listenAddressesChanged() {
        addressListeners.forEach(Runnable::run);
    }

    /** Hears changes to {@link #listenAddresses()}. */
    public void onListenAddressesChanged(Runnable listener) {
        addressListeners.add(listener);
    }

    public void setHandler(String protocolId, StreamHandler handler) {
        handlers.put(protocolId, handler);
    }

    public void removeHandler(String protocolId) {
        handlers.remove(protocolId);
    }

    /** The protocols this host serves, sorted. */
    public List<String> protocols() {
        return handlers.protocols();
    }

    /** Hears changes to {@link #protocols()}. */
    public void onProtocolsChanged(Runnable listener) {
        handlers.onChange(listener);
    }

    public void addConnectionListener(ConnectionListener listener) {
        connectionListeners.add(listener);
    }

    public void removeConnectionListener(ConnectionListener listener) {
        connectionListeners.remove(listener);
    }

    /**
     * Whether one of this host's transports can dial {@code address}, or it is a {@code /dnsaddr} address, which
     * {@link #dial} resolves first and which is dialable if what it resolves to is.
     */
    public boolean canDial(Multiaddr address) {
        return transports.stream().anyMatch(t -> t.canDial(address)) || address.isDnsaddr();
    }

    /**
     * Dials an address. If it ends in {@code /p2p/<id>}, the peer Noise authenticates must be that one,
     * or the connection is refused. A {@code /dnsaddr} address is resolved first ({@link HostConfig#dnsaddr()}),
     * and the direct addresses it stands for are dialled in turn until one connects.
     */
    public Connection dial(Multiaddr address) throws IOException {
        checkOpen();
        Optional<PeerId> expected = address.peerId();
        if (expected.isPresent() && expected.get().equals(peerId)) {
            throw new IOException("refusing to dial ourselves at " + address);
        }
        Optional<Transport> transport = transports.stream().filter(t -> t.canDial(address)).findFirst();
        if (transport.isEmpty() && address.isDnsaddr()) {
            return dialResolved(address);
        }
        RawConnection raw = transport.orElseThrow(() -> new IOException("no transport can dial " + address))
                .dial(address, config.dialTimeout());
        Connection connection = upgrader.upgrade(raw, Direction.OUTBOUND, expected.orElse(null), this::serveStream);
        addressBook.add(connection.remotePeer(), address.withoutPeerId());
        register(connection);
        return connection;
    }

    /**
     * Resolves a {@code /dnsaddr} address and dials what it stands for, in the order the DNS records list it, until
     * one connects. Only direct addresses are dialled: a relay named in DNS records would have the resolution of its
     * own address start over, as deep as the records care to nest.
     */
    private Connection dialResolved(Multiaddr address) throws IOException {
        List<Multiaddr> resolved = dnsaddr.resolve(address);
        List<Multiaddr> dialable = resolved.stream()
                .filter(candidate -> !candidate.isCircuit() && transports.stream().anyMatch(t -> t.canDial(candidate)))
                .toList();
        if (dialable.isEmpty()) {
            throw new IOException(address + " resolved to " + (resolved.isEmpty()
                    ? "no address" : "no direct address this host can dial: " + resolved));
        }
        IOException failure = new IOException("could not reach " + address + " at any of the " + dialable.size()
                + " addresses it resolved to: " + dialable);
        for (Multiaddr candidate : dialable) {
            try {
                return dial(candidate);
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    /**
     * Returns an open connection to {@code peer}, dialling its known addresses in turn if there is none:
     * direct addresses first, relayed ones after.
     */
    public Connection connect(PeerId peer) throws IOException {
        Optional<Connection> existing = connection(peer);
        if (existing.isPresent()) {
            return existing.get();
        }
        List<Multiaddr> known = addressBook.addresses(peer).stream()
                .sorted(Comparator.comparing(Multiaddr::isCircuit)).toList();
        if (known.isEmpty()) {
            throw new IOException("no known address for " + peer);
        }
        IOException failure = new IOException("could not reach " + peer + " at any of " + known);
        for (Multiaddr address : known) {
            try {
                return dial(address.withPeerId(peer));
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    /** Opens a stream to {@code peer}, connecting first if needed. */
    public Stream newStream(PeerId peer, String... protocolIds) throws IOException {
        return connect(peer).newStream(protocolIds);
    }

    /**
     * An open connection to {@code peer}: a direct one if there is one, and of those the oldest, which has proved
     * itself; a newer one may be short-lived, such as an AutoNAT dial-back the remote is about to close.
     */
    public Optional<Connection> connection(PeerId peer) {
        return connections.getOrDefault(peer, Set.of()).stream().filter(Connection::isOpen)
                .min(Comparator.comparing(Connection::isRelayed).thenComparing(Connection::openedAt));
    }

    public Collection<Connection> connections() {
        List<Connection> all = new ArrayList<>();
        connections.values().forEach(all::addAll);
        return all;
    }

    /**
     * What remote peers hold of this host now, per address too, and what it refused them so far
     * (transport/README.md, "Resource limits").
     */
    public ResourceUsage resources() {
        return resources.usage(connections().size());
    }

    /**
     * Upgrades and admits a raw connection opened outside the usual dial and accept paths, in the role given:
     * a TCP simultaneous open made for hole punching has no natural dialler, so DCUtR names the client
     * ({@link Direction#OUTBOUND}, runs the handshakes as initiator) and the server. The remote must prove to be
     * {@code expectedPeer}, or the connection is closed and refused.
     */
    public Connection upgrade(RawConnection raw, Direction role, PeerId expectedPeer) throws IOException {
        checkOpen();
        Connection connection = upgrader.upgrade(raw, role, role == Direction.OUTBOUND ? expectedPeer : null,
                this::serveStream);
        if (!connection.remotePeer().equals(expectedPeer)) {
            connection.close();
            throw new IOException("expected " + expectedPeer + " at " + raw.remoteAddress() + " but "
                    + connection.remotePeer() + " answered");
        }
        addressBook.add(expectedPeer, raw.remoteAddress());
        register(connection);
        return connection;
    }

    /**
     * Upgrades and admits a connection a transport accepted outside a listener, such as a circuit relay's stop
     * protocol, if the limits allow it one more (those of its remote address, unless it is relayed); if not, closes it.
     */
    public void acceptInbound(RawConnection raw) {
        Optional<CountedAdmission> admission = closed ? Optional.empty()
                : resources.admit(InboundSource.of(raw.remoteAddress()), raw);
        if (admission.isEmpty()) {
            log.debug("closing inbound {}: {}", raw, closed ? "host closed" : "a limit is reached");
            closeQuietly(raw);
            return;
        }
        upgradeInbound(raw, admission.get());
    }

    private void upgradeInbound(RawConnection raw, Admission admission) {
        try {
            Connection connection = upgrader.upgrade(raw, Direction.INBOUND, null, this::serveStream);
            connection.onClose(admission::close);
            admission.connected();
            register(connection);
        } catch (IOException | RuntimeException e) {
            admission.close();
            log.debug("inbound {} failed: {}", raw, e.getMessage());
        }
    }

    /** How this host's listeners hand it connections: counted at accept, upgraded on the listener's thread. */
    private final class Inbound implements InboundHandler {
        @Override
        public Optional<Admission> admit(InetSocketAddress remote, Closeable socket) {
            if (closed) {
                return Optional.empty();
            }
            return resources.admit(Optional.of(InboundSource.of(remote.getAddress())), socket).map(counted -> counted);
        }

        @Override
        public void accept(RawConnection raw, Admission admission) {
            upgradeInbound(raw, admission);
        }
    }

    private static void closeQuietly(RawConnection raw) {
        try {
            raw.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", raw, e.getMessage());
        }
    }

    private void serveStream(Connection connection, YamuxStream stream) {
        connection.serveInbound(stream, handlers, config.limits());
    }

    /**
     * Admits an upgraded connection if the limits allow, starts its muxer and tells the listeners. The address book
     * holds the peer from now until its last connection closes and its grace is over.
     */
    private void register(Connection connection) throws IOException {
        PeerId peer = connection.remotePeer();
        String refusal = null;
        admission.lock();
        try {
            if (closed) {
                refusal = "host closed";
            } else if (connections.getOrDefault(peer, Set.of()).size() >= config.limits().maxConnectionsPerPeer()
                    || connections().size() >= config.limits().maxConnections()) {
                refusal = "connection limit reached";
            } else {
                // Started before it is listed: whoever finds it through connection(peer) may open a stream on it at
                // once, and a stream needs the started muxer's memory scope.
                connection.start(memory.openConnection(peer.toString()));
                connections.compute(peer, (p, set) -> {
                    Set<Connection> toPeer = set == null ? ConcurrentHashMap.newKeySet() : set;
                    toPeer.add(connection);
                    return toPeer;
                });
            }
        } finally {
            admission.unlock();
        }
        if (refusal != null) {
            // Closed outside the lock: saying go-away may take a moment, which no other admission need wait for.
            connection.close();
            throw new IOException("connection to " + peer + " refused: " + refusal);
        }
        addressBook.connected(peer);
        // Runs at once if the connection has closed meanwhile, so a connection never stays listed closed.
        connection.onClose(() -> unregister(connection));
        connectionListeners.forEach(l -> l.connectionOpened(connection));
    }

    private void unregister(Connection connection) {
        connections.computeIfPresent(connection.remotePeer(), (peer, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
        addressBook.disconnected(connection.remotePeer());
        connectionListeners.forEach(l -> l.connectionClosed(connection));
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("host is closed");
        }
    }

    @Override
    public void close() {
        admission.lock();
        try {
            closed = true;
        } finally {
            admission.unlock();
        }
        for (TransportListener listener : listeners) {
            try {
                listener.close();
            } catch (IOException e) {
                log.debug("closing listener {}: {}", listener.address(), e.getMessage());
            }
        }
        transports.forEach(Transport::close);
        connections().forEach(Connection::close);
        timer.shutdownNow();
        awaitTimerEnd();
    }

    /**
     * Returns once the timer's threads have ended: shutting the timer down only interrupts them, and even its
     * termination comes a moment before its thread ends. A closed host leaves no thread of its own running (a thread
     * dump taken just after close found the timer's alive now and then).
     */
    private void awaitTimerEnd() {
        for (Thread thread : timerThreads) {
            // One made but not started yet finds the timer shut down when it starts; the timer's own task may close.
            if (thread == Thread.currentThread() || thread.getState() == Thread.State.NEW) {
                continue;
            }
            try {
                if (!thread.join(TIMER_END_TIMEOUT)) {
                    log.warn("the host's timer thread did not end within {}", TIMER_END_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
