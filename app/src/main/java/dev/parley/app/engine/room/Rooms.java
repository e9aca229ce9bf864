package dev.parley.app.engine.room;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.EngineException.Problem;
import dev.parley.app.engine.api.HistoryCursor;
import dev.parley.app.engine.api.RoomDelivery;
import dev.parley.app.engine.api.RoomHistoryPage;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.engine.room.RoomBook.Room;
import dev.parley.app.engine.threads.EngineThreads;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.engine.wire.SyncProtos.MemberAddresses;
import dev.parley.app.engine.wire.SyncProtos.RoomInvite;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.store.ConversationSummary;
import dev.parley.store.MessageCursor;
import dev.parley.store.Page;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.store.StoredMessage;
import dev.parley.transport.multiformats.PeerId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Group rooms as the user has them (app/README.md, "Rooms"), the engine's room area ({@code engine.rooms()}):
 * creating a room, inviting, joining, leaving, removing and promoting members, renaming, writing, and reading what
 * is in them. Changes are signed into the room's membership log and sent to its members; messages are sealed under
 * our sender key and pushed; everything else follows from the log ({@link RoomService} wires the parts).
 *
 * <p>Errors the user can act on are {@link EngineException}s: not a room here, not an admin, not a member any more,
 * an empty or too long message, a name no room may have.
 */
public final class Rooms {
    /** What an invitation needs besides the log it carries: the add it brings, hints, and the envelope's sealing. */
    public static final int INVITATION_HEADROOM = 16 * 1024;

    /** Messages of ours in one room that no other member holds yet. */
    public record Undelivered(RoomId room, String name, int messages) {
    }

    private final Identity me;
    private final Supplier<ContactCard> card;
    private final SqliteStore store;
    private final RoomBook book;
    private final RoomContacts contacts;
    private final RoomOutbox outbox;
    private final RoomMembership membership;
    private final RoomPosts posts;
    private final RoomViews views;
    private final RoomDeliveries deliveries;
    private final RoomReach reach;
    private final HybridClock clock;
    private final EngineThreads threads;

    Rooms(Identity me, Supplier<ContactCard> card, SqliteStore store, RoomBook book, RoomContacts contacts,
          RoomOutbox outbox, RoomMembership membership, RoomPosts posts, RoomViews views, RoomDeliveries deliveries,
          RoomReach reach, HybridClock clock, EngineThreads threads) {
        this.me = me;
        this.card = card;
        this.store = store;
        this.book = book;
        this.contacts = contacts;
        this.outbox = outbox;
        this.membership = membership;
        this.posts = posts;
        this.views = views;
        this.deliveries = deliveries;
        this.reach = reach;
        this.clock = clock;
        this.threads = threads;
    }

    /** Creates a room with a random id, with us as its admin and only member. */
    public RoomInfo create(String name) throws EngineException {
        return command("create the room", () -> {
            checkName(name);
            RoomChange.Create creation = RoomChange.Create.fresh(name, card.get());
            RoomEvent created = RoomEvent.sign(me, creation.roomId(), 0, List.of(), clock.now(), creation);
            Room room;
            try {
                room = book.add(RoomLog.create(created), RoomStatus.JOINED, null);
            } catch (InvalidRoomEventException e) {
                throw new IllegalStateException("a room this node created does not verify", e);
            }
            book.locked(room.id(), () -> {
                membership.created(room, created);
                return null;
            });
            return views.updated(room);
        });
    }

    /**
     * Adds an accepted contact to a room we administer and sends them the invitation, with the room's whole log
     * (app/README.md, "Rooms", Known limits: a log too long for one envelope is refused before the add is signed).
     */
    public RoomInfo invite(RoomId id, PeerId peer) throws EngineException {
        return command("invite " + peer, () -> invitation(id, peer));
    }

