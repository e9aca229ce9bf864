package dev.parley.app.engine.api;

import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.transport.autonat.Reachability;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;
import java.util.Optional;

/** What the engine tells its subscribers, in order, on its one dispatcher thread. */
public sealed interface EngineEvent {
    /** Discovery found a Parley peer close by; its card gave the name. */
    record Nearby(NearbyPeer peer) implements EngineEvent {
    }

    /** A nearby peer went away. */
    record NearbyGone(PeerId peer) implements EngineEvent {
    }

    /** A stranger wrote first: the peer is stored as a request, with this first message. */
    record Request(PeerId peer, String name, ChatMessage message) implements EngineEvent {
    }

    /**
     * A request holds its quota (app/README.md, "Requests and rates"): its messages beyond it are acknowledged and
     * dropped until the user accepts it; {@code dropped} counts them all so far. A burst of them is reported once.
     */
    record RequestMessagesDropped(PeerId peer, String name, long dropped) implements EngineEvent {
    }

    /** A message arrived and is stored; each message is reported once, however often it was sent. */
    record MessageReceived(ChatMessage message, String senderName) implements EngineEvent {
    }

    /**
     * A message changed after it was shown: reactions, an edit, a deletion for everyone, or hidden here. {@code text}
     * and {@code details} are the message as it is now.
     */
    record MessageChanged(MessageRef message, MessageChange change, String text, MessageDetails details)
            implements EngineEvent {
    }

    /** The peer has stored our message. */
    record Delivered(PeerId peer, MessageId id) implements EngineEvent {
    }

    /** The peer has seen these messages of ours. */
    record Read(PeerId peer, List<MessageId> ids) implements EngineEvent {
        public Read {
            ids = List.copyOf(ids);
        }
    }

    /** The peer is typing to us. */
    record Typing(PeerId peer) implements EngineEvent {
    }

    /** A contact's first connection opened ({@code online}) or its last one closed. */
    record Presence(PeerId peer, boolean online) implements EngineEvent {
    }

    /**
     * How we are connected to a contact changed: a first connection, a direct one replacing a relayed one, the
     * last one closed ({@code connection} empty). The round trip was measured when the change was seen.
     */
    record ConnectionChanged(PeerId peer, Optional<ConnectionInfo> connection) implements EngineEvent {
    }

    /**
     * AutoNAT changed its mind about whether peers on the internet can dial us; {@code publicAddress} is where they
     * reached us, when they can.
     */
    record ReachabilityChanged(Reachability reachability, Optional<Multiaddr> publicAddress) implements EngineEvent {
    }

    /**
     * A peer became a contact, was accepted or blocked (by this user, through any client of the engine), or sent a
     * newer card, e.g. with a new name, when it connected.
     */
    record ContactUpdated(ContactInfo contact) implements EngineEvent {
    }

    /**
     * A room was created, joined or left, or its members, their roles or its name changed; also when this user was
     * removed from it ({@code room.status()} is then LEFT).
     */
    record RoomUpdated(RoomInfo room) implements EngineEvent {
    }

    /**
     * A contact invited this user into a room; it waits for {@link dev.parley.app.engine.room.Rooms#accept} or
     * {@link dev.parley.app.engine.room.Rooms#decline}.
     */
    record RoomInvitation(RoomInfo room, PeerId from, String fromName) implements EngineEvent {
    }

    /** A member's message or a membership notice arrived in a room; each is reported once. */
    record RoomMessageReceived(RoomMessage message) implements EngineEvent {
    }

    /**
     * Members of {@code room} stored more of our messages there ({@link dev.parley.app.engine.room.Rooms#deliveries}
     * says how far each has reached now).
     */
    record RoomDelivered(RoomId room) implements EngineEvent {
    }

    /**
     * A new secure session with the peer replaced one that no longer worked (after a restore, or a damaged one):
     * whatever was not yet delivered was sealed again under it, and the safety number is the same. Reported once per
     * renewal on each side, after its notice line ({@link ChatNotice#SESSION_RENEWED}) was stored in the
     * conversation with the peer.
     *
     * @param notice that line as the conversation now holds it; empty when it could not be stored (the log says why)
     */
    record SessionRenewed(PeerId peer, Optional<ChatMessage> notice) implements EngineEvent {
    }

    /**
     * These messages of ours were left in the peer's mailbox while the peer could not be reached: they show as SENT
     * ("in the peer's mailbox") until the peer has them ({@link Delivered}).
     */
    record InMailbox(PeerId peer, List<MessageId> ids) implements EngineEvent {
    }

    /**
     * These messages of ours were handed to {@code carrier}, a contact who keeps them for the peer while the peer can
     * be reached neither directly nor through a mailbox: they show as SENT ("with Carol for Bo") until delivered.
     */
    record WithCarrier(PeerId peer, PeerId carrier, List<MessageId> ids) implements EngineEvent {
    }

    /**
     * Messages from the peer that reached us through a mailbox or a carrier leave a gap: {@code missing} messages it
     * sent before some that arrived have not (a mailbox lost or withheld them). Its Parley keeps each until we have it,
     * and sends it when the two of us are next online together.
     */
    record MessagesMissing(PeerId peer, int missing) implements EngineEvent {
    }

    /**
     * A contact gave us a capability to its mailbox ({@code hasMailbox}), or said it has none any more: while it cannot
     * be reached, our messages for it go there.
     */
    record ContactMailbox(PeerId peer, boolean hasMailbox) implements EngineEvent {
    }

    /**
     * Our own mailbox changed: paired, unpaired, connected or not, or it brought messages (the area
     * {@link dev.parley.app.engine.mailbox.MailboxOwner#status} says how it is now).
     */
    record MailboxChanged(MailboxStatus status) implements EngineEvent {
    }

    /**
     * A file offered with a message moved on: fetched further (a few times a second at most), waiting for a holder,
     * paused, whole, cancelled or failed ({@link dev.parley.app.engine.files.Files}).
     */
    record FileProgress(MessageRef message, FileTransfer transfer) implements EngineEvent {
    }

    /** Something the user should know went wrong, e.g. a contact's message that could not be opened. */
    record Error(String message) implements EngineEvent {
    }
}
