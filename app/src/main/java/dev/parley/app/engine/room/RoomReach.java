package dev.parley.app.engine.room;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.engine.room.RoomBook.Room;
import dev.parley.app.engine.threads.EngineThreads;
import dev.parley.app.engine.wire.SyncProtos.MemberAddresses;
import dev.parley.app.node.Node;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where fellow members can be reached, and reaching them. Members of joined rooms stay in the node's address book
 * however long they are away (transport/README.md); where a member who is no contact was reachable (an invitation's
 * hints, then what the member says itself on connecting) is kept in the store, so that it is dialled after a
 * restart. A member reached is synced with.
 */
final class RoomReach {
    /** Addresses an invitation gives for each member: as many as an invite code carries. */
    static final int MAX_HINT_ADDRESSES = 8;
    private static final String KEPT_AS_MEMBER = "room member";
    private static final Logger log = LoggerFactory.getLogger(RoomReach.class);

    private final PeerId me;
    private final Supplier<List<Multiaddr>> ownAddresses;
    private final SqliteStore store;
    private final Node node;
    private final RoomContacts contacts;
    private final RoomBook book;
    private final RoomSync sync;
    private final RoomLogFetches logFetches;
    private final EngineThreads threads;
    private final InstantSource time;

    RoomReach(PeerId me, Supplier<List<Multiaddr>> ownAddresses, SqliteStore store, Node node, RoomContacts contacts,
              RoomBook book, RoomSync sync, RoomLogFetches logFetches, EngineThreads threads, InstantSource time) {
        this.me = me;
        this.ownAddresses = ownAddresses;
        this.store = store;
        this.node = node;
        this.contacts = contacts;
        this.book = book;
        this.sync = sync;
        this.logFetches = logFetches;
        this.threads = threads;
        this.time = time;
    }

    /** Keeps the members of every joined room in the address book and dials them, so that whoever is online syncs. */
    void reachMembers() {
        for (Room room : book.withStatus(RoomStatus.JOINED)) {
            for (PeerId member : room.state().members().keySet()) {
                if (!member.equals(me)) {
                    node.host().addressBook().keep(member, KEPT_AS_MEMBER);
                    addresses(member).ifPresent(known -> node.host().addressBook().add(member, known));
                    reachInBackground(member);
                }
            }
        }
    }

    /** Syncs with {@code peer} if it is connected, else dials it on a thread of its own (the sync follows). */
    void reachInBackground(PeerId peer) {
        if (node.host().connection(peer).isPresent()) {
            sync.syncWith(peer);
            return;
        }
        threads.start("room-reach " + peer, () -> {
            try {
                node.connect(peer);
            } catch (IOException e) {
                log.debug("room member {} is not reachable now: {}", peer, e.getMessage());
                logFetches.unreachable(peer);
            }
        });
    }

    /** Where a member may be reached, as far as this node knows: a hint for an invitee, who knows nobody yet. */
    Optional<MemberAddresses> hint(PeerId member) {
        List<Multiaddr> addresses = member.equals(me) ? ownAddresses.get()
                : node.host().addressBook().addresses(member);
        if (addresses.isEmpty()) {
            return Optional.empty();
        }
        MemberAddresses.Builder hint = MemberAddresses.newBuilder().setMember(ByteString.copyFrom(member.bytes()));
        addresses.stream().limit(MAX_HINT_ADDRESSES).forEach(address -> hint.addAddresses(
                ByteString.copyFrom(address.bytes())));
        return Optional.of(hint.build());
    }

    /**
     * The addresses an invitation or an add gives for members: hints, only for the room's members, tried and kept
     * until the member says where it is.
     */
    void learnHints(RoomState state, List<MemberAddresses> hints) {
        for (MemberAddresses hint : hints.stream().limit(RoomState.MAX_MEMBERS).toList()) {
            try {
                PeerId member = PeerId.fromBytes(hint.getMember().toByteArray());
                if (member.equals(me) || !state.isMember(member)) {
                    continue;
                }
                List<Multiaddr> addresses = new ArrayList<>();
                for (ByteString address : hint.getAddressesList().stream().limit(MAX_HINT_ADDRESSES).toList()) {
                    addresses.add(Multiaddr.fromBytes(address.toByteArray()));
                }
                node.host().addressBook().keep(member, KEPT_AS_MEMBER);
                node.host().addressBook().add(member, addresses);
                if (contacts.find(member).isEmpty()) {
                    remember(member, addresses, false);
                }
            } catch (IllegalArgumentException e) {
                log.debug("an invitation's address hint does not parse: {}", e.getMessage());
            }
        }
    }

    /**
     * A peer said where it listens (identify): if it shares a room with us and is no contact (whose addresses the
     * contact book keeps), we remember that in place of what we held, to dial it after a restart.
     */
    void identified(PeerId peer, List<Multiaddr> listening) {
        boolean fellow = book.all().stream().anyMatch(room -> room.state().isMember(peer));
        if (fellow && contacts.find(peer).isEmpty() && !listening.isEmpty()) {
            remember(peer, listening, true);
        }
    }

    private void remember(PeerId member, List<Multiaddr> addresses, boolean itsOwnWord) {
        try {
            store.rooms().rememberMemberAddresses(member.toBase58(), addresses.stream().map(Multiaddr::toString)
                    .toList(), time.instant(), itsOwnWord);
        } catch (StoreException e) {
            log.info("could not keep where room member {} is: {}", member, e.getMessage());
        }
    }

    private Optional<List<Multiaddr>> addresses(PeerId member) {
        List<Multiaddr> known = new ArrayList<>();
        for (String address : store.rooms().memberAddresses(member.toBase58())) {
            try {
                known.add(Multiaddr.parse(address));
            } catch (IllegalArgumentException e) {
                log.debug("a stored address of {} does not parse: {}", member, e.getMessage());
            }
        }
        return known.isEmpty() ? Optional.empty() : Optional.of(known);
    }
}