    private RoomInfo invitation(RoomId id, PeerId peer) throws EngineException {
        Optional<RoomContacts.Contact> found = contacts.find(peer).filter(RoomContacts.Contact::accepted);
        if (found.isEmpty() || found.get().card().isEmpty()) {
            throw new EngineException(Problem.NOT_AN_ACCEPTED_CONTACT, "cannot invite " + peer
                    + ": only accepted contacts can be invited; add them with their invite code first",
                    found.map(RoomContacts.Contact::name).orElse(peer.toString()));
        }
        String name = found.get().name();
        ContactCard invitee = found.get().card().get();
        long logBytes = book.require(id).log().events().stream().mapToLong(event -> event.encode().length + 4L).sum();
        if (logBytes + INVITATION_HEADROOM > Envelope.MAX_SIZE) {
            throw new EngineException("cannot invite " + name + ": the room's membership log is "
                    + logBytes / 1024 + " KiB, and an invitation carries it whole in at most "
                    + (Envelope.MAX_SIZE - INVITATION_HEADROOM) / 1024 + " KiB; Parley cannot invite into a room"
                    + " with so long a history yet");
        }
        // The invitation is queued before the keys of the new epoch, so that it arrives first: a key for a room
        // the invitee does not know yet is dropped (and asked for again on the next sync).
        return views.info(membership.change(id, "invite " + name + " to", new RoomChange.Add(invitee), added -> {
            RoomInvite.Builder invite = RoomInvite.newBuilder();
            added.log().events().forEach(event -> invite.addEvents(ByteString.copyFrom(event.encode())));
            // Hints as far as they fit, keeping half the headroom for sealing.
            int spare = Envelope.MAX_SIZE - INVITATION_HEADROOM / 2 - invite.build().getSerializedSize();
            for (PeerId member : added.state().members().keySet()) {
                Optional<MemberAddresses> hint = reach.hint(member);
                if (hint.isPresent() && hint.get().getSerializedSize() + 8 <= spare) {
                    invite.addHints(hint.get());
                    spare -= hint.get().getSerializedSize() + 8;
                }
            }
            outbox.queueToEach(List.of(invitee), EnvelopeKind.ROOM_INVITE, invite.build().toByteArray());
        }));
    }

    /** Joins a room we were invited to: from now on we read and write in it. */
    public RoomInfo accept(RoomId id) throws EngineException {
        return command("join the room", () -> {
            Room room = book.locked(id, () -> {
                Room invited = book.require(id);
                if (invited.status() != RoomStatus.INVITED) {
                    throw new EngineException(Problem.NO_INVITATION,
                            "there is no invitation to " + invited.state().name() + " to accept", invited.state().name());
                }
                Room joined = book.setStatus(id, RoomStatus.JOINED);
                membership.currentKey(joined.state());
                return joined;
            });
            room.state().members().keySet().stream().filter(peer -> !peer.equals(me.peerId()))
                    .forEach(reach::reachInBackground);
            return views.updated(room);
        });
    }

    /** Declines an invitation: leaves the room the inviter added us to, so its members know. */
    public void decline(RoomId id) throws EngineException {
        Room room = book.require(id);
        if (room.status() != RoomStatus.INVITED) {
            throw new EngineException(Problem.NO_INVITATION,
                    "there is no invitation to " + room.state().name() + " to decline", room.state().name());
        }
        leave(id);
    }

    /** Leaves a room; its history stays here, read-only. The last admin of a room with others makes one first. */
    public void leave(RoomId id) throws EngineException {
        command("leave the room", () -> {
            Room room = book.require(id);
            if (room.status() == RoomStatus.LEFT) {
                throw new EngineException(Problem.NOT_IN_ROOM, "you are no longer in " + room.state().name(),
                        room.state().name());
            }
            RoomState state = room.state();
            if (state.isAdmin(me.peerId()) && state.admins().size() == 1 && state.members().size() > 1) {
                throw new EngineException(Problem.LAST_ADMIN, "cannot leave " + state.name()
                        + ": you are its last admin; make another member an admin first", state.name());
            }
            return membership.change(id, "leave", new RoomChange.Leave(), left -> { });
        });
    }

