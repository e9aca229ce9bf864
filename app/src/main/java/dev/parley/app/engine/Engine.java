package dev.parley.app.engine;

import dev.parley.app.Node;
import dev.parley.app.Profile;
import dev.parley.app.ProfileFiles;
import dev.parley.app.engine.ContactBook.Known;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.InvalidInviteException;
import dev.parley.crypto.InviteCode;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SafetyNumber;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.ContactState;
import dev.parley.store.ConversationSummary;
import dev.parley.store.Direction;
import dev.parley.store.MessageCursor;
import dev.parley.store.MessageKey;
import dev.parley.store.Page;
import dev.parley.store.SearchHit;
import dev.parley.app.history.RoomCardNames;
import dev.parley.store.SqliteStore;
import dev.parley.store.export.HistoryExporter;
import dev.parley.store.export.Person;
import dev.parley.store.StoreLimits;
import dev.parley.store.StoredMessage;
import dev.parley.transport.Connection;
import dev.parley.transport.ConnectionListener;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.identify.IdentifyInfo;
import dev.parley.transport.multiformats.Component;
import dev.parley.transport.mdns.DiscoveryEvent;
import dev.parley.transport.mdns.MdnsConfig;
import dev.parley.transport.mdns.MdnsDiscovery;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Protocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The headless messenger: contacts and requests, 1:1 chat with delivery and read receipts, typing, presence,
 * nearby peers. The desktop UI and the command line do everything through it.
 *
 * <p>Delivery: a sent message and its sealed envelope are committed before {@link #send} returns, then written to
 * the peer as soon as it is connected; queued envelopes go out on every new connection, and while something
 * waits for a peer that is not connected the engine dials it, backing off up to 30 s. The peer acknowledges an
 * envelope only once it is durably stored, so nothing is lost across restarts of either side, and ids make the
 * display exactly-once. Events arrive in order on one thread ({@link #subscribe}).
 *
 * <p>Discovery plugs in through {@link #peerNearby} and {@link #peerGone}; {@link #startLanDiscovery} feeds them
 * from mDNS.
 */
public final class Engine implements AutoCloseable {
    /** Typing notices to one peer: at most one in this period. */
    public static final Duration TYPING_INTERVAL = Duration.ofSeconds(3);
    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    private static final String KEPT_AS_CONTACT = "contact";

    private final Identity identity;
    private final Profile profile;
    private volatile ContactCard card;
    private final Node node;
    private final Host host;
    private final SqliteStore store;
    private final ContactBook contacts;
    private final ContactAddresses contactAddresses;
    private final EventDispatcher events = new EventDispatcher();
    private final HybridClock clock = new HybridClock();
    private final ExecutorService crypto;
    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final Inbox inbox;
    private final Outgoing outgoing;
    private final Rooms rooms;
    private final Map<PeerId, PeerLink> links = new ConcurrentHashMap<>();
    private final Map<PeerId, NearbyEntry> nearby = new ConcurrentHashMap<>();
    private final Set<PeerId> nearbyLookups = ConcurrentHashMap.newKeySet();
    private final Set<PeerId> online = ConcurrentHashMap.newKeySet();
    /** Keeps presence changes in order; also makes closing happen once. */
    private final ReentrantLock presence = new ReentrantLock();
    private final Map<PeerId, Long> lastTyping = new ConcurrentHashMap<>();
    /** The remote address of each contact's connection as last reported; the lock keeps reports in order. */
    private final Map<PeerId, Multiaddr> reportedPaths = new ConcurrentHashMap<>();
    private final ReentrantLock pathReports = new ReentrantLock();
    private volatile boolean closed;
    private volatile MdnsDiscovery lanDiscovery;

    private record NearbyEntry(NearbyPeer peer, ContactCard card) {
    }

    private Engine(EngineConfig config, Profile profile, SqliteStore store) {
        this.identity = config.identity();
        this.profile = profile;
        this.card = ContactCard.create(identity, config.displayName());
        this.store = store;
        this.contactAddresses = new ContactAddresses(store);
        this.contacts = ContactBook.load(store, identity.peerId());
        this.crypto = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
                Thread.ofPlatform().daemon().name("engine-crypto-", 0).factory());
        TinkEnvelopeSealer sealer = new TinkEnvelopeSealer();
        this.outgoing = new Outgoing(identity, sealer, store, contacts, clock, crypto, virtualThreads, this::link);
        this.node = new Node(identity.transportKey(), config.network());
        this.host = node.host();
        this.rooms = new Rooms(identity, () -> card, this::roomAddresses, sealer, store, contacts, clock, events,
                outgoing, node);
        this.inbox = new Inbox(identity, sealer, contacts, store, clock, events, virtualThreads, rooms,
                config.inboundRate());
    }

    /**
     * Opens the history, listens, and starts delivering what was queued: messages left over from the last run go
     * out as their peers become reachable, and accepted contacts are dialled once to tell them we are online.
     *
     * @throws IOException when the profile's files cannot be read or no listen address can be bound
     */
    public static Engine start(EngineConfig config) throws IOException {
        Profile profile = new Profile(config.profileDirectory());
        SqliteStore store = ProfileFiles.openStore(config.storeFile());
        Engine engine;
        try {
            engine = new Engine(config, profile, store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        try {
            engine.begin(config.listenAddresses());
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    private void begin(List<Multiaddr> listen) throws IOException {
        contactAddresses.forgetStaleHints(Instant.now());
        for (ContactState state : List.of(ContactState.ACCEPTED, ContactState.REQUEST)) {
            contacts.list(state).forEach(contact -> {
                keepIfAccepted(contact);
                host.addressBook().add(contact.peer(), contactAddresses.of(contact.peer()));
            });
        }
        node.identify().onIdentified(this::identified);
        host.setHandler(ChatFrames.PROTOCOL_ID, this::serveChat);
        host.setHandler(ProfileProtocol.PROTOCOL_ID, stream -> ProfileProtocol.answer(stream, () -> card));
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionOpened(Connection connection) {
                connectionsChanged(connection, true);
            }

            @Override
            public void connectionClosed(Connection connection) {
                connectionsChanged(connection, false);
            }
        });
        listen(listen);
        node.serveContactsAsRelay(peer -> contacts.get(peer).filter(known -> known.state() == ContactState.ACCEPTED)
                .isPresent());
        node.autonat().onReachabilityChanged(reachability -> events.publish(
                new EngineEvent.ReachabilityChanged(reachability, node.autonat().publicAddress())));
        node.goOnline();
        rooms.start();
        for (String recipient : store.outbox().recipients()) {
            link(PeerId.parse(recipient)).backlog();
        }
        contacts.list(ContactState.ACCEPTED).forEach(contact -> link(contact.peer()).requestConnection());
    }

    /**
     * Listens where asked. A TCP port 0 becomes the port this profile listened on last time, if it is free: the
     * addresses contacts saved for us then stay good across our restarts.
     */
    private void listen(List<Multiaddr> wanted) throws IOException {
        Optional<String> lastPort = profile.lastAddresses().stream()
                .flatMap(address -> address.valueOf(Protocol.TCP).stream()).findFirst();
        for (Multiaddr address : wanted) {
            if (lastPort.isPresent() && address.valueOf(Protocol.TCP).equals(Optional.of("0"))) {
                try {
                    host.listen(withTcpPort(address, lastPort.get()));
                    continue;
                } catch (IOException e) {
                    log.debug("port {} of the last run is taken; listening on a new one: {}", lastPort.get(),
                            e.getMessage());
                }
            }
            host.listen(address);
        }
        profile.setLastAddresses(listenAddresses());
    }

    private static Multiaddr withTcpPort(Multiaddr address, String port) {
        return Multiaddr.of(address.components().stream()
                .map(component -> component.protocol() == Protocol.TCP ? Component.parse(Protocol.TCP, port) : component)
                .toArray(Component[]::new));
    }

    public PeerId peerId() {
        return identity.peerId();
    }

    /** Where we listen, as a hint an invitation gives the invitee: at most what it carries per member. */
    private List<Multiaddr> roomAddresses() {
        List<Multiaddr> listening = host.listenAddresses();
        return listening.subList(0, Math.min(listening.size(), Rooms.MAX_HINT_ADDRESSES));
    }

    /** Where peers can dial us, each ending in {@code /p2p/<PeerId>}. */
    public List<Multiaddr> listenAddresses() {
        return host.listenAddresses().stream().map(address -> address.withPeerId(peerId())).toList();
    }

    /** Our signed contact card, as {@code /parley/profile/1.0.0} serves it. */
    public ContactCard card() {
        return card;
    }

    /**
     * Changes the name on our card. Peers that fetch the card from now on see the new name; contacts fetch it again
     * each time they connect.
     */
    public void setDisplayName(String name) throws EngineException {
        Optional<String> problem = ContactCard.displayNameProblem(name);
        if (problem.isPresent()) {
            throw new EngineException("that name cannot be used: " + problem.get());
        }
        try {
            profile.setDisplayName(name);
        } catch (IOException e) {
            throw new EngineException("the name could not be saved in " + profile.directory() + ": " + e.getMessage(), e);
        }
        card = ContactCard.create(identity, name);
    }

    /** An invite code ({@code parley:…}) with our card and the addresses we listen on now. */
    public String invite() {
        return inviteCode().toText();
    }

    /** The invite code itself, e.g. for its compact QR form ({@link InviteCode#toQrText}). */
    public InviteCode inviteCode() {
        List<Multiaddr> listening = host.listenAddresses();
        return InviteCode.create(card, listening.subList(0, Math.min(listening.size(), InviteCode.MAX_ADDRESSES)));
    }

    /** Adds the owner of an invite code as an accepted contact (again, if it was a request or blocked). */
    public ContactInfo addContact(String inviteCode) throws EngineException {
        InviteCode invite;
        try {
            invite = InviteCode.parse(inviteCode);
        } catch (InvalidInviteException e) {
            throw new EngineException("that is not a valid invite code: " + e.getMessage(), e);
        }
        PeerId peer = invite.card().peerId();
        if (peer.equals(peerId())) {
            throw new EngineException("that is your own invite code");
        }
        host.addressBook().add(peer, invite.addresses());
        Known added = contacts.put(invite.card(), ContactState.ACCEPTED);
        contactAddresses.hint(peer, invite.addresses());
        if (host.connection(peer).isPresent()) {
            // Connected, the contact has said where it listens already: its word stands over the code's.
            node.identify().info(peer).ifPresent(this::identified);
        }
        link(peer).requestConnection();
        return changed(added);
    }

    /**
     * Discovery found {@code peer} close by at {@code addresses}: the engine fetches its card and reports it
     * with a {@link EngineEvent.Nearby} event.
     */
    public void peerNearby(PeerId peer, List<Multiaddr> addresses) {
        if (closed || peer.equals(peerId())) {
            return;
        }
        host.addressBook().add(peer, addresses);
        if (contacts.get(peer).isPresent()) {
            contactAddresses.remember(peer, addresses);
        }
        if (!nearbyLookups.add(peer)) {
            return;
        }
        background("looking up nearby peer " + peer, () -> {
            try {
                ContactCard found = ProfileProtocol.fetch(host.connect(peer));
                NearbyPeer seen = new NearbyPeer(peer, found.displayName(), host.addressBook().addresses(peer));
                NearbyEntry before = nearby.put(peer, new NearbyEntry(seen, found));
                if (before == null || !before.peer().equals(seen)) {
                    events.publish(new EngineEvent.Nearby(seen));
                }
            } catch (IOException e) {
                log.debug("nearby peer {} did not give its card: {}", peer, e.getMessage());
            } finally {
                nearbyLookups.remove(peer);
            }
        });
    }

    /**
     * Announces this node on the LAN with mDNS and looks for peers there: a peer found becomes a
     * {@link EngineEvent.Nearby} once it has given its card, a peer lost a {@link EngineEvent.NearbyGone}. Separate
     * from {@link #start} because mDNS multicasts on real interfaces: only the app and tests inside their own
     * network namespaces turn it on.
     *
     * @throws IOException when no interface can join the mDNS group
     */
    public void startLanDiscovery(MdnsConfig config) throws IOException {
        MdnsDiscovery discovery = new MdnsDiscovery(host, config);
        discovery.addListener(event -> {
            switch (event) {
                case DiscoveryEvent.PeerFound found -> peerNearby(found.peer(), found.addresses());
                case DiscoveryEvent.PeerLost lost -> peerGone(lost.peer());
            }
        });
        discovery.start();
        lanDiscovery = discovery;
        if (closed) {
            discovery.close();
        }
    }

    /** Discovery lost sight of {@code peer}. */
    public void peerGone(PeerId peer) {
        if (nearby.remove(peer) != null) {
            events.publish(new EngineEvent.NearbyGone(peer));
        }
    }

    /** The Parley peers close by, by name. */
    public List<NearbyPeer> nearby() {
        return nearby.values().stream().map(NearbyEntry::peer)
                .sorted(Comparator.comparing(NearbyPeer::name, String.CASE_INSENSITIVE_ORDER)).toList();
    }

    /** Adds a nearby peer as an accepted contact, with the card it gave. */
    public ContactInfo addNearby(PeerId peer) throws EngineException {
        NearbyEntry entry = nearby.get(peer);
        if (entry == null) {
            throw new EngineException(peer + " is not among the peers nearby");
        }
        Known added = contacts.put(entry.card(), ContactState.ACCEPTED);
        contactAddresses.remember(peer, entry.peer().addresses());
        link(peer).requestConnection();
        return changed(added);
    }

    public List<ContactInfo> contacts() {
        return infos(ContactState.ACCEPTED);
    }

    /** Strangers who wrote first and wait for {@link #accept} or {@link #block}. */
    public List<ContactInfo> requests() {
        return infos(ContactState.REQUEST);
    }

    public List<ContactInfo> blocked() {
        return infos(ContactState.BLOCKED);
    }

    public Optional<ContactInfo> contact(PeerId peer) {
        return contacts.get(peer).map(this::info);
    }

    /** Makes a request (or a blocked peer whose card is known) an accepted contact. */
    public ContactInfo accept(PeerId peer) throws EngineException {
        Known known = contacts.get(peer).orElseThrow(() ->
                new EngineException(peer + " is neither a contact nor a request"));
        if (known.card() == null) {
            throw new EngineException(known.name() + " was blocked before its card was known; add it with its invite code");
        }
        if (known.state() == ContactState.ACCEPTED) {
            return changed(known);
        }
        Known accepted = contacts.setState(known, ContactState.ACCEPTED);
        inbox.noLongerARequest(peer);
        return changed(accepted);
    }

    /** Blocks a peer: what it sends is acknowledged and dropped, unseen. */
    public ContactInfo block(PeerId peer) throws EngineException {
        if (peer.equals(peerId())) {
            throw new EngineException("you cannot block yourself");
        }
        Optional<Known> known = contacts.get(peer);
        Known blocked = known.isPresent() ? contacts.setState(known.get(), ContactState.BLOCKED)
                : contacts.blockUnknown(peer);
        inbox.noLongerARequest(peer);
        return changed(blocked);
    }

    /** Sends a message and returns once it is durably queued; see {@link #sendAsync}. */
    public MessageId send(PeerId peer, String text) throws EngineException {
        try {
            return sendAsync(peer, text).join();
        } catch (CompletionException e) {
            throw new EngineException("the message to " + peer + " could not be queued: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /**
     * Seals a message on the crypto pool and queues it durably; the future completes with its id once the message
     * and its envelope are committed. Its time and order are fixed when this is called.
     *
     * @throws EngineException when the peer is not an accepted contact or the text is empty or too long
     */
    public CompletableFuture<MessageId> sendAsync(PeerId peer, String text) throws EngineException {
        Known contact = acceptedContact(peer, "send to");
        if (text.isBlank()) {
            throw new EngineException("the message to " + contact.name() + " is empty");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > StoreLimits.MAX_BODY_BYTES) {
            throw new EngineException("the message to " + contact.name() + " is " + bytes
                    + " bytes long; the limit is " + StoreLimits.MAX_BODY_BYTES);
        }
        checkOpen();
        return outgoing.text(contact, text);
    }

    /**
     * Tells a connected contact we are typing, at most once per {@link #TYPING_INTERVAL}; returns whether a notice
     * went out. Nothing is sent to a peer that is not connected.
     */
    public boolean typing(PeerId peer) throws EngineException {
        Known contact = acceptedContact(peer, "type to");
        long now = System.nanoTime();
        Long last = lastTyping.get(peer);
        if (host.connection(peer).isEmpty() || last != null && now - last < TYPING_INTERVAL.toNanos()) {
            return false;
        }
        lastTyping.put(peer, now);
        outgoing.typing(contact);
        return true;
    }

    /**
     * Marks every message of the conversation with {@code peer} read, and sends the peer a read receipt for those
     * that were unread (only to an accepted contact). Returns how many were unread.
     */
    public int markRead(PeerId peer) throws EngineException {
        Known contact = contacts.get(peer).orElseThrow(() -> new EngineException(peer + " is not a contact"));
        String conversation = contacts.conversationId(peer);
        List<StoredMessage> newest = store.messages().newest(conversation, 1).messages();
        if (newest.isEmpty()) {
            return 0;
        }
        List<MessageKey> read = store.messages().markRead(conversation, newest.getFirst().cursor());
        if (!read.isEmpty() && contact.state() == ContactState.ACCEPTED) {
            // A receipt tells the peer of its own messages only (history imported from elsewhere may hold others).
            outgoing.readReceipt(contact, read.stream().filter(message -> message.sender().equals(peer.toBase58()))
                    .map(MessageKey::id).toList());
        }
        return read.size();
    }

    /** The newest {@code limit} messages with {@code peer}, oldest first. */
    public HistoryPage history(PeerId peer, int limit) throws EngineException {
        return page(peer, store.messages().newest(conversation(peer), limit), false);
    }

    /** The {@code limit} messages with {@code peer} before {@code cursor} (a page's {@code older}), oldest first. */
    public HistoryPage historyBefore(PeerId peer, MessageCursor cursor, int limit) throws EngineException {
        return page(peer, store.messages().before(conversation(peer), cursor, limit), true);
    }

    /**
     * The {@code limit} messages with {@code peer} after {@code cursor} (a page's {@code newer}), oldest first:
     * paging towards the present.
     */
    public HistoryPage historyAfter(PeerId peer, MessageCursor cursor, int limit) throws EngineException {
        Page page = store.messages().after(conversation(peer), cursor, limit);
        List<ChatMessage> messages = page.messages().stream().map(m -> chatMessage(m, peer)).toList();
        return new HistoryPage(messages, messages.isEmpty() ? Optional.empty() : Optional.of(cursor), page.next());
    }

    /**
     * About {@code limit} messages with {@code peer} around the message {@code id}, oldest first, e.g. to open the
     * conversation at a search result: half before it, the message, the rest after it.
     *
     * @throws EngineException when the message is not in the conversation with {@code peer}
     */
    public HistoryPage historyAround(PeerId peer, MessageId id, int limit) throws EngineException {
        String conversation = conversation(peer);
        if (limit < 1) {
            throw new EngineException("a page holds at least one message, not " + limit);
        }
        // The app names a message by its id; within a conversation the peer's and ours are told apart by sender
        // (the peer could reuse the id of one of ours), and the peer's comes first.
        StoredMessage middle = store.messages().get(new MessageKey(conversation, peer.toBase58(), id.toString()))
                .or(() -> store.messages().get(new MessageKey(conversation, peerId().toBase58(), id.toString())))
                .orElseThrow(() -> new EngineException("message " + id + " is not in the conversation with " + peer));
        int olderCount = (limit - 1) / 2;
        int newerCount = limit - 1 - olderCount;
        // A side with no room on the page still gets a cursor, from which a page of its own may be asked for.
        Page before = olderCount > 0 ? store.messages().before(conversation, middle.cursor(), olderCount)
                : new Page(List.of(), Optional.of(middle.cursor()));
        Page after = newerCount > 0 ? store.messages().after(conversation, middle.cursor(), newerCount)
                : new Page(List.of(), Optional.of(middle.cursor()));
        List<ChatMessage> messages = new ArrayList<>();
        before.messages().reversed().forEach(m -> messages.add(chatMessage(m, peer)));
        messages.add(chatMessage(middle, peer));
        after.messages().forEach(m -> messages.add(chatMessage(m, peer)));
        return new HistoryPage(messages, before.next(), after.next());
    }

    /**
     * The conversation list: every contact and request, newest activity first, with its last message and unread
     * count. Blocked peers are left out.
     */
    public List<ConversationOverview> conversations() {
        Map<String, Known> byConversation = new HashMap<>();
        for (ContactState state : List.of(ContactState.ACCEPTED, ContactState.REQUEST)) {
            contacts.list(state).forEach(known -> byConversation.put(contacts.conversationId(known.peer()), known));
        }
        List<ConversationOverview> overviews = new ArrayList<>();
        for (ConversationSummary summary : store.conversations().list()) {
            Known known = byConversation.get(summary.conversation().id());
            if (known != null) {
                overviews.add(new ConversationOverview(info(known),
                        summary.lastMessage().map(m -> chatMessage(m, known.peer())), summary.unread(),
                        summary.lastActivity()));
            }
        }
        overviews.sort(Comparator.comparing(ConversationOverview::lastActivity).reversed());
        return overviews;
    }

    /**
     * The safety number of our identity and {@code peer}'s: the same digits on both sides when no one stands in
     * between, to compare in person or by scanning its QR code.
     */
    public SafetyNumber safetyNumber(PeerId peer) throws EngineException {
        Known known = contacts.get(peer).filter(k -> k.card() != null)
                .orElseThrow(() -> new EngineException(peer + " is not a contact whose card we hold"));
        return SafetyNumber.of(card.identityKey(), known.card().identityKey());
    }

    /**
     * How we are connected to {@code peer} now, with a fresh round-trip time (one ping, so this blocks for up to
     * a round trip or the ping's timeout; call it off the UI thread). Empty when not connected.
     */
    public Optional<ConnectionInfo> connection(PeerId peer) {
        Optional<Connection> open = host.connection(peer);
        if (open.isEmpty()) {
            return Optional.empty();
        }
        Multiaddr remote = open.get().remoteAddress();
        Optional<Duration> roundTrip;
        try {
            roundTrip = Optional.of(node.ping().ping(open.get()));
        } catch (IOException e) {
            log.debug("ping of {} failed: {}", peer, e.getMessage());
            roundTrip = Optional.empty();
        }
        ConnectionInfo.Path path = node.dcutr().isHolePunched(open.get()) ? ConnectionInfo.Path.HOLE_PUNCHED
                : pathOf(remote);
        return Optional.of(new ConnectionInfo(path, remote, roundTrip));
    }

    static ConnectionInfo.Path pathOf(Multiaddr remote) {
        if (remote.isCircuit()) {
            return ConnectionInfo.Path.RELAYED;
        }
        return remote.isPrivate() ? ConnectionInfo.Path.LAN : ConnectionInfo.Path.DIRECT;
    }

    /** Messages of all 1:1 conversations that contain every word of {@code text}, newest first. */
    public List<SearchResult> search(String text, int limit) {
        Map<String, PeerId> byConversation = new HashMap<>();
        for (ContactState state : ContactState.values()) {
            contacts.list(state).forEach(known -> byConversation.put(contacts.conversationId(known.peer()), known.peer()));
        }
        List<SearchResult> results = new ArrayList<>();
        for (SearchHit hit : store.search().search(text, limit)) {
            PeerId peer = byConversation.get(hit.conversationId());
            if (peer != null) {
                results.add(new SearchResult(peer, MessageId.parse(hit.messageId()), hit.hlc(), hit.snippet()));
            }
        }
        return results;
    }

    /** Creates a room with us as its admin and only member. */
    public RoomInfo createRoom(String name) throws EngineException {
        checkOpen();
        return rooms.create(name);
    }

    /** Adds an accepted contact to a room we administer and sends them the invitation. */
    public RoomInfo inviteToRoom(RoomId room, PeerId contact) throws EngineException {
        checkOpen();
        return rooms.invite(room, contact);
    }

    /** Joins a room we were invited to: from now on we read and write in it. */
    public RoomInfo acceptRoom(RoomId room) throws EngineException {
        checkOpen();
        return rooms.accept(room);
    }

    /** Declines an invitation; the room's members learn that we left. */
    public void declineRoom(RoomId room) throws EngineException {
        checkOpen();
        rooms.decline(room);
    }

    /** Leaves a room; its history stays here, read-only. */
    public void leaveRoom(RoomId room) throws EngineException {
        checkOpen();
        rooms.leave(room);
    }

    /** Removes a member (admins only); the others change keys, so the removed member reads nothing after this. */
    public RoomInfo removeFromRoom(RoomId room, PeerId member) throws EngineException {
        checkOpen();
        return rooms.remove(room, member);
    }

    public RoomInfo renameRoom(RoomId room, String name) throws EngineException {
        checkOpen();
        return rooms.rename(room, name);
    }

    /** Makes a member an admin too (admins only). */
    public RoomInfo promoteInRoom(RoomId room, PeerId member) throws EngineException {
        checkOpen();
        return rooms.promote(room, member);
    }

    /** Writes in a room: stored at once, then pushed to every member that can be reached; the rest sync it. */
    public MessageId sayInRoom(RoomId room, String text) throws EngineException {
        checkOpen();
        return rooms.say(room, text);
    }

    /** Every room we are in, were invited to or left, by name. */
    public List<RoomInfo> rooms() {
        return rooms.list();
    }

    public Optional<RoomInfo> room(RoomId room) {
        return rooms.get(room);
    }

    /** The newest {@code limit} lines of a room, messages and notices, oldest first. */
    public List<RoomMessage> roomHistory(RoomId room, int limit) throws EngineException {
        return rooms.history(room, limit);
    }

    /** Marks every line of a room read; returns how many were unread. */
    public int markRoomRead(RoomId room) throws EngineException {
        return rooms.markRead(room);
    }

    /** Delivers every later event to {@code subscriber}, in order, on the engine's event thread. */
    public void subscribe(Consumer<EngineEvent> subscriber) {
        events.subscribe(subscriber);
    }

    public void unsubscribe(Consumer<EngineEvent> subscriber) {
        events.unsubscribe(subscriber);
    }

    /** Stops the network, lets the store commit what is queued, and delivers the events already published. */
    @Override
    public void close() {
        presence.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            presence.unlock();
        }
        MdnsDiscovery discovery = lanDiscovery;
        if (discovery != null) {
            discovery.close();
        }
        rooms.close();
        links.values().forEach(PeerLink::close);
        node.close();
        crypto.shutdown();
        try {
            crypto.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        virtualThreads.shutdownNow();
        store.close();
        events.close();
    }

    Host host() {
        return host;
    }

    Node node() {
        return node;
    }

    SqliteStore store() {
        return store;
    }

    /** Writes the history out; our own messages carry the name on our card now. */
    public HistoryExporter historyExporter() {
        return new HistoryExporter(store, new Person(peerId().toBase58(), card().displayName()),
                new RoomCardNames(store));
    }

    /** Whether nothing waits to be delivered or acknowledged by {@code peer}. */
    boolean deliveredEverythingTo(PeerId peer) {
        PeerLink link = links.get(peer);
        return (link == null || link.idle()) && store.outbox().pending(peer.toBase58(), 1).isEmpty();
    }

    private PeerLink link(PeerId peer) {
        return links.computeIfAbsent(peer, p -> new PeerLink(p, new NodeConnector(node, p, this::readChat), store,
                events, MonotonicClock.SYSTEM));
    }

    private void serveChat(Stream stream) throws IOException {
        try {
            readChat(new ChatStream(stream));
        } catch (ChatProtocolException e) {
            log.info("reset a chat stream from {}: {}", stream.remotePeer(), e.getMessage());
            throw e;
        }
    }

    private void readChat(ChatStream stream) throws IOException {
        new ChatReader(stream, inbox, crypto, this::acked).run();
    }

    private void acked(ChatStream stream, List<MessageId> ids) {
        PeerLink link = links.get(stream.peer());
        if (link != null) {
            link.acked(ids);
        }
    }

    /** Presence, last-seen times, contact addresses and outbox flushes follow the connections. */
    private void connectionsChanged(Connection connection, boolean opened) {
        PeerId peer = connection.remotePeer();
        boolean nowOnline;
        boolean changed;
        presence.lock();
        try {
            nowOnline = host.connection(peer).isPresent();
            changed = nowOnline ? online.add(peer) : online.remove(peer);
        } finally {
            presence.unlock();
        }
        Optional<Known> contact = contacts.get(peer).filter(known -> known.state() != ContactState.BLOCKED);
        if (opened) {
            PeerLink link = links.get(peer);
            if (link != null) {
                link.connectionOpened();
            }
            rooms.connected(peer);
        }
        if (contact.isEmpty() || closed) {
            return;
        }
        if (changed) {
            events.publish(new EngineEvent.Presence(peer, nowOnline));
            background("recording when " + peer + " was seen", () -> contacts.seen(peer, Instant.now()));
        }
        background("reporting how " + peer + " is connected", () -> reportPath(peer));
        if (opened) {
            if (contact.get().card() != null) {
                background("fetching the card of " + peer, () -> refreshCard(connection));
            }
        }
    }

    /**
     * Publishes how {@code peer} is connected if that differs from what was last published: the kind of path or the
     * remote address changed, or the connection is gone. Runs off the connection's own threads, since it pings.
     */
    private void reportPath(PeerId peer) {
        pathReports.lock();
        try {
            Optional<ConnectionInfo> now = connection(peer);
            Optional<Multiaddr> address = now.map(ConnectionInfo::remoteAddress);
            if (!address.equals(Optional.ofNullable(reportedPaths.get(peer)))) {
                address.ifPresentOrElse(a -> reportedPaths.put(peer, a), () -> reportedPaths.remove(peer));
                events.publish(new EngineEvent.ConnectionChanged(peer, now));
            }
        } finally {
            pathReports.unlock();
        }
    }

    /** Takes a contact's newer card, e.g. after they renamed themselves; an older or equal one changes nothing. */
    private void refreshCard(Connection connection) {
        ContactCard fetched;
        try {
            fetched = ProfileProtocol.fetch(connection);
        } catch (IOException e) {
            log.debug("{} did not give its card: {}", connection.remotePeer(), e.getMessage());
            return;
        }
        contacts.replaceCardIfNewer(fetched).ifPresent(this::changed);
    }

    /** Tells subscribers that {@code contact} changed; returns it as they see it. */
    private ContactInfo changed(Known contact) {
        keepIfAccepted(contact);
        ContactInfo info = info(contact);
        events.publish(new EngineEvent.ContactUpdated(info));
        return info;
    }

    /**
     * Has the node's address book keep an accepted contact however long it is away, and forget a blocked one like
     * any stranger (transport/README.md, "Per-peer state"): the links dial contacts from the book.
     */
    private void keepIfAccepted(Known contact) {
        if (contact.state() == ContactState.ACCEPTED) {
            host.addressBook().keep(contact.peer(), KEPT_AS_CONTACT);
        } else {
            host.addressBook().release(contact.peer(), KEPT_AS_CONTACT);
        }
    }

    /** Runs {@code task} on a virtual thread; a failure is logged (quietly once the engine is closing). */
    private void background(String what, Runnable task) {
        try {
            virtualThreads.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    if (closed) {
                        log.debug("{} stopped by closing: {}", what, e.toString());
                    } else {
                        log.warn("{} failed", what, e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("{} not started: the engine is closed", what);
        }
    }

    /**
     * A peer said where it listens (identify, on every connection and when its addresses change). A contact's own
     * addresses are remembered, and the hints others gave for it that it did not confirm are dropped, from the
     * store and from the address book, so that they are neither dialled nor handed on any more. Only the contact's
     * word counts, not that a dial to an address reached it: a made-up address may forward to the contact's real
     * one, and whoever runs it would see every connection we make to the contact.
     */
    private void identified(IdentifyInfo info) {
        PeerId peer = info.peer();
        if (closed) {
            return;
        }
        rooms.identified(peer, info.listenAddresses());
        if (contacts.get(peer).filter(known -> known.state() != ContactState.BLOCKED).isEmpty()) {
            return;
        }
        host.addressBook().remove(peer, contactAddresses.told(peer, info.listenAddresses()));
    }

    private Known acceptedContact(PeerId peer, String action) throws EngineException {
        Known known = contacts.get(peer).orElseThrow(() -> new EngineException("cannot " + action + " " + peer
                + ": not a contact; add them with their invite code first"));
        return switch (known.state()) {
            case ACCEPTED -> known;
            case REQUEST -> throw new EngineException("cannot " + action + " " + known.name()
                    + ": they wrote to you first; accept the request before replying");
            case BLOCKED -> throw new EngineException("cannot " + action + " " + known.name()
                    + ": they are blocked; accept them to unblock");
        };
    }

    private String conversation(PeerId peer) throws EngineException {
        if (contacts.get(peer).filter(known -> known.card() != null).isEmpty()) {
            throw new EngineException(peer + " is not a contact; there is no conversation with them");
        }
        return contacts.conversationId(peer);
    }

    /** @param newerExist whether the conversation goes on after this page */
    private HistoryPage page(PeerId peer, Page page, boolean newerExist) {
        List<ChatMessage> messages = page.messages().stream().map(m -> chatMessage(m, peer)).toList().reversed();
        Optional<MessageCursor> newer = messages.isEmpty() || !newerExist ? Optional.empty()
                : Optional.of(cursor(messages.getLast()));
        return new HistoryPage(messages, page.next(), newer);
    }

    /**
     * Where {@code message} sits in its conversation, to page on from it ({@link #historyBefore},
     * {@link #historyAfter}): its clock, its id and its sender, since ids are per sender.
     */
    public MessageCursor cursor(ChatMessage message) {
        PeerId sender = message.outgoing() ? peerId() : message.peer();
        return new MessageCursor(message.hlc(), message.id().toString(), sender.toBase58());
    }

    static ChatMessage chatMessage(StoredMessage message, PeerId peer) {
        return new ChatMessage(MessageId.parse(message.id()), peer, message.direction() == Direction.OUTGOING,
                message.body(), message.hlc(), message.sentAt(), message.state());
    }

    private List<ContactInfo> infos(ContactState state) {
        return contacts.list(state).stream().map(this::info).toList();
    }

    private ContactInfo info(Known known) {
        return new ContactInfo(known.peer(), known.name(), known.state(), online.contains(known.peer()),
                known.lastSeen(), known.state() == ContactState.REQUEST ? inbox.droppedMessages(known.peer()) : 0);
    }

    private void checkOpen() throws EngineException {
        if (closed) {
            throw new EngineException("the engine is closed");
        }
    }
}
