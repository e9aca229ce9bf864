package dev.parley.transport.autonat;

import com.google.protobuf.ByteString;
import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.autonat.DialBackResult.Status;
import dev.parley.transport.autonat.pb.AutoNatProtos.Message;
import dev.parley.transport.autonat.pb.AutoNatProtos.Message.ResponseStatus;
import dev.parley.transport.identify.IdentifyInfo;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.multiformats.Component;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Protocol;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AutoNAT v1 (specs: autonat/autonat-v1.md): as client, asks peers to dial us back and concludes whether we are
 * reachable from the internet; as server, dials back the peers that ask.
 *
 * <p>A server dials only addresses on the IP the request came from, and never through a relay, so that nobody can
 * aim our dials at a third party (the spec's RFC 3489 §12.1.1 attack). Each dial-back is a new connection, which
 * is the point: an existing connection proves nothing about a NAT.
 *
 * <p>Either end waits for the other's message at most the AutoNAT deadline
 * ({@link dev.parley.transport.ProtocolDeadlines#autoNat()}), then resets the stream.
 *
 * <p>The client keeps each server's latest answer that says something (dialled us, or tried and failed) and calls
 * us public or private once {@link AutoNatConfig#confirmations()} of the recent ones agree.
 */
public final class AutoNatService {
    public static final String PROTOCOL_ID = "/libp2p/autonat/1.0.0";
    /** Addresses a request may list; more are ignored. A node rarely has a dozen. */
    static final int MAX_ADDRESSES = 32;
    /** Addresses of one request dialled back; a node's few real ones come first in what it sends. */
    static final int MAX_DIAL_BACK_TARGETS = 4;
    /** How long a probe waits for identify from its servers; it takes one round trip on a fresh connection. */
    private static final Duration IDENTIFY_WAIT = Duration.ofSeconds(3);
    private static final Logger log = LoggerFactory.getLogger(AutoNatService.class);

    private final Host host;
    private final IdentifyService identify;
    private final AutoNatConfig config;
    private final DialBackLimiter limiter;
    private final ReentrantLock verdict = new ReentrantLock();
    /** Each server's latest answer that is evidence, oldest first. */
    private final LinkedHashMap<PeerId, DialBackResult> evidence = new LinkedHashMap<>();
    private final List<Consumer<Reachability>> listeners = new CopyOnWriteArrayList<>();
    private volatile Reachability reachability = Reachability.UNKNOWN;
    private volatile Optional<Multiaddr> publicAddress = Optional.empty();

    public AutoNatService(Host host, IdentifyService identify, AutoNatConfig config) {
        this.host = host;
        this.identify = identify;
        this.config = config;
        this.limiter = new DialBackLimiter(config);
        host.addressBook().onForgotten(limiter::forget);
        if (config.serve()) {
            host.setHandler(PROTOCOL_ID, this::serve);
        }
    }

    /** Peers whose recent dial-back requests this server remembers, for the per-peer limit. */
    public int requestersTracked() {
        return limiter.trackedPeers();
    }

    public Reachability reachability() {
        return reachability;
    }

    /** The address a server last reached us at, while we are {@link Reachability#PUBLIC}. */
    public Optional<Multiaddr> publicAddress() {
        return publicAddress;
    }

    /** Hears each change of {@link #reachability()}, on the thread that made the probe. */
    public void onReachabilityChanged(Consumer<Reachability> listener) {
        listeners.add(listener);
    }

    /** Connected peers that serve AutoNAT over a direct connection, as identify told us: the servers to ask. */
    public List<PeerId> connectedServers() {
        Set<PeerId> servers = new LinkedHashSet<>();
        for (Connection connection : host.connections()) {
            PeerId peer = connection.remotePeer();
            if (!connection.isRelayed() && identify.info(peer).map(IdentifyInfo::protocols)
                    .filter(protocols -> protocols.contains(PROTOCOL_ID)).isPresent()) {
                servers.add(peer);
            }
        }
        return List.copyOf(servers);
    }

    /**
     * Asks up to {@link AutoNatConfig#serversPerProbe()} of the {@link #connectedServers()}; see
     * {@link #probe(Collection)}.
     */
    public Reachability probe() {
        return probe(connectedServers().stream().limit(config.serversPerProbe()).toList());
    }

    /**
     * Asks each of {@code servers} at once to dial us back at our {@link #candidateAddresses()}, then returns what we
     * now conclude. It first waits a little for identify from servers just connected to: what they saw us at is
     * often the only address worth asking about, behind a NAT. A server that says it reached us counts only if it
     * names an address we asked about: anything else is a server's mistake or lie, and would let one server steer
     * {@link #publicAddress()}.
     */
    public Reachability probe(Collection<PeerId> servers) {
        awaitIdentify(servers);
        List<Multiaddr> candidates = candidateAddresses();
        List<Future<DialBackResult>> answers = new ArrayList<>();
        try (ExecutorService asking = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PeerId server : servers) {
                answers.add(asking.submit(() -> ask(server, candidates)));
            }
        }
        for (Future<DialBackResult> answer : answers) {
            try {
                DialBackResult result = answer.get();
                if (result.status() == Status.OK && result.address().filter(candidates::contains).isEmpty()) {
                    log.debug("AutoNAT server {} claims to have reached us at {}, which we did not ask about",
                            result.server(), result.address());
                    continue;
                }
                record(result);
            } catch (ExecutionException e) {
                log.debug("AutoNAT request failed: {}", e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return reachability;
    }

    private void awaitIdentify(Collection<PeerId> servers) {
        long deadline = System.nanoTime() + IDENTIFY_WAIT.toNanos();
        for (PeerId server : servers) {
            try {
                identify.awaitInfo(server, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (IOException e) {
                log.debug("asking AutoNAT server {} without its identify: {}", server, e.getMessage());
            }
        }
    }

    /** Asks one server to dial us back at our candidate addresses and returns its answer unrecorded. */
    public DialBackResult ask(PeerId server) throws IOException {
        return ask(server, candidateAddresses());
    }

    /** Asks one server to dial us back at {@code addresses} and returns its answer unrecorded. */
    public DialBackResult ask(PeerId server, List<Multiaddr> addresses) throws IOException {
        Message.PeerInfo.Builder us = Message.PeerInfo.newBuilder().setId(ByteString.copyFrom(host.peerId().bytes()));
        addresses.forEach(address -> us.addAddrs(ByteString.copyFrom(address.bytes())));
        Message request = Message.newBuilder().setType(Message.MessageType.DIAL)
                .setDial(Message.Dial.newBuilder().setPeer(us)).build();
        Message answer;
        Stream stream = host.newStream(server, PROTOCOL_ID);
        try {
            AutoNatCodec.write(request, stream.out());
            stream.setReadDeadline(deadline());
            answer = AutoNatCodec.read(stream.in(), stream.memory());
        } catch (IOException | RuntimeException e) {
            // Reset rather than close: closing would leave the stream open until a silent server closes its end.
            stream.reset();
            throw e;
        }
        stream.close();
        if (answer.getType() != Message.MessageType.DIAL_RESPONSE || !answer.hasDialResponse()) {
            throw new AutoNatProtocolException(server + " answered a DIAL with " + answer.getType());
        }
        Message.DialResponse response = answer.getDialResponse();
        Optional<Multiaddr> address = Optional.empty();
        if (response.hasAddr()) {
            try {
                address = Optional.of(Multiaddr.fromBytes(response.getAddr().toByteArray()));
            } catch (IllegalArgumentException e) {
                log.debug("{} answered with a malformed address: {}", server, e.getMessage());
            }
        }
        return new DialBackResult(server, status(response.getStatus()), response.getStatusText(), address);
    }

    /**
     * What we ask servers to dial: our listen addresses that are not relayed, the addresses peers saw us at, and
     * for each IP peers saw us at, that IP with each of our TCP listen ports (where a port forward or a NAT that
     * keeps ports would let peers in).
     */
    public List<Multiaddr> candidateAddresses() {
        Set<Multiaddr> candidates = new LinkedHashSet<>();
        List<Multiaddr> listening = host.listenAddresses().stream().filter(a -> !a.isCircuit())
                .map(Multiaddr::withoutPeerId).toList();
        candidates.addAll(listening);
        for (Multiaddr observed : identify.observedAddresses()) {
            candidates.add(observed.withoutPeerId());
            if (!observed.isTcp()) {
                continue;
            }
            for (Multiaddr own : listening) {
                own.valueOf(Protocol.TCP).ifPresent(port -> candidates.add(
                        Multiaddr.of(observed.components().getFirst(), Component.parse(Protocol.TCP, port))));
            }
        }
        return candidates.stream().limit(MAX_ADDRESSES).toList();
    }

    private void record(DialBackResult result) {
        if (!result.status().isEvidence()) {
            log.debug("AutoNAT server {} did not try: {} {}", result.server(), result.status(), result.text());
            return;
        }
        Reachability before;
        Reachability after;
        verdict.lock();
        try {
            evidence.remove(result.server());
            evidence.put(result.server(), result);
            int window = 2 * config.confirmations() - 1;
            while (evidence.size() > window) {
                evidence.remove(evidence.keySet().iterator().next());
            }
            long reached = evidence.values().stream().filter(r -> r.status() == Status.OK).count();
            long failed = evidence.size() - reached;
            before = reachability;
            if (reached >= config.confirmations()) {
                reachability = Reachability.PUBLIC;
                publicAddress = result.status() == Status.OK && result.address().isPresent() ? result.address()
                        : evidence.values().stream().filter(r -> r.status() == Status.OK)
                                .flatMap(r -> r.address().stream()).reduce((first, last) -> last);
            } else if (failed >= config.confirmations()) {
                reachability = Reachability.PRIVATE;
                publicAddress = Optional.empty();
            }
            after = reachability;
        } finally {
            verdict.unlock();
        }
        if (after != before) {
            log.info("AutoNAT: {} (was {})", after, before);
            listeners.forEach(listener -> listener.accept(after));
        }
    }

    private static Status status(ResponseStatus status) {
        return switch (status) {
            case OK -> Status.OK;
            case E_DIAL_ERROR -> Status.DIAL_ERROR;
            case E_DIAL_REFUSED -> Status.DIAL_REFUSED;
            case E_BAD_REQUEST -> Status.BAD_REQUEST;
            case E_INTERNAL_ERROR -> Status.INTERNAL_ERROR;
        };
    }

    private void serve(Stream stream) throws IOException {
        stream.setReadDeadline(deadline());
        Message request = AutoNatCodec.read(stream.in(), stream.memory());
        AutoNatCodec.write(answer(stream.connection(), request), stream.out());
    }

    /** How long either end waits for the other's message (js-libp2p's 30 s, above our dial-back timeout). */
    private Duration deadline() {
        return host.config().limits().deadlines().autoNat();
    }

    private Message answer(Connection connection, Message request) {
        PeerId requester = connection.remotePeer();
        if (request.getType() != Message.MessageType.DIAL || !request.hasDial() || !request.getDial().hasPeer()) {
            return response(ResponseStatus.E_BAD_REQUEST, "expected a DIAL with the peer's addresses", null);
        }
        Message.PeerInfo peer = request.getDial().getPeer();
        if (!peer.hasId()) {
            return response(ResponseStatus.E_BAD_REQUEST, "the DIAL names no peer id", null);
        }
        if (!peer.getId().equals(ByteString.copyFrom(requester.bytes()))) {
            return response(ResponseStatus.E_BAD_REQUEST, "the peer id is not that of the connection", null);
        }
        if (connection.isRelayed()) {
            return response(ResponseStatus.E_DIAL_REFUSED, "no dial-backs over a relayed connection", null);
        }
        List<Multiaddr> targets = dialable(connection, peer.getAddrsList());
        if (targets.isEmpty()) {
            return response(ResponseStatus.E_DIAL_REFUSED, "no dialable addresses", null);
        }
        Optional<String> refusal = limiter.admit(requester);
        if (refusal.isPresent()) {
            return response(ResponseStatus.E_DIAL_REFUSED, refusal.get(), null);
        }
        return dialBack(requester, targets.subList(0, Math.min(targets.size(), MAX_DIAL_BACK_TARGETS)));
    }

    /**
     * Dials {@code targets} at once, each on a new connection closed as soon as it is up, and answers with the first
     * that worked; gives up after the dial-back timeout. At once, because behind a NAT that drops what arrives
     * unasked each dial only ends at its timeout. The request's admission ends when the last dial does, which may be
     * after we answer (at the host's dial timeout), so that the in-flight limits count real dials.
     */
    private Message dialBack(PeerId requester, List<Multiaddr> targets) {
        ExecutorService dialling = Executors.newVirtualThreadPerTaskExecutor();
        CompletionService<Multiaddr> reached = new ExecutorCompletionService<>(dialling);
        AtomicInteger unfinished = new AtomicInteger(targets.size());
        for (Multiaddr target : targets) {
            reached.submit(() -> {
                try {
                    host.dial(target.withPeerId(requester)).close();
                    return target;
                } finally {
                    if (unfinished.decrementAndGet() == 0) {
                        limiter.release(requester);
                    }
                }
            });
        }
        dialling.shutdown();
        long deadline = System.nanoTime() + config.dialBackTimeout().toNanos();
        String failure = "no answer within " + config.dialBackTimeout();
        try {
            for (int answered = 0; answered < targets.size(); answered++) {
                Future<Multiaddr> done = reached.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (done == null) {
                    break;
                }
                try {
                    return response(ResponseStatus.OK, "", done.get());
                } catch (ExecutionException e) {
                    failure = e.getCause().getMessage();
                    log.debug("AutoNAT dial-back to {} failed: {}", requester, failure);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response(ResponseStatus.E_INTERNAL_ERROR, "interrupted", null);
        }
        return response(ResponseStatus.E_DIAL_ERROR, failure, targets.getLast());
    }

    /** The addresses we may dial back: on the IP the request came from, not relayed, ones we have a transport for. */
    private List<Multiaddr> dialable(Connection connection, List<ByteString> offered) {
        Optional<String> requesterIp = connection.remoteAddress().ip();
        Set<String> ourIps = new LinkedHashSet<>();
        host.listenAddresses().forEach(address -> address.ip().ifPresent(ourIps::add));
        List<Multiaddr> targets = new ArrayList<>();
        for (ByteString bytes : offered.subList(0, Math.min(offered.size(), MAX_ADDRESSES))) {
            Multiaddr address;
            try {
                address = Multiaddr.fromBytes(bytes.toByteArray()).withoutPeerId();
            } catch (IllegalArgumentException e) {
                continue;
            }
            Optional<String> ip = address.ip();
            if (address.isCircuit() || ip.isEmpty() || !ip.equals(requesterIp) || !host.canDial(address)) {
                continue;
            }
            if (!config.dialPrivateAddresses() && (address.isPrivate() || ourIps.contains(ip.get()))) {
                continue;
            }
            if (!targets.contains(address)) {
                targets.add(address);
            }
        }
        return targets;
    }

    private static Message response(ResponseStatus status, String text, Multiaddr address) {
        Message.DialResponse.Builder response = Message.DialResponse.newBuilder().setStatus(status);
        if (!text.isEmpty()) {
            response.setStatusText(text);
        }
        if (address != null) {
            response.setAddr(ByteString.copyFrom(address.bytes()));
        }
        return Message.newBuilder().setType(Message.MessageType.DIAL_RESPONSE).setDialResponse(response).build();
    }
}