    /** Removes a member (admins only); the others change keys, so the removed member reads nothing after this. */
    public RoomInfo remove(RoomId id, PeerId member) throws EngineException {
        return command("remove " + member, () -> views.info(membership.change(id, "remove "
                + views.nameOf(book.require(id).state(), member) + " from", new RoomChange.Remove(member),
                removed -> { })));
    }

    /** Renames a room (admins only). */
    public RoomInfo rename(RoomId id, String name) throws EngineException {
        return command("rename the room", () -> {
            checkName(name);
            return views.info(membership.change(id, "rename", new RoomChange.Rename(name), renamed -> { }));
        });
    }

    /** Makes a member an admin too (admins only). */
    public RoomInfo promote(RoomId id, PeerId member) throws EngineException {
        return command("make " + member + " an admin", () -> views.info(membership.change(id, "make "
                + views.nameOf(book.require(id).state(), member) + " an admin of", new RoomChange.Promote(member),
                promoted -> { })));
    }

    /**
     * Writes in a room: stored at once, then pushed to every member that can be reached; the rest sync it. Our
     * first message in a room since the engine started waits first, a few seconds at most, for the room's log from
     * the members we reach. Returns the message's id.
     */
    public MessageId say(RoomId id, String text) throws EngineException {
        return command("write in the room", () -> posts.say(id, text));
    }

    /** Every room we are in, were invited to or left, by name. */
    public List<RoomInfo> list() {
        return book.all().stream().map(views::info)
                .sorted(Comparator.comparing(RoomInfo::name, String.CASE_INSENSITIVE_ORDER)).toList();
    }

    /** The room with this id, if we are in it, were invited to it or left it. */
    public Optional<RoomInfo> get(RoomId id) {
        return book.get(id).map(views::info);
    }

    /** The newest {@code limit} lines of a room, messages and notices, oldest first. */
    public List<RoomMessage> history(RoomId id, int limit) throws EngineException {
        return storeAnswer("read the room's history", () -> {
            Room room = book.require(id);
            Page page = store.messages().newest(room.conversationId(), limit);
            return page.messages().reversed().stream().map(message -> views.message(room.state(), message)).toList();
        });
    }

    /** The newest {@code limit} lines of a room, oldest first, and where the page before them ends. */
    public RoomHistoryPage newest(RoomId id, int limit) throws EngineException {
        return storeAnswer("read the room's history", () -> {
            Room room = book.require(id);
            Page page = store.messages().newest(room.conversationId(), limit);
            return page(room, page.messages().reversed(), page.next().map(Rooms::historyCursor), Optional.empty());
        });
    }

    /** The {@code limit} lines just before {@code cursor}, oldest first: paging back through a room. */
    public RoomHistoryPage before(RoomId id, HistoryCursor cursor, int limit) throws EngineException {
        return storeAnswer("read the room's history", () -> {
            Room room = book.require(id);
            Page page = store.messages().before(room.conversationId(), storeCursor(cursor), limit);
            return page(room, page.messages().reversed(), page.next().map(Rooms::historyCursor),
                    page.messages().stream().findFirst().map(newest -> historyCursor(newest.cursor())));
        });
    }

    /** The {@code limit} lines just after {@code cursor}, oldest first: paging forward towards the present. */
    public RoomHistoryPage after(RoomId id, HistoryCursor cursor, int limit) throws EngineException {
        return storeAnswer("read the room's history", () -> {
            Room room = book.require(id);
            Page page = store.messages().after(room.conversationId(), storeCursor(cursor), limit);
            return page(room, page.messages(),
                    page.messages().stream().findFirst().map(oldest -> historyCursor(oldest.cursor())),
                    page.next().map(Rooms::historyCursor));
        });
    }

