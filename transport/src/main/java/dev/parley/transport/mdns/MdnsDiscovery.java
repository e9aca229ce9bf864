package dev.parley.transport.mdns;

import dev.parley.transport.Host;
import dev.parley.transport.mdns.MdnsMessages.Asked;
import dev.parley.transport.mdns.MdnsMessages.Self;
import dev.parley.transport.mdns.MdnsMessages.Sighting;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds libp2p peers on the local network with multicast DNS (specs: discovery/mdns.md), and lets them find
 * this host; it interoperates with js-libp2p's {@code @libp2p/mdns}.
 *
 * <p>It joins {@code 224.0.0.251:5353} on the configured interfaces, with {@code SO_REUSEADDR} so that other
 * mDNS responders on the same host keep working. At start and then every query interval it asks for peers
 * and announces this host's listen addresses; it answers others' queries, at most once a second per
 * interface (RFC 6762 §6), so a flood of queries cannot turn it into a flood of responses. On close it sends a
 * goodbye. Peers it hears of go into the host's {@link dev.parley.transport.AddressBook}, so the host can dial
 * them by PeerId, and to the listeners as {@link DiscoveryEvent}s. It never reports this host itself.
 *
 * <p>One virtual thread receives packets (malformed ones are dropped and logged at debug level); one worker
 * thread owns all state, sends everything and calls the listeners in order. A listener must therefore return
 * quickly: dialling a found peer belongs on another thread.
 */
public final class MdnsDiscovery implements AutoCloseable {
    public static final int PORT = 5353;
    /** RFC 6762's IPv4 group with its port. */
    public static final InetSocketAddress IPV4_GROUP = new InetSocketAddress(ipv4(224, 0, 0, 251), PORT);
    /** RFC 6762 §6: the least time between two multicasts of one record on one interface. */
    static final Duration MIN_MULTICAST_GAP = Duration.ofSeconds(1);
    /** RFC 6762 §11: the IP TTL of mDNS packets. */
    private static final int MULTICAST_TTL = 255;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RECEIVE_ERROR_BACKOFF = Duration.ofMillis(100);
    /** The spec asks for at least 32 random lower-case letters and digits. */
    private static final int PEER_NAME_LENGTH = 32;
    private static final String PEER_NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final Asked ANNOUNCEMENT = new Asked(true, false);

    private static final Logger log = LoggerFactory.getLogger(MdnsDiscovery.class);

    private final Host host;
    private final MdnsConfig config;
    private final Self self;
    private final long ttlSeconds;
    private final PeerTable peers = new PeerTable();
    private final List<Consumer<DiscoveryEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledThreadPoolExecutor worker;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Running running;
    private ScheduledFuture<?> expiryCheck;

    /** What exists while discovery runs. */
    private record Running(DatagramChannel channel, List<Link> links, Thread receiver) {
    }

    /** One interface discovery runs on, and its multicast pacing; touched only by the worker. */
    private static final class Link {
        final NetworkInterface nic;
        final List<InterfaceAddress> ipv4;
        final List<InetAddress> addresses;
        final boolean loopback;
        long lastMulticastNanos;
        boolean multicastBefore;
        boolean announcementDue;
        boolean servicesDue;
        boolean responseScheduled;

        Link(NetworkInterface nic) throws SocketException {
            this.nic = nic;
            this.ipv4 = nic.getInterfaceAddresses().stream()
                    .filter(address -> address.getAddress() instanceof Inet4Address)
                    .toList();
            this.addresses = Collections.list(nic.getInetAddresses());
            this.loopback = nic.isLoopback();
        }

        /** Whether {@code source} is on one of this interface's IPv4 subnets. */
        boolean carries(InetAddress source) {
            return ipv4.stream().anyMatch(subnet -> sameSubnet(source, subnet));
        }

        @Override
        public String toString() {
            return nic.getName();
        }
    }

    public MdnsDiscovery(Host host, MdnsConfig config) {
        this.host = host;
        this.config = config;
        this.self = new Self(randomPeerName(), host.peerId());
        this.ttlSeconds = config.recordTtl().toSeconds();
        this.worker = new ScheduledThreadPoolExecutor(1, Thread.ofVirtual().name("mdns-worker").factory());
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        worker.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        worker.setRemoveOnCancelPolicy(true);
    }

    /** Hears every {@link DiscoveryEvent} from now on, on the discovery's worker thread. */
    public void addListener(Consumer<DiscoveryEvent> listener) {
        listeners.add(listener);
    }

    /**
     * Joins the group on the configured interfaces, then asks for peers and announces this host at once.
     *
     * @throws IOException if an interface is missing, down, without multicast or IPv4, or the port cannot be
     *     bound; the message says which
     * @throws IllegalStateException if started before
     */
    public void start() throws IOException {
        if (closed || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("mDNS discovery can be started once; it was already "
                    + (closed ? "closed" : "started"));
        }
        List<Link> links = resolveLinks();
        DatagramChannel channel = open(links);
        Thread receiver = Thread.ofVirtual().name("mdns-receive").unstarted(() -> receive(channel));
        running = new Running(channel, links, receiver);
        receiver.start();
        host.onListenAddressesChanged(this::listenAddressesChanged);
        worker.scheduleAtFixedRate(guarded(this::queryAndAnnounce), 0, config.queryInterval().toNanos(),
                TimeUnit.NANOSECONDS);
        log.debug("mDNS discovery on {} as {}", links, self.instance());
    }

