package dev.parley.app.node;

import com.google.protobuf.ByteString;
import dev.parley.app.node.wire.RelayGrantsProtos.Grants;
import dev.parley.app.node.wire.RelayGrantsProtos.GrantsStatus;
import dev.parley.app.node.wire.RelayGrantsProtos.GrantsStatus.Status;
import dev.parley.transport.Connection;
import dev.parley.transport.Stream;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.RelayPolicy;
import dev.parley.transport.spi.CircuitLimit;
import java.io.IOException;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay's owners' contacts, and the {@link RelayPolicy} they make: the relay's side of
 * {@code /parley/relay-grants/1.0.0} (relay_grants.proto). Only a peer {@link RelayOwners} names, as Noise proved it,
 * may list contacts; each list replaces that owner's last one, so a contact the owner blocked is withdrawn with the
 * next list. The lists live in memory: an owner sends its list again whenever it connects.
 */
final class RelayGrants implements RelayPolicy {
    static final String PROTOCOL_ID = "/parley/relay-grants/1.0.0";
    /** Contacts one owner may list: more than a person keeps, and still a list of about 40 KiB. */
    static final int MAX_CONTACTS = 1024;
    /** {@link #MAX_CONTACTS} Ed25519 PeerIds of 38 bytes with two bytes of framing each, and room to spare. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** How long either side waits for the other's next message. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(RelayGrants.class);

    private final RelayOwners owners;
    private final CircuitLimit strangers;
    private final Map<PeerId, Set<PeerId>> listedByOwner = new ConcurrentHashMap<>();

    /** {@code strangers} is the limit of every circuit that is not between an owner and a contact it listed. */
    RelayGrants(RelayOwners owners, CircuitLimit strangers) {
        this.owners = owners;
        this.strangers = strangers;
    }

    /** Owners and the contacts they listed reserve with the contact limit, everyone else with the default. */
    @Override
    public Optional<CircuitLimit> reservationLimit(PeerId peer) {
        boolean known = owners.owners().contains(peer)
                || listedByOwner.values().stream().anyMatch(listed -> listed.contains(peer));
        return Optional.of(known ? owners.contactCircuit() : strangers);
    }

    /**
     * The contact limit only between an owner and a contact it lists, either end dialling: a stranger dialling a
     * listed contact gets the default, whatever the contact's reservation said.
     */
    @Override
    public CircuitLimit circuitLimit(PeerId source, PeerId target, CircuitLimit reserved) {
        return lists(source, target) || lists(target, source) ? owners.contactCircuit() : strangers;
    }

    private boolean lists(PeerId owner, PeerId contact) {
        return listedByOwner.getOrDefault(owner, Set.of()).contains(contact);
    }

    /** Serves an owner's list; anyone else hears NOT_OWNER and nothing of what it sends is read. */
    void serve(Stream stream) throws IOException {
        PeerId peer = stream.remotePeer();
        if (!owners.owners().contains(peer)) {
            write(stream, Status.NOT_OWNER);
            return;
        }
        write(stream, Status.OWNER);
        stream.setReadDeadline(TIMEOUT);
        Grants grants = LengthPrefixed.read(stream.in(), stream.memory(), Grants.parser(), MAX_MESSAGE_BYTES,
                PROTOCOL_ID + " grants", ProtocolException::new);
        Optional<Set<PeerId>> contacts = contacts(grants);
        if (contacts.isEmpty()) {
            log.info("owner {} sent a list of {} contacts that is too long or not all PeerIds; its list before stands",
                    peer, grants.getContactsCount());
            write(stream, Status.MALFORMED);
            return;
        }
        listedByOwner.put(peer, contacts.get());
        log.info("owner {} lists {} contacts", peer, contacts.get().size());
        write(stream, Status.GRANTED);
    }

    private static Optional<Set<PeerId>> contacts(Grants grants) {
        if (grants.getContactsCount() > MAX_CONTACTS) {
            return Optional.empty();
        }
        Set<PeerId> contacts = new HashSet<>();
        for (ByteString contact : grants.getContactsList()) {
            try {
                contacts.add(PeerId.fromBytes(contact.toByteArray()));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.of(Set.copyOf(contacts));
    }

    /**
     * Sends {@code contacts} to the relay at the other end of {@code toRelay}: whether it took them. False when it
     * does not name us owner, which then never sees the list; an error when it does not speak the protocol, refuses
     * the list (more than {@link #MAX_CONTACTS}, say) or does not answer within {@link #TIMEOUT}.
     */
    static boolean send(Connection toRelay, Set<PeerId> contacts) throws IOException {
        try (Stream stream = toRelay.newStream(TIMEOUT, PROTOCOL_ID)) {
            if (read(stream) != Status.OWNER) {
                return false;
            }
            Grants.Builder grants = Grants.newBuilder();
            contacts.forEach(contact -> grants.addContacts(ByteString.copyFrom(contact.bytes())));
            LengthPrefixed.write(grants.build(), MAX_MESSAGE_BYTES, stream.out(), PROTOCOL_ID + " grants",
                    ProtocolException::new);
            stream.out().flush();
            Status answer = read(stream);
            if (answer != Status.GRANTED) {
                throw new ProtocolException("relay " + toRelay.remotePeer() + " answered our " + contacts.size()
                        + " contacts with " + answer);
            }
            return true;
        }
    }

    private static void write(Stream stream, Status status) throws IOException {
        LengthPrefixed.write(GrantsStatus.newBuilder().setStatus(status).build(), MAX_MESSAGE_BYTES, stream.out(),
                PROTOCOL_ID + " status", ProtocolException::new);
        stream.out().flush();
    }

    private static Status read(Stream stream) throws IOException {
        return LengthPrefixed.read(stream.in(), stream.memory(), GrantsStatus.parser(), MAX_MESSAGE_BYTES,
                PROTOCOL_ID + " status", ProtocolException::new).getStatus();
    }
}
