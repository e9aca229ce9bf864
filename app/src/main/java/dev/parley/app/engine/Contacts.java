package dev.parley.app.engine;

import dev.parley.app.engine.ContactBook.Known;
import dev.parley.app.engine.api.ConnectionInfo;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.EngineException.Problem;
import dev.parley.app.node.Node;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.InvalidInviteException;
import dev.parley.crypto.InviteCode;
import dev.parley.crypto.SafetyNumber;
import dev.parley.store.ContactState;
import dev.parley.transport.Host;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The engine's contacts ({@code engine.contacts()}): peers added by invite code, strangers who wrote first and wait
 * as requests, blocked peers; whether each is online and how it is connected. A change is also reported to
 * subscribers as a {@link dev.parley.app.engine.api.EngineEvent.ContactUpdated}.
 */
public final class Contacts {
    private final PeerId me;
    private final Supplier<ContactCard> card;
    private final Host host;
    private final Node node;
    private final ContactBook book;
    private final ContactAddresses addresses;
    private final Inbox inbox;
    private final PeerLinks links;
    private final ConnectionWatcher connections;
    private final Chat chat;

    Contacts(PeerId me, Supplier<ContactCard> card, Node node, ContactBook book, ContactAddresses addresses,
             Inbox inbox, PeerLinks links, ConnectionWatcher connections, Chat chat) {
        this.me = me;
        this.card = card;
        this.host = node.host();
        this.node = node;
        this.book = book;
        this.addresses = addresses;
        this.inbox = inbox;
        this.links = links;
        this.connections = connections;
        this.chat = chat;
    }

    /** Adds the owner of an invite code as an accepted contact (again, if it was a request or blocked). */
    public ContactInfo add(String inviteCode) throws EngineException {
        InviteCode invite;
        try {
            invite = InviteCode.parse(inviteCode);
        } catch (InvalidInviteException e) {
            throw new EngineException("that is not a valid invite code: " + e.getMessage(), e);
        }
        PeerId peer = invite.card().peerId();
        if (peer.equals(me)) {
            throw new EngineException(Problem.OWN_INVITE_CODE, "that is your own invite code");
        }
        host.addressBook().add(peer, invite.addresses());
        Known added = StoreTypes.guarded("adding " + invite.card().displayName() + " as a contact", () -> {
            Known stored = book.put(invite.card(), ContactState.ACCEPTED);
            addresses.hint(peer, invite.addresses());
            return stored;
        });
        if (host.connection(peer).isPresent()) {
            // Connected, the contact has said where it listens already: its word stands over the code's.
            node.identify().info(peer).ifPresent(connections::identified);
        }
        links.link(peer).requestConnection();
        return connections.contactChanged(added);
    }

    /** The accepted contacts, by name. */
    public List<ContactInfo> accepted() {
        return describe(ContactState.ACCEPTED);
    }

    /** Strangers who wrote first and wait for {@link #accept} or {@link #block}. */
    public List<ContactInfo> requests() {
        return describe(ContactState.REQUEST);
    }

    public List<ContactInfo> blocked() {
        return describe(ContactState.BLOCKED);
    }

    /** The peer as the user knows it: a contact, a request or blocked; empty for a stranger. */
    public Optional<ContactInfo> get(PeerId peer) {
        return book.get(peer).map(connections::describe);
    }

    /**
     * Makes a request (or a blocked peer whose card is known) an accepted contact. The request's messages the user
     * has read already get their read receipts now, as a contact's would have.
     */
    public ContactInfo accept(PeerId peer) throws EngineException {
        Known known = book.get(peer).orElseThrow(() ->
                new EngineException(peer + " is neither a contact nor a request"));
        if (known.card() == null) {
            throw new EngineException(known.name()
                    + " was blocked before its card was known; add it with its invite code");
        }
        if (known.state() == ContactState.ACCEPTED) {
            return connections.contactChanged(known);
        }
        Known accepted = StoreTypes.guarded("accepting " + known.name(), () -> {
            Known stored = book.setState(known, ContactState.ACCEPTED);
            inbox.noLongerARequest(peer);
            if (known.state() == ContactState.REQUEST) {
                chat.readBeforeAccepting(stored);
            }
            return stored;
        });
        return connections.contactChanged(accepted);
    }

    /** Blocks a peer: what it sends is acknowledged and dropped, unseen. {@link #accept} unblocks it. */
    public ContactInfo block(PeerId peer) throws EngineException {
        if (peer.equals(me)) {
            throw new EngineException("you cannot block yourself");
        }
        Optional<Known> known = book.get(peer);
        Known blocked = StoreTypes.guarded("blocking " + known.map(Known::name).orElse(peer.toBase58()), () -> {
            Known stored = known.isPresent() ? book.setState(known.get(), ContactState.BLOCKED)
                    : book.blockUnknown(peer);
            inbox.noLongerARequest(peer);
            return stored;
        });
        return connections.contactChanged(blocked);
    }

    /**
     * The safety number of our identity and {@code peer}'s: the same digits on both sides when no one stands in
     * between, to compare in person or by scanning its QR code.
     */
    public SafetyNumber safetyNumber(PeerId peer) throws EngineException {
        Known known = book.get(peer).filter(k -> k.card() != null)
                .orElseThrow(() -> new EngineException(peer + " is not a contact whose card we hold"));
        return SafetyNumber.of(card.get().identityKey(), known.card().identityKey());
    }

    /**
     * How we are connected to {@code peer} now, with a fresh round-trip time (one ping, so this blocks for up to
     * a round trip or the ping's timeout; call it off the UI thread). Empty when not connected.
     */
    public Optional<ConnectionInfo> connection(PeerId peer) {
        return connections.connection(peer);
    }

    private List<ContactInfo> describe(ContactState state) {
        return book.list(state).stream().map(connections::describe).toList();
    }
}