    /** The peers currently known from mDNS and their addresses, without {@code /p2p/}. */
    public Map<PeerId, List<Multiaddr>> peers() {
        return peers.snapshot();
    }

    /** The random name this host goes by on mDNS: {@code <name>._p2p._udp.local}. */
    public String peerName() {
        return self.peerName();
    }

    /** The interfaces discovery runs on; empty before start. */
    public List<String> interfaces() {
        Running now = running;
        return now == null ? List.of() : now.links().stream().map(Link::toString).toList();
    }

    /** Sends the goodbye, stops the threads and leaves the group. Listeners hear nothing afterwards. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Running now = running;
        if (now == null) {
            worker.shutdownNow();
            return;
        }
        Future<?> goodbye = worker.submit(guarded(() -> now.links().forEach(link -> send(link, MdnsMessages.goodbye(self)))));
        try {
            goodbye.get(CLOSE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            worker.shutdown();
            if (!worker.awaitTermination(CLOSE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("mDNS worker still busy {} after close", CLOSE_TIMEOUT);
            }
        } catch (ExecutionException | TimeoutException e) {
            log.warn("mDNS goodbye not sent: {}", e.toString());
            worker.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
        try {
            now.channel().close();
            now.receiver().join(CLOSE_TIMEOUT);
        } catch (IOException e) {
            log.debug("closing the mDNS socket: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<Link> resolveLinks() throws IOException {
        List<NetworkInterface> chosen = new ArrayList<>();
        if (config.interfaces().isEmpty()) {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && nic.supportsMulticast() && !nic.isLoopback() && hasIpv4(nic)) {
                    chosen.add(nic);
                }
            }
            if (chosen.isEmpty()) {
                throw new IOException("no network interface is up, multicast-capable and has an IPv4 address;"
                        + " mDNS has nowhere to run");
            }
        } else {
            for (String name : config.interfaces()) {
                chosen.add(usable(name));
            }
        }
        List<Link> links = new ArrayList<>();
        for (NetworkInterface nic : chosen) {
            links.add(new Link(nic));
        }
        return List.copyOf(links);
    }

    private static NetworkInterface usable(String name) throws IOException {
        NetworkInterface nic = NetworkInterface.getByName(name);
        if (nic == null) {
            List<String> present = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .map(NetworkInterface::getName)
                    .toList();
            throw new IOException("no network interface named " + name + " for mDNS; there are " + present);
        }
        if (!nic.isUp()) {
            throw new IOException("network interface " + name + " is down; mDNS cannot run on it");
        }
        if (!nic.supportsMulticast() && !nic.isLoopback()) {
            throw new IOException("network interface " + name + " does not support multicast; mDNS cannot run on it");
        }
        if (!hasIpv4(nic)) {
            throw new IOException("network interface " + name + " has no IPv4 address; mDNS runs over IPv4");
        }
        return nic;
    }

    private static boolean hasIpv4(NetworkInterface nic) {
        return nic.getInterfaceAddresses().stream().anyMatch(address -> address.getAddress() instanceof Inet4Address);
    }

    private static DatagramChannel open(List<Link> links) throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(ipv4(0, 0, 0, 0), PORT));
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, MULTICAST_TTL);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            for (Link link : links) {
                channel.join(IPV4_GROUP.getAddress(), link.nic);
            }
            return channel;
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot join mDNS group " + IPV4_GROUP + " on " + links + ": " + e.getMessage(), e);
        }
    }

    private void receive(DatagramChannel channel) {
        // One byte more than the largest packet, so that a larger one shows as too large instead of cut.
        ByteBuffer buffer = ByteBuffer.allocate(DnsCodec.MAX_PACKET_BYTES + 1);
        while (!closed) {
            buffer.clear();
            InetSocketAddress source;
            try {
                source = (InetSocketAddress) channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("receiving mDNS failed: {}", e.getMessage());
                pause(RECEIVE_ERROR_BACKOFF);
                continue;
            }
            DnsMessage message;
            try {
                message = DnsCodec.decode(buffer.array(), buffer.position());
            } catch (DnsFormatException e) {
                log.debug("dropped a malformed mDNS packet from {}: {}", source, e.getMessage());
                continue;
            }
            try {
                worker.execute(guarded(() -> handle(message, source)));
            } catch (RejectedExecutionException e) {
                return;
            }
        }
    }

    private void handle(DnsMessage message, InetSocketAddress source) {
        Optional<Link> link = running.links().stream().filter(l -> l.carries(source.getAddress())).findFirst();
        if (link.isEmpty()) {
            log.debug("ignored an mDNS packet from {}, which is on none of the subnets of {}", source,
                    running.links());
        } else if (source.getPort() != PORT) {
            // RFC 6762 §6.7 and §11: one-shot queries from other ports want unicast replies, which we do not send,
            // and responses must come from the mDNS port.
            log.debug("ignored an mDNS packet from {}, not from port {}", source, PORT);
        } else if (message.isResponse()) {
            learn(message, source.getAddress());
        } else {
            Asked asked = MdnsMessages.asked(message, self, ttlSeconds);
            if (asked.anything()) {
                respond(link.get(), asked);
            }
        }
    }

    private void learn(DnsMessage response, InetAddress source) {
        long now = System.nanoTime();
        List<DiscoveryEvent> events = new ArrayList<>();
        for (Sighting sighting : MdnsMessages.read(response, isThisHost(source))) {
            if (sighting.instance().equals(self.instance())) {
                continue;
            }
            switch (sighting) {
                case Sighting.Announced announced when !announced.peer().equals(self.peerId()) ->
                        peers.announced(announced, now).ifPresent(events::add);
                case Sighting.Announced ourselvesUnderAnotherName -> log.debug(
                        "{} announces our own peer id; ignored", ourselvesUnderAnotherName.instance());
                case Sighting.Departed departed -> peers.departed(departed.instance()).ifPresent(events::add);
            }
        }
        publish(events);
        scheduleExpiryCheck();
    }

    private void expire() {
        publish(peers.expire(System.nanoTime()));
        scheduleExpiryCheck();
    }

    private void scheduleExpiryCheck() {
        if (expiryCheck != null) {
            expiryCheck.cancel(false);
        }
        peers.nextExpiry().ifPresent(at -> expiryCheck = worker.schedule(guarded(this::expire),
                Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS));
    }

    private void publish(List<DiscoveryEvent> events) {
        for (DiscoveryEvent event : events) {
            if (event instanceof DiscoveryEvent.PeerFound found) {
                host.addressBook().add(found.peer(), found.addresses());
            }
            for (Consumer<DiscoveryEvent> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    log.warn("an mDNS listener failed on {}", event, e);
                }
            }
        }
    }

    private void queryAndAnnounce() {
        for (Link link : running.links()) {
            send(link, MdnsMessages.query(self, ttlSeconds));
            respond(link, ANNOUNCEMENT);
        }
    }

    private void listenAddressesChanged() {
        if (closed) {
            return;
        }
        try {
            worker.execute(guarded(() -> running.links().forEach(link -> respond(link, ANNOUNCEMENT))));
        } catch (RejectedExecutionException e) {
            log.debug("listen addresses changed while mDNS closes");
        }
    }

    /** Sends what was asked on {@code link} now, or when the multicast gap has passed; requests in between merge. */
    private void respond(Link link, Asked asked) {
        link.announcementDue |= asked.announcement();
        link.servicesDue |= asked.services();
        if (link.responseScheduled) {
            return;
        }
        long wait = link.multicastBefore ? link.lastMulticastNanos + MIN_MULTICAST_GAP.toNanos() - System.nanoTime() : 0;
        link.responseScheduled = true;
        if (wait <= 0) {
            flush(link);
        } else {
            worker.schedule(guarded(() -> flush(link)), wait, TimeUnit.NANOSECONDS);
        }
    }