    /** A page of {@code lines}, oldest first, with our messages' deliveries. */
    private RoomHistoryPage page(Room room, List<StoredMessage> lines, Optional<HistoryCursor> older,
                                 Optional<HistoryCursor> newer) {
        List<RoomMessage> messages = lines.stream().map(message -> views.message(room.state(), message)).toList();
        List<MessageId> ours = messages.stream().filter(line -> line.outgoing() && !line.notice())
                .map(RoomMessage::id).toList();
        return new RoomHistoryPage(messages, older, newer, deliveries.of(room.state(), ours));
    }

    /** How far each of our messages {@code ours} in the room has reached: how many members have stored it. */
    public Map<MessageId, RoomDelivery> deliveries(RoomId id, List<MessageId> ours) throws EngineException {
        return storeAnswer("read how far the room's messages reached", () ->
                deliveries.of(book.require(id).state(), ours));
    }

    /**
     * The rooms we are in with messages of ours written since the engine started that no other member holds yet,
     * with how many: they reach the room only while we and some member are online together, so quitting now holds
     * them back until Parley runs again. What reached one member spreads by sync without us and is not listed.
     */
    public List<Undelivered> undelivered() throws EngineException {
        return storeAnswer("look for undelivered room messages", () -> book.all().stream()
                .filter(room -> room.status() == RoomStatus.JOINED)
                .map(room -> new Undelivered(room.id(), room.state().name(), deliveries.unreached(room.state())))
                .filter(waiting -> waiting.messages() > 0)
                .sorted(Comparator.comparing(Undelivered::name, String.CASE_INSENSITIVE_ORDER)).toList());
    }

    /** Each room's lines the user has not read, for the rooms with any. */
    public Map<RoomId, Integer> unread() throws EngineException {
        return storeAnswer("count the rooms' unread lines", () -> {
            Map<String, RoomId> byConversation = new HashMap<>();
            book.all().forEach(room -> byConversation.put(room.conversationId(), room.id()));
            Map<RoomId, Integer> unread = new HashMap<>();
            for (ConversationSummary summary : store.conversations().list()) {
                RoomId room = byConversation.get(summary.conversation().id());
                if (room != null && summary.unread() > 0) {
                    unread.put(room, summary.unread());
                }
            }
            return unread;
        });
    }

    private static HistoryCursor historyCursor(MessageCursor stored) {
        return new HistoryCursor(stored.hlc(), stored.messageId(), stored.sender());
    }

    private static MessageCursor storeCursor(HistoryCursor cursor) {
        return new MessageCursor(cursor.hlc(), cursor.messageId(), cursor.sender());
    }

    /** Marks every line of a room read; returns how many were unread. No receipts go out for rooms. */
    public int markRead(RoomId id) throws EngineException {
        return storeAnswer("mark the room read", () -> {
            Room room = book.require(id);
            List<StoredMessage> newest = store.messages().newest(room.conversationId(), 1).messages();
            return newest.isEmpty() ? 0
                    : store.messages().markRead(room.conversationId(), newest.getFirst().cursor()).size();
        });
    }

    private static void checkName(String name) throws EngineException {
        Optional<String> problem = ContactCard.displayNameProblem(name);
        if (problem.isPresent()) {
            throw new EngineException(Problem.UNUSABLE_NAME, "that room name cannot be used: "
                    + problem.get().replace("display name", "room name"), ContactCard.MAX_NAME_CODE_POINTS);
        }
    }

    /** Runs a command of the user's, once the engine is open: see {@link #storeAnswer}. */
    private <T> T command(String what, Work<T> command) throws EngineException {
        threads.checkOpen();
        return storeAnswer(what, command);
    }

    /**
     * Runs what the user asked for; the store refusing or failing (a full disk, say) becomes the user's error,
     * with what could not be done and the store's words for why.
     */
    private static <T> T storeAnswer(String what, Work<T> work) throws EngineException {
        try {
            return work.run();
        } catch (StoreException e) {
            throw new EngineException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws EngineException;
    }
}
