package dev.parley.app.engine.room;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.room.wire.RoomProtos;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.InvalidCardException;
import dev.parley.crypto.RoomId;
import dev.parley.transport.keys.InvalidKeyException;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One signed event of a room's membership log (room.proto). It is kept as the bytes its author signed, so that
 * its hash, which later events name as a parent, is the same on every member's device.
 *
 * <pre>
 * SignedRoomEvent { event = RoomEvent bytes, signature }       canonical: re-encodes to the same bytes
 * RoomEvent       { room_id, epoch, parents[], author, hlc, change }
 * signed bytes    "parley/room-event/2" 0x00 || RoomEvent bytes
 * hash            SHA-256 of the SignedRoomEvent bytes
 * </pre>
 *
 * <p>The hash covers the signature as well as the event, and only one encoding of an event is taken: a wrapper
 * with an extra field, a field twice or a longer varint would otherwise give the same signed event many hashes,
 * one of which its holder could choose.
 *
 * <p>{@link #decode} checks everything one event can show by itself: size, canonical form, field sizes, the card it
 * carries and the author's signature. Whether it fits the log (its parents are held, its epoch counts their
 * ancestors, its author was a member there) is {@link RoomLog#add}'s part; what it changes is
 * {@link RoomResolver}'s.
 */
public final class RoomEvent {
    public static final int MAX_ENCODED_SIZE = 64 * 1024;
    public static final int HASH_SIZE = 32;
    /** An author names every head it holds; beyond this many, the rest wait for its next event. */
    public static final int MAX_PARENTS = 64;
    /** Ordering of hashes, the tie-break between events of one epoch: unsigned bytes, lowest first. */
    public static final Comparator<byte[]> HASH_ORDER = Arrays::compareUnsigned;
    private static final byte[] SIGNATURE_DOMAIN = "parley/room-event/2\0".getBytes(StandardCharsets.UTF_8);

    private final byte[] encoded;
    private final byte[] hash;
    private final RoomId roomId;
    private final long epoch;
    private final List<byte[]> parents;
    private final PeerId author;
    private final long hlc;
    private final RoomChange change;

    private RoomEvent(byte[] encoded, RoomId roomId, long epoch, List<byte[]> parents, PeerId author, long hlc,
                      RoomChange change) {
        this.encoded = encoded;
        this.hash = sha256(encoded);
        this.roomId = roomId;
        this.epoch = epoch;
        this.parents = parents;
        this.author = author;
        this.hlc = hlc;
        this.change = change;
    }

    /**
     * Makes and signs an event.
     *
     * @param epoch   how many events its parents and their ancestors are; 0 for the creating event
     * @param parents the hashes of the heads the author holds, at most {@link #MAX_PARENTS}; none for the creating
     *                event
     */
    public static RoomEvent sign(Identity author, RoomId room, long epoch, List<byte[]> parents, long hlc,
                                 RoomChange change) {
        if ((epoch == 0) != parents.isEmpty() || epoch < 0 || parents.size() > MAX_PARENTS) {
            throw new IllegalArgumentException("an event at epoch " + epoch + " with " + parents.size()
                    + " parents: the creating event has none and is at 0, every other has 1 to " + MAX_PARENTS);
        }
        List<byte[]> sorted = parents.stream().map(byte[]::clone).sorted(HASH_ORDER).toList();
        RoomProtos.RoomEvent.Builder event = RoomProtos.RoomEvent.newBuilder()
                .setRoomId(ByteString.copyFrom(room.bytes()))
                .setEpoch(epoch)
                .setAuthor(ByteString.copyFrom(author.peerId().bytes()))
                .setHlc(hlc);
        sorted.forEach(parent -> event.addParents(ByteString.copyFrom(parent)));
        switch (change) {
            case RoomChange.Create create -> event.setCreate(RoomProtos.Create.newBuilder().setName(create.name())
                    .setCreatorCard(ByteString.copyFrom(create.creator().encode()))
                    .setSalt(ByteString.copyFrom(create.salt())));
            case RoomChange.Add add -> event.setAdd(RoomProtos.Add.newBuilder()
                    .setCard(ByteString.copyFrom(add.member().encode())));
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
        return new RoomEvent(signed, room, epoch, sorted, author.peerId(), hlc, change);
    }

    /**
     * Parses an event and checks what it shows by itself: its size, canonical form, fields, card and the author's
     * signature.
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
        if (!Arrays.equals(canonical(signed).toByteArray(), encoded)
                || !canonical(event).toByteString().equals(signed.getEvent())) {
            throw new InvalidRoomEventException("membership event is not in its one canonical encoding (an unknown,"
                    + " repeated or misplaced field, or a padded number): its hash would not be its own");
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
        String where = "membership event at epoch " + Long.toUnsignedString(event.getEpoch()) + " of room " + room;
        if (event.getEpoch() < 0 || event.getEpoch() >= RoomLog.MAX_EVENTS_WITH_DEPARTURES) {
            throw new InvalidRoomEventException(where + ": a room takes events only below epoch "
                    + RoomLog.MAX_EVENTS_WITH_DEPARTURES);
        }
        List<byte[]> parents = parents(event, where);
        if ((event.getEpoch() == 0) != parents.isEmpty()) {
            throw new InvalidRoomEventException(where + (parents.isEmpty()
                    ? " names no parent; only the creating event, at epoch 0, has none"
                    : " names parents; the creating event, at epoch 0, has none"));
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
        return new RoomEvent(encoded.clone(), room, event.getEpoch(), parents, author, event.getHlc(), change);
    }

    /** The same message built afresh from its known fields: what its canonical bytes are. */
    private static RoomProtos.SignedRoomEvent canonical(RoomProtos.SignedRoomEvent signed) {
        return RoomProtos.SignedRoomEvent.newBuilder().setEvent(signed.getEvent()).setSignature(signed.getSignature())
                .build();
    }

    private static RoomProtos.RoomEvent canonical(RoomProtos.RoomEvent event) {
        RoomProtos.RoomEvent.Builder fresh = RoomProtos.RoomEvent.newBuilder().setRoomId(event.getRoomId())
                .setEpoch(event.getEpoch()).addAllParents(event.getParentsList()).setAuthor(event.getAuthor())
                .setHlc(event.getHlc());
        switch (event.getChangeCase()) {
            case CREATE -> fresh.setCreate(RoomProtos.Create.newBuilder().setName(event.getCreate().getName())
                    .setCreatorCard(event.getCreate().getCreatorCard()).setSalt(event.getCreate().getSalt()));
            case ADD -> fresh.setAdd(RoomProtos.Add.newBuilder().setCard(event.getAdd().getCard()));
            case REMOVE -> fresh.setRemove(RoomProtos.Remove.newBuilder().setMember(event.getRemove().getMember()));
            case LEAVE -> fresh.setLeave(RoomProtos.Leave.getDefaultInstance());
            case RENAME -> fresh.setRename(RoomProtos.Rename.newBuilder().setName(event.getRename().getName()));
            case PROMOTE -> fresh.setPromote(RoomProtos.Promote.newBuilder()
                    .setMember(event.getPromote().getMember()));
            case CHANGE_NOT_SET -> { }
        }
        return fresh.build();
    }

    private static List<byte[]> parents(RoomProtos.RoomEvent event, String where) throws InvalidRoomEventException {
        if (event.getParentsCount() > MAX_PARENTS) {
            throw new InvalidRoomEventException(where + " names " + event.getParentsCount() + " parents; at most "
                    + MAX_PARENTS + " are taken");
        }
        List<byte[]> parents = new ArrayList<>(event.getParentsCount());
        for (ByteString parent : event.getParentsList()) {
            byte[] hash = parent.toByteArray();
            if (hash.length != HASH_SIZE) {
                throw new InvalidRoomEventException(where + " names a parent of " + hash.length + " bytes, not a "
                        + HASH_SIZE + "-byte hash");
            }
            if (!parents.isEmpty() && HASH_ORDER.compare(parents.getLast(), hash) >= 0) {
                throw new InvalidRoomEventException(where + " names its parents out of order or twice");
            }
            parents.add(hash);
        }
        return List.copyOf(parents);
    }

    private static RoomChange change(RoomProtos.RoomEvent event, String where) throws InvalidRoomEventException {
        try {
            return switch (event.getChangeCase()) {
                case CREATE -> new RoomChange.Create(event.getCreate().getName(),
                        card(event.getCreate().getCreatorCard(), where), event.getCreate().getSalt().toByteArray());
                case ADD -> new RoomChange.Add(card(event.getAdd().getCard(), where));
                case REMOVE -> new RoomChange.Remove(PeerId.fromBytes(event.getRemove().getMember().toByteArray()));
                case LEAVE -> new RoomChange.Leave();
                case RENAME -> new RoomChange.Rename(event.getRename().getName());
                case PROMOTE -> new RoomChange.Promote(PeerId.fromBytes(event.getPromote().getMember().toByteArray()));
                case CHANGE_NOT_SET -> throw new InvalidRoomEventException(where + " changes nothing");
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidRoomEventException(where + " is malformed: " + e.getMessage(), e);
        }
    }

    private static ContactCard card(ByteString encoded, String where) throws InvalidRoomEventException {
        try {
            return ContactCard.decode(encoded.toByteArray());
        } catch (InvalidCardException e) {
            throw new InvalidRoomEventException(where + " carries a card that does not verify: " + e.getMessage(), e);
        }
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

    /** How many events precede this one: its ancestors. 0 for the creating event. */
    public long epoch() {
        return epoch;
    }

    /** The hashes of the events this one follows directly, ascending; none for the creating event. */
    public List<byte[]> parents() {
        return parents.stream().map(byte[]::clone).toList();
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

    /** Who this event takes out of the room, if anyone: the member it removes, or its author leaving. */
    public Optional<PeerId> departing() {
        return switch (change) {
            case RoomChange.Remove remove -> Optional.of(remove.member());
            case RoomChange.Leave leave -> Optional.of(author);
            default -> Optional.empty();
        };
    }

    /** SHA-256 of {@link #encode()}: what later events name. */
    public byte[] hash() {
        return hash.clone();
    }

    /** {@link #HASH_ORDER} of the two events' hashes, without copying them. */
    int compareHash(RoomEvent other) {
        return HASH_ORDER.compare(hash, other.hash);
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
