package dev.parley.app.engine;

import dev.parley.app.engine.actions.MessageActions;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.EngineException.Problem;
import dev.parley.app.engine.files.FileLibrary;
import dev.parley.app.engine.files.FileServer;
import dev.parley.app.engine.files.FileTransfers;
import dev.parley.app.engine.files.LibraryExportFiles;
import dev.parley.app.engine.mailbox.Carrying;
import dev.parley.app.engine.mailbox.MailboxCourier;
import dev.parley.app.engine.mailbox.MailboxOwner;
import dev.parley.app.engine.room.RoomContacts;
import dev.parley.app.engine.room.RoomService;
import dev.parley.app.engine.room.RoomSetup;
import dev.parley.app.engine.room.Rooms;
import dev.parley.app.engine.session.Sessions;
import dev.parley.app.engine.threads.EngineThreads;
import dev.parley.app.engine.time.Clocks;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.node.Node;
import dev.parley.app.profile.Profile;
import dev.parley.app.profile.ProfileFiles;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.Identity;
import dev.parley.crypto.IdentityBackup;
import dev.parley.crypto.InviteCode;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.ContactState;
import dev.parley.store.ImportCounts;
import dev.parley.store.SqliteStore;
import dev.parley.store.export.ExportProgress;
import dev.parley.store.export.HistoryFileException;
import dev.parley.store.export.HistoryImporter;
import dev.parley.transport.Connection;
import dev.parley.transport.ConnectionListener;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.Component;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Protocol;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The headless messenger: contacts and requests, 1:1 chat with delivery and read receipts, typing, presence,
 * nearby peers, rooms. The desktop UI and the command line do everything through it.
 *
 * <p>The engine itself starts and stops the node, says who we are ({@link #card}, {@link #invite}) and reports
 * what happens, in order on one thread ({@link #subscribe}). Contacts, chat, history and nearby peers each have an
 * area of their own: {@link #contacts()}, {@link #chat()}, {@link #history()}, {@link #nearby()}. What the engine
 * takes and gives are its own types ({@code engine.api}), never the store's.
 */
public final class Engine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    private final Identity identity;
    private final Profile profile;
    private volatile ContactCard card;
    /** What our card says this Parley can do: the configuration's, without carrying while the user turned it off. */
    private volatile Set<ContactCard.Feature> cardFeatures;
    /** What the configuration lets our card say. */
    private final Set<ContactCard.Feature> configuredFeatures;
    private final Node node;
    private final Host host;
    private final SqliteStore store;
    private final ContactBook contacts;
    private final ContactAddresses contactAddresses;
    private final EventDispatcher events = new EventDispatcher();
    private final Clocks clocks;
    private final HybridClock clock;
    private final EngineThreads threads;
    private final Inbox inbox;
    private final Outgoing outgoing;
    private final Sessions sessions;
    private final RoomService rooms;
    private final PeerLinks links;
    private final ConnectionWatcher connections;
    /** The area over {@link #contacts}, the contact book the engine's parts share. */
    private final Contacts contactsArea;
    private final Chat chat;
    private final MessageActions actions;
    private final History history;
    private final Nearby nearby;
    private final MailboxCourier courier;
    private final MailboxOwner mailbox;
    private final Carrying carrying;
    private final FileTransfers files;
    private final FileServer fileServer;
    private final LibraryExportFiles exportFiles;

    private Engine(EngineConfig config, Profile profile, SqliteStore store, long carryQuotaBytes) {
        this.identity = config.identity();
        this.threads = new EngineThreads(identity.peerId().toString());
        this.profile = profile;
        this.configuredFeatures = config.cardFeatures();
        this.cardFeatures = withCarrying(configuredFeatures, carryQuotaBytes);
        this.card = ContactCard.create(identity, config.displayName(), Instant.now(), cardFeatures);
        this.store = store;
        this.clocks = config.clocks();
        this.clock = new HybridClock(clocks.wall());
        this.contactAddresses = new ContactAddresses(store, clocks.wall());
        this.contacts = ContactBook.load(store, identity.peerId(), clocks.wall());
        TinkEnvelopeSealer sealer = new TinkEnvelopeSealer();
        SessionNotices sessionNotices = new SessionNotices(identity.peerId(), store, contacts, clock, clocks.wall(),
                events::publish);
        this.sessions = new Sessions(identity, cardFeatures.contains(ContactCard.Feature.FORWARD_SECRET_SESSIONS),
                store, clock::now, clocks.wall(), new Sessions.Delivery() {
                    @Override
                    public void queued(PeerId peer, MessageId id, EnvelopeKind kind, byte[] envelope) {
                        link(peer).queued(new PeerLink.Queued(id, kind, envelope));
                    }

                    @Override
                    public CompletableFuture<?> handOver(PeerId peer, MessageId id, EnvelopeKind kind, byte[] envelope,
                                                         CompletableFuture<Boolean> inOutbox) {
                        link(peer).queued(new PeerLink.Queued(id, kind, envelope), inOutbox);
                        return inOutbox;
                    }
                }, sessionNotices::renewed);
        this.courier = new MailboxCourier(store, this::acceptedCard, threads, events::publish, clocks.wall());
        this.outgoing = new Outgoing(identity, sealer, sessions, store, contacts, clock, threads.crypto(),
                this::link, clocks.wall());
        this.node = new Node(identity.transportKey(), config.network());
        this.host = node.host();
        InboundLimiter roomLimiter = new InboundLimiter(config.roomInboundRate());
        this.rooms = new RoomService(new RoomSetup(identity, () -> card, host::listenAddresses, sealer, store, node,
                clock, clocks.wall(), clocks.elapsed(), config.syncPace(),
                (peer, bytes) -> roomLimiter.charge(peer, bytes, clocks.elapsed().nanoTime()), threads,
                this::roomContact, outgoing::queueToEach, courier::leaveRoomEnvelopes, events::publish));
        ActionRouting routing = new ActionRouting(contacts, outgoing, rooms);
        FileRouting fileRouting = new FileRouting(identity.peerId(), store, contacts, rooms, routing, node);
        FileLibrary library = new FileLibrary(config.profileDirectory());
        this.files = new FileTransfers(identity.peerId(), store, library, fileRouting, threads, events::publish,
                clocks.elapsed()::nanoTime);
        this.fileServer = files.server(fileRouting);
        this.actions = new MessageActions(identity.peerId(), store, routing, files, clock::now,
                clocks.wall(), events::publish, threads.tasks());
        rooms.takeActionsWith(actions);
        rooms.takeFilesWith(files);
        this.inbox = new Inbox(identity, sealer, sessions, contacts, store, clock, events, threads.tasks(), rooms, actions,
                files, config.inboundRate(), clocks, courier::deliverToMailbox);
        this.links = new PeerLinks(node, store, events, this::readChat, threads, clocks, courier::deliverToMailbox);
        courier.leaveFilesWith(files::mailboxParts);
        MailboxArrivals arrivals = new MailboxArrivals(identity, inbox, contacts, outgoing, rooms,
                sessions, files, events::publish, clocks.wall());
        this.carrying = new Carrying(host, store, this::acceptedCard, this::acceptedCards, arrivals,
                cardFeatures.contains(ContactCard.Feature.CARRIES_FOR_CONTACTS) ? carryQuotaBytes : 0, threads,
                clocks.wall());
        courier.carryWith(carrying);
        this.mailbox = new MailboxOwner(identity.peerId(), host, store, this::acceptedCards, this::acceptedCard,
                peer -> contacts.get(peer).filter(known -> known.state() == ContactState.BLOCKED).isPresent(), arrivals,
                (contact, grant) -> outgoing.queue(contact, EnvelopeKind.MAILBOX_GRANT, grant), threads,
                events::publish, clocks.wall());
        this.connections = new ConnectionWatcher(host, node, contacts, contactAddresses, inbox, rooms, links, events,
                threads);
        this.chat = new Chat(identity.peerId(), host, store, contacts, outgoing, threads, clocks.elapsed());
        this.contactsArea = new Contacts(identity.peerId(), () -> card, node, contacts, contactAddresses, inbox, links,
                connections, chat);
        this.exportFiles = new LibraryExportFiles(library);
        this.history = new History(identity.peerId(), () -> card, store, contacts, connections, actions, exportFiles);
        this.nearby = new Nearby(identity.peerId(), host, contacts, contactAddresses, links, connections, events,
                threads);
    }

    /**
     * Opens the history, listens, and starts delivering what was queued: messages left over from the last run go
     * out as their peers become reachable, and accepted contacts are dialled once to tell them we are online.
     *
     * @throws IOException when the profile's files cannot be read or no listen address can be bound
     */
    public static Engine start(EngineConfig config) throws IOException {
        return start(config, event -> { });
    }

    /**
     * Starts the engine with {@code first} subscribed before anything runs: what the engine does as it starts (a
     * mailbox's messages and receipts taken at once, a small fetch resumed and done) reaches it, where a subscriber
     * that comes after {@code start} returns would miss it.
     */
    public static Engine start(EngineConfig config, Consumer<EngineEvent> first) throws IOException {
        Profile profile = new Profile(config.profileDirectory());
        SqliteStore store = ProfileFiles.openStore(config.storeFile());
        Engine engine;
        try {
            long carryQuota = profile.carryQuotaBytes(Carrying.DEFAULT_QUOTA_BYTES);
            engine = new Engine(config, profile, store, carryQuota);
            engine.files.setAutoFetchBytes(profile.autoFetchBytes(FileTransfers.DEFAULT_AUTO_FETCH_BYTES));
            engine.subscribe(first);
        } catch (IOException | RuntimeException e) {
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
        contactAddresses.forgetStaleHints(clocks.wall().instant());
        threads.start("sessions-expiry", sessions::forgetExpired);
        for (ContactState state : List.of(ContactState.ACCEPTED, ContactState.REQUEST)) {
            contacts.list(state).forEach(contact -> {
                connections.keepIfAccepted(contact);
                host.addressBook().add(contact.peer(), contactAddresses.of(contact.peer()));
            });
        }
        node.identify().onIdentified(connections::identified);
        host.setHandler(ChatFrames.PROTOCOL_ID, this::serveChat);
        host.setHandler(ProfileProtocol.PROTOCOL_ID, stream -> ProfileProtocol.answer(stream, () -> card));
        host.setHandler(ProfileProtocol.PUSH_PROTOCOL_ID, connections::cardPushed);
        host.setHandler(FileServer.protocolId(), fileServer::serve);
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionOpened(Connection connection) {
                connections.opened(connection);
                carrying.connected(connection.remotePeer());
                files.connected(connection.remotePeer());
            }

            @Override
            public void connectionClosed(Connection connection) {
                connections.closed(connection);
            }
        });
        listen(listen);
        node.serveContactsAsRelay(peer -> contacts.get(peer).filter(known -> known.state() == ContactState.ACCEPTED)
                .isPresent());
        node.grantContactsOnOwnRelays(() -> contacts.list(ContactState.ACCEPTED).stream().map(ContactBook.Known::peer)
                .collect(Collectors.toUnmodifiableSet()));
        node.autonat().onReachabilityChanged(reachability -> events.publish(
                new EngineEvent.ReachabilityChanged(reachability, node.autonat().publicAddress())));
        node.goOnline();
        rooms.start();
        events.subscribe(event -> {
            if (event instanceof EngineEvent.ContactUpdated updated) {
                mailbox.contactChanged(updated.contact());
                inbox.contactKnown(updated.contact().peer());
                node.contactsChanged();
            }
        });
        mailbox.start();
        carrying.start();
        files.start();
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

    /** Where peers can dial us, each ending in {@code /p2p/<PeerId>}. */
    public List<Multiaddr> listenAddresses() {
        return host.listenAddresses().stream().map(address -> address.withPeerId(peerId())).toList();
    }

    /** Our signed contact card, as {@code /parley/profile/1.0.0} serves it. */
    public ContactCard card() {
        return card;
    }

    /**
     * Changes the name on our card. The contacts connected now are sent the new card at once; the others fetch it
     * when they next connect, and any peer that fetches the card from now on sees the new name.
     */
    public void setDisplayName(String name) throws EngineException {
        Optional<String> problem = ContactCard.displayNameProblem(name);
        if (problem.isPresent()) {
            throw new EngineException(Problem.UNUSABLE_NAME, "that name cannot be used: " + problem.get(),
                    ContactCard.MAX_NAME_CODE_POINTS);
        }
        try {
            profile.setDisplayName(name);
        } catch (IOException e) {
            throw new EngineException("the name could not be saved in " + profile.directory() + ": " + e.getMessage(), e);
        }
        card = ContactCard.create(identity, name, Instant.now(), cardFeatures);
        connections.pushCard(card);
    }

    /** How many bytes of letters we keep for contacts (app/README.md, "Contacts who carry"); 0: none. */
    public long carryQuotaBytes() {
        return carrying.quotaBytes();
    }

    /** Bytes of letters we keep for contacts now. */
    public long carriedBytes() {
        return carrying.heldBytes();
    }

    /**
     * Keeps at most {@code bytes} of letters for contacts from now on, 0 to carry for nobody; saved in the profile. Our
     * card says whether we carry, and contacts connected now are sent it at once.
     */
    public void setCarryQuotaBytes(long bytes) throws EngineException {
        try {
            profile.setCarryQuotaBytes(bytes);
        } catch (IOException e) {
            throw new EngineException("the setting could not be saved in " + profile.directory() + ": " + e.getMessage(),
                    e);
        }
        Set<ContactCard.Feature> features = withCarrying(configuredFeatures, bytes);
        // A Parley whose configuration leaves carrying out never carries: its card would not say it does.
        carrying.setQuotaBytes(features.contains(ContactCard.Feature.CARRIES_FOR_CONTACTS) ? bytes : 0);
        if (!features.equals(cardFeatures)) {
            cardFeatures = features;
            card = ContactCard.create(identity, card.displayName(), Instant.now(), features);
            connections.pushCard(card);
        }
    }

    /** Pictures up to this many bytes are fetched as they arrive; 0: every file waits for the user. */
    public long autoFetchBytes() {
        return files.autoFetchBytes();
    }

    /** Fetches pictures up to {@code bytes} as they arrive from now on, 0 for none; saved in the profile. */
    public void setAutoFetchBytes(long bytes) throws EngineException {
        try {
            profile.setAutoFetchBytes(bytes);
        } catch (IOException e) {
            throw new EngineException("the setting could not be saved in " + profile.directory() + ": " + e.getMessage(),
                    e);
        }
        files.setAutoFetchBytes(bytes);
    }

    private static Set<ContactCard.Feature> withCarrying(Set<ContactCard.Feature> features, long carryQuotaBytes) {
        if (carryQuotaBytes > 0 || !features.contains(ContactCard.Feature.CARRIES_FOR_CONTACTS)) {
            return features;
        }
        Set<ContactCard.Feature> without = EnumSet.copyOf(features);
        without.remove(ContactCard.Feature.CARRIES_FOR_CONTACTS);
        return Set.copyOf(without);
    }

    /**
     * Writes our identity and display name to {@code file}, protected by {@code passphrase}: the file
     * {@code parley backup} writes ({@link IdentityBackup}), which {@code parley restore} makes the user's identity
     * again elsewhere.
     */
    public void backUp(Path file, char[] passphrase) throws EngineException {
        try {
            // The name on our card: the profile's in the app, and the one given for this run otherwise.
            IdentityBackup.write(identity, Optional.of(card.displayName()), file, passphrase);
        } catch (IOException e) {
            throw new EngineException("the backup could not be written to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds the history in a JSON export ({@code parley export --format json}) to this profile's while the engine
     * runs, as {@code parley import} does with the app closed: importing a file twice adds nothing the second time.
     * The contacts the file brings become the engine's at once, and each contact's update is published, so that
     * lists over the engine's events show the imported conversations.
     *
     * @param progress hears how many bytes of the file are through; may stop the import
     * @throws EngineException with the reason, when the file is missing, unreadable, not a Parley export, of an
     *                         unknown version or damaged; nothing was imported then
     */
    public ImportCounts importHistory(Path file, ExportProgress progress) throws EngineException {
        ImportCounts counts;
        try {
            counts = new HistoryImporter(store, ParleyIdSpelling.INSTANCE, exportFiles).importFrom(file, progress);
        } catch (HistoryFileException e) {
            throw new EngineException(e.getMessage(), e);
        }
        for (PeerId peer : contacts.learnFromStore()) {
            contacts.get(peer).ifPresent(contact -> {
                connections.keepIfAccepted(contact);
                host.addressBook().add(peer, contactAddresses.of(peer));
            });
        }
        // Merged conversations changed too, not only the new ones: every contact's update makes lists read again.
        for (List<ContactInfo> shown : List.of(contactsArea.accepted(), contactsArea.requests())) {
            shown.forEach(contact -> events.publish(new EngineEvent.ContactUpdated(contact)));
        }
        return counts;
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

    /** Group rooms: creating, inviting, joining, writing, reading (app/README.md, "Rooms"). */
    public Rooms rooms() {
        return rooms.rooms();
    }

    /** Contacts, requests and blocked peers; presence and how each is connected. */
    public Contacts contacts() {
        return contactsArea;
    }

    /** Reply, react, edit, delete and forward, in 1:1 chats and rooms. */
    public MessageActions actions() {
        return actions;
    }

    /** Sending, typing notices, read receipts. */
    public Chat chat() {
        return chat;
    }

    /** Pages of the 1:1 conversations, the conversation list, search, export. */
    public History history() {
        return history;
    }

    /** The Parley peers close by, and LAN discovery. */
    public Nearby nearby() {
        return nearby;
    }

    /** Files and images: offering, fetching, pausing, saving (app/README.md, "Files"). */
    public FileTransfers files() {
        return files;
    }

    /** Our own mailbox: pairing, its state, what it brought (app/README.md, "Mailboxes in the engine"). */
    public MailboxOwner mailbox() {
        return mailbox;
    }

    /** Delivers every later event to {@code subscriber}, in order, on the engine's event thread. */
    public void subscribe(Consumer<EngineEvent> subscriber) {
        events.subscribe(subscriber);
    }

    public void unsubscribe(Consumer<EngineEvent> subscriber) {
        events.unsubscribe(subscriber);
    }

    /**
     * Notes the connected contacts as last seen now, stops the network, lets the store commit what is queued, and
     * delivers the events already published. Returns
     * once every thread the engine started has ended.
     */
    @Override
    public void close() {
        if (!threads.beginClosing()) {
            return;
        }
        connections.closing();
        nearby.close();
        rooms.close();
        mailbox.close();
        files.close();
        links.closeAll();
        node.close();
        threads.close();
        store.close();
        events.close();
    }

    Host host() {
        return host;
    }

    /** The sealed file chunk bytes this engine served others since it started ({@code /served} in parley chat). */
    public long fileBytesServed() {
        return fileServer.servedBytes();
    }

    Node node() {
        return node;
    }

    SqliteStore store() {
        return store;
    }

    Sessions sessions() {
        return sessions;
    }

    /** Whether nothing waits to be delivered or acknowledged by {@code peer}. */
    boolean deliveredEverythingTo(PeerId peer) {
        return links.existing(peer).map(PeerLink::idle).orElse(true)
                && store.outbox().count(peer.toBase58()) == 0;
    }

    /** The link to {@code peer}; the outbox, made before the links are, reaches them through this. */
    private PeerLink link(PeerId peer) {
        return links.link(peer);
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
        new ChatReader(stream, inbox, threads.crypto(), threads, this::acked).run();
    }

    private void acked(ChatStream stream, List<MessageId> ids) {
        links.existing(stream.peer()).ifPresent(link -> link.acked(ids));
    }

    /** Every accepted contact's card. */
    private List<ContactCard> acceptedCards() {
        return contacts.list(ContactState.ACCEPTED).stream().map(ContactBook.Known::card).filter(Objects::nonNull)
                .toList();
    }

    /** The card of {@code peer} if it is an accepted contact. */
    private Optional<ContactCard> acceptedCard(PeerId peer) {
        return contacts.get(peer).filter(known -> known.state() == ContactState.ACCEPTED)
                .flatMap(known -> Optional.ofNullable(known.card()));
    }

    /** A peer as the rooms see the contact book. */
    private Optional<RoomContacts.Contact> roomContact(PeerId peer) {
        return contacts.get(peer).map(known -> new RoomContacts.Contact(known.name(),
                known.state() == ContactState.ACCEPTED, Optional.ofNullable(known.card())));
    }
}