    private void flush(Link link) {
        link.responseScheduled = false;
        List<Multiaddr> addresses = link.announcementDue
                ? MdnsMessages.addressesFor(host.listenAddresses(), link.addresses, link.loopback)
                : List.of();
        DnsMessage response = MdnsMessages.response(self, addresses, ttlSeconds, link.servicesDue);
        link.announcementDue = false;
        link.servicesDue = false;
        if (response.answers().isEmpty()) {
            return;
        }
        send(link, response);
        link.lastMulticastNanos = System.nanoTime();
        link.multicastBefore = true;
    }

    private void send(Link link, DnsMessage message) {
        DatagramChannel channel = running.channel();
        try {
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, link.nic);
            channel.send(ByteBuffer.wrap(DnsCodec.encode(message)), IPV4_GROUP);
        } catch (IOException e) {
            log.debug("cannot send mDNS {} on {}: {}", message.isResponse() ? "response" : "query", link, e.getMessage());
        }
    }

    /** A worker task that logs its failure instead of ending (a periodic task that throws is never run again). */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("mDNS task failed", e);
            }
        };
    }

    private static boolean isThisHost(InetAddress address) {
        try {
            return address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            log.debug("cannot tell whether {} is ours: {}", address, e.getMessage());
            return false;
        }
    }

    private static boolean sameSubnet(InetAddress address, InterfaceAddress subnet) {
        byte[] a = address.getAddress();
        byte[] b = subnet.getAddress().getAddress();
        if (a.length != b.length) {
            return false;
        }
        int bits = subnet.getNetworkPrefixLength();
        for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((a[i] & mask) != (b[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static String randomPeerName() {
        SecureRandom random = new SecureRandom();
        StringBuilder name = new StringBuilder(PEER_NAME_LENGTH);
        for (int i = 0; i < PEER_NAME_LENGTH; i++) {
            name.append(PEER_NAME_ALPHABET.charAt(random.nextInt(PEER_NAME_ALPHABET.length())));
        }
        return name.toString();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static InetAddress ipv4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an IPv4 address", e);
        }
    }
}
