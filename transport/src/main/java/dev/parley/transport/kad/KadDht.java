package dev.parley.transport.kad;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import dev.parley.transport.Connection;
import dev.parley.transport.ConnectionListener;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.kad.pb.KadProtos.Message;
import dev.parley.transport.kad.pb.KadProtos.Message.MessageType;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.Multihash;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p Kademlia DHT, {@code /ipfs/kad/1.0.0} (specs: kad-dht/README.md): peer routing and provider
 * records; no value records. In {@link KadMode#SERVER} mode it answers FIND_NODE, GET_PROVIDERS, ADD_PROVIDER
 * and PING; in either mode it asks. Only peers that serve the DHT enter the routing table: bootstrap peers,
 * peers that answered our queries, and connected peers whose identify lists the protocol.
 */
public final class KadDht implements AutoCloseable {
    public static final String PROTOCOL_ID = "/ipfs/kad/1.0.0";
    /**
     * Keys are multihashes (js-libp2p decodes them as CIDs): 34 bytes for sha2-256, 38 for an inlined Ed25519
     * peer id. Anything longer is no key we would store.
     */
    static final int MAX_KEY_BYTES = 128;
    /**
     * Queries answered on one inbound stream before it is closed. go-libp2p reuses a stream for a peer's queries
     * and opens a new one when it ends; js-libp2p and we open one per query. With the per-peer caps on streams and
     * connections (ResourceLimits) this bounds what one stream, and one peer at a time, can make us do
     * (transport/README.md, "Per-peer state").
     */
    static final int MAX_REQUESTS_PER_STREAM = 256;

    private static final Logger log = LoggerFactory.getLogger(KadDht.class);
    /** Who keeps routing-table members in the address book. */
    private static final String ROUTING_TABLE = "kad routing table";
    private static final byte[] PEER_KEY_PREFIX = "/parley/peer/1.0.0/".getBytes(UTF_8);

    private final Host host;
    private final IdentifyService identify;
    private final KadOptions options;
    private final RoutingTable table;
    private final ProviderStore providers;
    private final ExecutorService queries = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("kad-timer").factory());
    private volatile KadMode mode;
    private final AtomicInteger admissions = new AtomicInteger();
    private final AtomicInteger serving = new AtomicInteger();

    public KadDht(Host host, IdentifyService identify, KadMode mode, KadOptions options) {
        this.host = host;
        this.identify = identify;
        this.options = options;
        this.table = new RoutingTable(host.peerId(), options.k());
        this.providers = new ProviderStore(options.providerValidity(), options.maxProviderKeys(),
                options.maxProvidersPerKey(), System::nanoTime);
        setMode(mode);
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionOpened(Connection connection) {
                admissions.incrementAndGet();
                try {
                    queries.execute(() -> {
                        try {
                            admitIfServer(connection.remotePeer());
                        } finally {
                            admissions.decrementAndGet();
                        }
                    });
                } catch (RejectedExecutionException closed) {
                    admissions.decrementAndGet();
                    log.debug("DHT closed; not admitting {}", connection.remotePeer());
                }
            }
        });
    }

    /**
     * The key under which Parley publishes where a peer can be reached now, its relay circuit addresses
     * included: the sha2-256 multihash of {@code "/parley/peer/1.0.0/"} followed by the peer id's bytes, which
     * is the multihash of the CIDv1 (raw codec) of those bytes, as content keys in the DHT are.
     */
    public static byte[] peerKey(PeerId peer) {
        ByteBuffer input = ByteBuffer.allocate(PEER_KEY_PREFIX.length + peer.bytes().length);
        input.put(PEER_KEY_PREFIX).put(peer.bytes());
        return Multihash.sha256(input.array()).bytes();
    }

    public KadMode mode() {
        return mode;
    }

    /** Starts or stops answering queries, e.g. once AutoNAT finds us publicly reachable. */
    public synchronized void setMode(KadMode newMode) {
        if (newMode == mode) {
            return;
        }
        mode = newMode;
        if (newMode == KadMode.SERVER) {
            host.setHandler(PROTOCOL_ID, this::serve);
        } else {
            host.removeHandler(PROTOCOL_ID);
        }
    }

    /**
     * Connected peers not yet admitted to the routing table or turned away: each waits for its identify, so a peer
     * that just connected is not in the table at once.
     */
    int admissionsUnderWay() {
        return admissions.get();
    }

    /** Peers in the routing table now. */
    public int routingTableSize() {
        return table.size();
    }

    /**
     * Dials each address (each must end in {@code /p2p/}), takes those peers into the routing table, and looks
     * up our own id to fill the table with our neighbourhood. Returns the routing table's size after.
     */
    public int bootstrap(List<Multiaddr> addresses) throws IOException {
        IOException failure = new IOException("could not reach any bootstrap peer of " + addresses);
        for (Multiaddr address : addresses) {
            try {
                admit(host.dial(address).remotePeer());
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        if (table.size() == 0) {
            throw failure;
        }
        lookup(host.peerId().bytes(), request(MessageType.FIND_NODE, host.peerId().bytes()),
                (from, answer, hops) -> false);
        return table.size();
    }

    /** Finds a peer's addresses; returns as soon as an answer names it with some. */
    public Optional<PeerLookup> findPeer(PeerId target) throws IOException {
        AtomicReference<PeerLookup> found = new AtomicReference<>();
        IterativeLookup.Outcome outcome = lookup(target.bytes(), request(MessageType.FIND_NODE, target.bytes()),
                (from, answer, hops) -> {
                    for (Message.Peer entry : answer.getCloserPeersList()) {
                        Optional<KadPeer> peer = decodeQuietly(entry);
                        if (peer.isPresent() && peer.get().id().equals(target) && !peer.get().addresses().isEmpty()) {
                            found.set(new PeerLookup(target, peer.get().addresses(), hops));
                            return true;
                        }
                    }
                    return false;
                });
        log.debug("lookup of {} took {} hops", target, outcome.hops());
        return Optional.ofNullable(found.get());
    }

    /** Tells the k peers closest to {@code key} that we provide it, at our current listen addresses. */
    public ProvideReceipt provide(byte[] key) throws IOException {
        checkKey(key);
        List<Multiaddr> ours = host.listenAddresses();
        if (mode == KadMode.SERVER) {
            providers.add(key, new ProviderRecord(host.peerId(), ours));
        }
        IterativeLookup.Outcome outcome = lookup(key, request(MessageType.FIND_NODE, key),
                (from, answer, hops) -> false);
        Message addProvider = request(MessageType.ADD_PROVIDER, key).toBuilder()
                .addProviderPeers(KadCodec.encodePeer(host.peerId(), ours)).build();
        List<PeerId> storedAt = new ArrayList<>();
        List<Future<PeerId>> sends = new ArrayList<>();
        for (PeerId peer : outcome.closest()) {
            sends.add(queries.submit(() -> {
                send(peer, addProvider);
                return peer;
            }));
        }
        for (Future<PeerId> send : sends) {
            try {
                storedAt.add(send.get());
            } catch (ExecutionException e) {
                log.debug("ADD_PROVIDER failed: {}", e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while providing", e);
            }
        }
        return new ProvideReceipt(storedAt, outcome.hops());
    }

    /** Finds up to {@code max} providers of {@code key}; stops looking once it has that many. */
    public ProviderLookup findProviders(byte[] key, int max) throws IOException {
        checkKey(key);
        Map<PeerId, ProviderRecord> found = new LinkedHashMap<>();
        providers.get(key).forEach(record -> found.put(record.peer(), record));
        if (found.size() >= max) {
            return new ProviderLookup(List.copyOf(found.values()).subList(0, max), 0);
        }
        IterativeLookup.Outcome outcome = lookup(key, request(MessageType.GET_PROVIDERS, key),
                (from, answer, hops) -> {
                    for (Message.Peer entry : answer.getProviderPeersList()) {
                        decodeQuietly(entry).filter(peer -> !peer.addresses().isEmpty()).ifPresent(peer -> {
                            if (found.size() < max) {
                                found.putIfAbsent(peer.id(), new ProviderRecord(peer.id(), peer.addresses()));
                            }
                        });
                    }
                    return found.size() >= max;
                });
        return new ProviderLookup(List.copyOf(found.values()), outcome.hops());
    }

    @Override
    public void close() {
        if (mode == KadMode.SERVER) {
            host.removeHandler(PROTOCOL_ID);
        }
        queries.shutdownNow();
        timer.shutdownNow();
    }

    private IterativeLookup.Outcome lookup(byte[] key, Message request, IterativeLookup.AnswerListener listener)
            throws IOException {
        List<PeerId> seeds = table.closest(key, options.k());
        if (seeds.isEmpty()) {
            throw new IOException("the DHT routing table is empty; bootstrap first");
        }
        try {
            return new IterativeLookup(key, options, queries, peer -> ask(peer, request)).run(seeds, listener);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during a DHT lookup", e);
        }
    }

    /**
     * Sends one query and reads the answer within the query timeout. A peer that answers serves the DHT and
     * enters the routing table; one that fails leaves it. The closer peers it names have their addresses noted.
     */
    private IterativeLookup.Answer ask(PeerId peer, Message request) throws IOException {
        try (Stream stream = host.newStream(peer, PROTOCOL_ID)) {
            // The stream is closed only after the answer is in: js-libp2p resets a stream whose writer closed
            // before it asked for the next request, and a reset can overtake the answer.
            Message answer = withinQueryTimeout(stream, () -> {
                KadCodec.write(request, stream.out());
                return KadCodec.read(stream.in(), stream.memory());
            });
            if (answer.getType() != request.getType()) {
                throw new KadProtocolException(answer.getType() + " answer to a " + request.getType() + " query");
            }
            List<KadPeer> closer = new ArrayList<>();
            for (Message.Peer entry : answer.getCloserPeersList()) {
                if (closer.size() >= options.k()) {
                    break;
                }
                KadPeer decoded = KadCodec.decodePeer(entry, options.maxAddressesPerPeer());
                if (!decoded.id().equals(host.peerId())) {
                    host.addressBook().add(decoded.id(), decoded.addresses());
                    closer.add(decoded);
                }
            }
            admit(peer);
            return new IterativeLookup.Answer(answer, closer);
        } catch (IOException | RuntimeException e) {
            log.debug("{} query to {} failed: {}", request.getType(), peer, e.getMessage());
            evict(peer);
            throw e;
        }
    }

    /** Sends a message that has no answer (ADD_PROVIDER). */
    private void send(PeerId peer, Message message) throws IOException {
        try (Stream stream = host.newStream(peer, PROTOCOL_ID)) {
            withinQueryTimeout(stream, () -> {
                KadCodec.write(message, stream.out());
                stream.closeWrite();
                return message;
            });
        }
    }

    @FunctionalInterface
    private interface Exchange<T> {
        T run() throws IOException;
    }

    /** Runs an exchange on {@code stream}, resetting the stream if it outlasts the query timeout. */
    private <T> T withinQueryTimeout(Stream stream, Exchange<T> exchange) throws IOException {
        ScheduledFuture<?> deadline = timer.schedule(stream::reset, options.queryTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            return exchange.run();
        } catch (IOException e) {
            if (deadline.isDone()) {
                throw new IOException("no answer from " + stream.remotePeer() + " within " + options.queryTimeout(), e);
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    /** Inbound DHT streams being served now. */
    public int streamsServed() {
        return serving.get();
    }

    /**
     * Answers each query on the stream in turn until the remote closes it or {@link #MAX_REQUESTS_PER_STREAM} are
     * answered; a bad message ends the stream.
     */
    private void serve(Stream stream) throws IOException {
        serving.incrementAndGet();
        try {
            for (int answered = 0; answered < MAX_REQUESTS_PER_STREAM; answered++) {
                Optional<Message> request = withinQueryTimeout(stream,
                        () -> KadCodec.readOrEnd(stream.in(), stream.memory()));
                if (request.isEmpty()) {
                    return;
                }
                Optional<Message> answer = answer(stream.remotePeer(), request.get());
                if (answer.isPresent()) {
                    KadCodec.write(answer.get(), stream.out());
                }
            }
            log.debug("closing a DHT stream from {} after {} queries", stream.remotePeer(), MAX_REQUESTS_PER_STREAM);
        } finally {
            serving.decrementAndGet();
        }
    }

    private Optional<Message> answer(PeerId from, Message request) throws KadProtocolException {
        return switch (request.getType()) {
            case FIND_NODE -> Optional.of(findNodeAnswer(from, request));
            case GET_PROVIDERS -> Optional.of(getProvidersAnswer(from, request));
            case ADD_PROVIDER -> {
                addProviders(from, request);
                yield Optional.empty();
            }
            case PING -> Optional.of(request);
            case PUT_VALUE, GET_VALUE -> throw new KadProtocolException(request.getType()
                    + " from " + from + ": this node stores no values");
        };
    }

    private Message findNodeAnswer(PeerId from, Message request) throws KadProtocolException {
        byte[] key = requireKey(from, request);
        Message.Builder answer = Message.newBuilder().setType(MessageType.FIND_NODE)
                .addAllCloserPeers(closerPeers(key, from));
        if (ByteString.copyFrom(host.peerId().bytes()).equals(request.getKey())) {
            answer.addCloserPeers(KadCodec.encodePeer(host.peerId(), host.listenAddresses()));
        }
        return answer.build();
    }

    private Message getProvidersAnswer(PeerId from, Message request) throws KadProtocolException {
        byte[] key = requireKey(from, request);
        checkKeyFrom(from, key);
        Message.Builder answer = Message.newBuilder().setType(MessageType.GET_PROVIDERS).setKey(request.getKey())
                .addAllCloserPeers(closerPeers(key, from));
        for (ProviderRecord record : providers.get(key)) {
            answer.addProviderPeers(KadCodec.encodePeer(record.peer(), record.addresses()));
        }
        return answer.build();
    }

    /** Stores the records the sender gives for itself; the spec lets a peer announce only itself. */
    private void addProviders(PeerId from, Message request) throws KadProtocolException {
        byte[] key = requireKey(from, request);
        checkKeyFrom(from, key);
        for (Message.Peer entry : request.getProviderPeersList()) {
            KadPeer provider = KadCodec.decodePeer(entry, options.maxAddressesPerPeer());
            if (!provider.id().equals(from)) {
                log.debug("{} announced {} as a provider; only its own records are taken", from, provider.id());
            } else if (provider.addresses().isEmpty()) {
                log.debug("{} announced itself as a provider without an address", from);
            } else if (!providers.add(key, new ProviderRecord(from, provider.addresses()))) {
                log.debug("provider store full; dropped a record from {}", from);
            }
        }
    }

    /** Up to k routing table peers nearest to {@code key} that we have addresses for, the asker left out. */
    private List<Message.Peer> closerPeers(byte[] key, PeerId asker) {
        List<Message.Peer> closer = new ArrayList<>();
        for (PeerId peer : table.closest(key, options.k() + 1)) {
            List<Multiaddr> addresses = host.addressBook().addresses(peer);
            if (!peer.equals(asker) && !addresses.isEmpty() && closer.size() < options.k()) {
                closer.add(KadCodec.encodePeer(peer, addresses.subList(0,
                        Math.min(addresses.size(), options.maxAddressesPerPeer()))));
            }
        }
        return closer;
    }

    private static byte[] requireKey(PeerId from, Message request) throws KadProtocolException {
        if (!request.hasKey() || request.getKey().isEmpty()) {
            throw new KadProtocolException(request.getType() + " from " + from + " without a key");
        }
        return request.getKey().toByteArray();
    }

    private static void checkKeyFrom(PeerId from, byte[] key) throws KadProtocolException {
        if (key.length > MAX_KEY_BYTES) {
            throw new KadProtocolException("key of " + key.length + " bytes from " + from + " exceeds the limit of "
                    + MAX_KEY_BYTES);
        }
    }

    private static void checkKey(byte[] key) {
        if (key.length == 0 || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a DHT key has 1 to " + MAX_KEY_BYTES + " bytes, got " + key.length);
        }
    }

    private static Message request(MessageType type, byte[] key) {
        return Message.newBuilder().setType(type).setKey(ByteString.copyFrom(key)).build();
    }

    private Optional<KadPeer> decodeQuietly(Message.Peer entry) {
        try {
            return Optional.of(KadCodec.decodePeer(entry, options.maxAddressesPerPeer()));
        } catch (KadProtocolException e) {
            log.debug("skipping a peer entry: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Takes {@code peer} into the routing table if its bucket has room, and has the address book keep it there:
     * we answer FIND_NODE with its addresses, and a member does not go away because it is not connected.
     */
    private void admit(PeerId peer) {
        if (table.add(peer)) {
            host.addressBook().keep(peer, ROUTING_TABLE);
        }
    }

    private void evict(PeerId peer) {
        table.remove(peer);
        host.addressBook().release(peer, ROUTING_TABLE);
    }

    /** Takes a newly connected peer into the routing table if identify says it serves the DHT. */
    private void admitIfServer(PeerId peer) {
        try {
            if (identify.awaitInfo(peer, options.queryTimeout()).protocols().contains(PROTOCOL_ID)) {
                admit(peer);
            }
        } catch (IOException e) {
            log.debug("no identify from {}, so not known as a DHT server: {}", peer, e.getMessage());
        }
    }
}
