package dev.parley.app.engine.room;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.room.wire.RoomProtos;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.InvalidCardException;
import dev.parley.crypto.RoomId;
import dev.parley.transport.keys.InvalidKeyException;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One signed event of a room's membership log (room.proto). It is kept as the bytes its author signed, so that
 * its hash, which the next event names, is the same on every member's device.
 *
 * <pre>
 * SignedRoomEvent { event = RoomEvent bytes, signature }
 * signed bytes     "parley/room-event/1" 0x00 || RoomEvent bytes
 * hash             SHA-256 of the SignedRoomEvent bytes
 * </pre>
 *
 * {@link #decode} checks everything one event can show by itself: size, parsing, field sizes, the cards it
 * carries and the author's signature. Whether it fits the log (epoch, previous hash, the author's rights) is
 * {@link RoomState#apply}'s part.
 */
public final class RoomEvent {
    public static final int MAX_ENCODED_SIZE = 64 * 1024;
    public static final int MAX_ADDRESSES = 8;
    public static final int HASH_SIZE = 32;
    private static final byte[] SIGNATURE_DOMAIN = "parley/room-event/1\0".getBytes(StandardCharsets.UTF_8);

    private final byte[] encoded;
    private final byte[] hash;
    private final RoomId roomId;
    private final long epoch;
    private final byte[] prevHash;
    private final PeerId author;
    private final long hlc;
    private final RoomChange change;

    private RoomEvent(byte[] encoded, RoomId roomId, long epoch, byte[] prevHash, PeerId author, long hlc,
                      RoomChange change) {
        this.encoded = encoded;
        this.hash = sha256(encoded);
        this.roomId = roomId;
        this.epoch = epoch;
        this.prevHash = prevHash;
        this.author = author;
        this.hlc = hlc;
        this.change = change;
    }

    /**
     * Makes and signs an event.
     *
     * @param prevHash the hash of the event before; null for the creating event at epoch 0
     */
    public static RoomEvent sign(Identity author, RoomId room, long epoch, byte[] prevHash, long hlc,
                                 RoomChange change) {
        if ((epoch == 0) != (prevHash == null)) {
            throw new IllegalArgumentException("the event at epoch " + epoch
                    + (epoch == 0 ? " names no previous event" : " names the previous event's hash"));
        }
        RoomProtos.RoomEvent.Builder event = RoomProtos.RoomEvent.newBuilder()
                .setRoomId(ByteString.copyFrom(room.bytes()))
                .setEpoch(epoch)
                .setAuthor(ByteString.copyFrom(author.peerId().bytes()))
                .setHlc(hlc);
        if (prevHash != null) {
            event.setPrevHash(ByteString.copyFrom(prevHash));
        }
        switch (change) {
            case RoomChange.Create create -> event.setCreate(RoomProtos.Create.newBuilder().setName(create.name())
                    .setCreatorCard(ByteString.copyFrom(create.creator().encode()))
                    .addAllAddresses(addresses(create.addresses())));
            case RoomChange.Add add -> event.setAdd(RoomProtos.Add.newBuilder()
                    .setCard(ByteString.copyFrom(add.member().encode())).addAllAddresses(addresses(add.addresses())));
            case RoomChange.Remove remove -> event.setRemove(RoomProtos.Remove.newBuilder()
                    .setMember(ByteString.copyFrom(remove.member().bytes())));
            case RoomChange.Leave leave -> event.setLeave(RoomProtos.Leave.getDefaultInstance());
            case RoomChange.Rename rename -> event.setRename(RoomProtos.Rename.newBuilder().setName(rename.name()));
            case RoomChange.Promote promote -> event.setPromote(RoomProtos.Promote.newBuilder()
                    .setMember(ByteString.copyFrom(promote.member().bytes())));
        }
        byte[] eventBytes = event.build().toByteArray();
        byte[] signed = RoomProtos.SignedRoomEvent.newBuilder()
                .setEvent(ByteString.copyFrom(eventBytes))
                .setSignature(ByteString.copyFrom(author.sign(signedBytes(eventBytes))))
                .build().toByteArray();
        if (signed.length > MAX_ENCODED_SIZE) {
            throw new IllegalArgumentException("a membership event of " + signed.length
                    + " bytes exceeds the limit of " + MAX_ENCODED_SIZE);
        }
        return new RoomEvent(signed, room, epoch, prevHash == null ? null : prevHash.clone(), author.peerId(), hlc,
                change);
    }

    /**
     * Parses an event and checks what it shows by itself: its size, fields, cards and the author's signature.
     *
     * @throws InvalidRoomEventException naming what is wrong
     */
    public static RoomEvent decode(byte[] encoded) throws InvalidRoomEventException {
        if (encoded.length > MAX_ENCODED_SIZE) {
            throw new InvalidRoomEventException("membership event of " + encoded.length
                    + " bytes exceeds the limit of " + MAX_ENCODED_SIZE);
        }
        RoomProtos.SignedRoomEvent signed;
        RoomProtos.RoomEvent event;
        try {
            signed = RoomProtos.SignedRoomEvent.parseFrom(encoded);
            event = RoomProtos.RoomEvent.parseFrom(signed.getEvent());
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidRoomEventException("membership event does not parse: " + e.getMessage(), e);
        }
        RoomId room;
        PeerId author;
        try {
            room = RoomId.fromBytes(event.getRoomId().toByteArray());
            author = PeerId.fromBytes(event.getAuthor().toByteArray());
        } catch (IllegalArgumentException e) {
            throw new InvalidRoomEventException("membership event has an invalid room id or author: "
                    + e.getMessage(), e);
        }
        String where = "membership event at epoch " + event.getEpoch() + " of room " + room;
        byte[] prevHash = event.getPrevHash().isEmpty() ? null : event.getPrevHash().toByteArray();
        if (event.getEpoch() == 0 && prevHash != null) {
            throw new InvalidRoomEventException(where + " names a previous event; the first event names none");
        }
        if (event.getEpoch() > 0 && (prevHash == null || prevHash.length != HASH_SIZE)) {
            throw new InvalidRoomEventException(where + " must name the previous event's " + HASH_SIZE
                    + "-byte hash, not " + (prevHash == null ? "none" : prevHash.length + " bytes"));
        }
        try {
            if (!author.publicKey().verify(signedBytes(signed.getEvent().toByteArray()),
                    signed.getSignature().toByteArray())) {
                throw new InvalidRoomEventException(where + " is not signed by its author " + author);
            }
        } catch (InvalidKeyException e) {
            throw new InvalidRoomEventException(where + ": author " + author + " has no Ed25519 key", e);
        }
        RoomChange change = change(event, where);
        return new RoomEvent(encoded.clone(), room, event.getEpoch(), prevHash, author, event.getHlc(), change);
    }

    private static RoomChange change(RoomProtos.RoomEvent event, String where) throws InvalidRoomEventException {
        try {
            return switch (event.getChangeCase()) {
                case CREATE -> new RoomChange.Create(event.getCreate().getName(),
                        card(event.getCreate().getCreatorCard(), where),
                        addresses(event.getCreate().getAddressesList(), where));
                case ADD -> new RoomChange.Add(card(event.getAdd().getCard(), where),
                        addresses(event.getAdd().getAddressesList(), where));
                case REMOVE -> new RoomChange.Remove(PeerId.fromBytes(event.getRemove().getMember().toByteArray()));
                case LEAVE -> new RoomChange.Leave();
                case RENAME -> new RoomChange.Rename(event.getRename().getName());
                case PROMOTE -> new RoomChange.Promote(PeerId.fromBytes(event.getPromote().getMember().toByteArray()));
                case CHANGE_NOT_SET -> throw new InvalidRoomEventException(where + " changes nothing");
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidRoomEventException(where + " names an invalid member: " + e.getMessage(), e);
        }
    }

    private static ContactCard card(ByteString encoded, String where) throws InvalidRoomEventException {
        try {
            return ContactCard.decode(encoded.toByteArray());
        } catch (InvalidCardException e) {
            throw new InvalidRoomEventException(where + " carries a card that does not verify: " + e.getMessage(), e);
        }
    }

    private static List<Multiaddr> addresses(List<ByteString> encoded, String where) throws InvalidRoomEventException {
        if (encoded.size() > MAX_ADDRESSES) {
            throw new InvalidRoomEventException(where + " lists " + encoded.size() + " addresses; at most "
                    + MAX_ADDRESSES + " are taken");
        }
        List<Multiaddr> addresses = new ArrayList<>(encoded.size());
        for (ByteString address : encoded) {
            try {
                addresses.add(Multiaddr.fromBytes(address.toByteArray()));
            } catch (IllegalArgumentException e) {
                throw new InvalidRoomEventException(where + " lists an address that does not parse: "
                        + e.getMessage(), e);
            }
        }
        return addresses;
    }

    private static List<ByteString> addresses(List<Multiaddr> addresses) {
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException(addresses.size() + " addresses; an event lists at most " + MAX_ADDRESSES);
        }
        return addresses.stream().map(address -> ByteString.copyFrom(address.bytes())).toList();
    }

    private static byte[] signedBytes(byte[] eventBytes) {
        byte[] signed = Arrays.copyOf(SIGNATURE_DOMAIN, SIGNATURE_DOMAIN.length + eventBytes.length);
        System.arraycopy(eventBytes, 0, signed, SIGNATURE_DOMAIN.length, eventBytes.length);
        return signed;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public RoomId roomId() {
        return roomId;
    }

    public long epoch() {
        return epoch;
    }

    /** The previous event's hash; null for the creating event. */
    public byte[] prevHash() {
        return prevHash == null ? null : prevHash.clone();
    }

    public PeerId author() {
        return author;
    }

    public long hlc() {
        return hlc;
    }

    public RoomChange change() {
        return change;
    }

    /** SHA-256 of {@link #encode()}: what the next event names. */
    public byte[] hash() {
        return hash.clone();
    }

    /** The signed event, exactly as its author made it. */
    public byte[] encode() {
        return encoded.clone();
    }

    @Override
    public String toString() {
        return "RoomEvent[room " + roomId + ", epoch " + epoch + ", " + change.getClass().getSimpleName()
                + " by " + author + ", " + HexFormat.of().formatHex(hash, 0, 4) + "…]";
    }
}
