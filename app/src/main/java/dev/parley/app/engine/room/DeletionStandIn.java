package dev.parley.app.engine.room;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.wire.ChatProtos;
import dev.parley.app.engine.wire.ChatProtos.Delete;
import dev.parley.app.engine.wire.ChatProtos.Edit;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.ReplayGuard;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.store.RoomEnvelope;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.transport.multiformats.PeerId;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deletion for everyone takes the place of every envelope that sealed its message's text under the room key: the
 * message's own and those of its edits ({@code RoomEnvelopes.standIn}). Every member that applies it overwrites them,
 * or keeps the deletion under their numbers when it lacks them, so the numbers stay held: room sync neither asks for
 * them again nor hands the text on, and a member that lacks one is handed the deletion instead.
 *
 * <p>The author names the numbers (chat.proto {@code Delete.target_number}, {@code edit_numbers}); only the author's
 * own deletion stands in, and only under numbers below its own (an author numbers its envelopes one after another:
 * what a deletion withdraws came before it), so a deletion can neither give up someone else's envelope nor hold a
 * place its author has not used yet. A held envelope under a named number is overwritten only if it is the message's
 * own, one of its edits (opened and read to be sure) or already wiped: a wrong number leaves its envelope alone.
 */
final class DeletionStandIn {
    /**
     * Numbers one deletion stands in for at most: its message's and those of far more edits than anyone makes of one
     * message. Each costs a write, and a deletion is one envelope of its author's.
     */
    static final int MAX_NUMBERS = 1_024;
    /** Our own and the room's envelopes, already taken: opening one again to read it is no replay. */
    private static final ReplayGuard READING_AGAIN = id -> true;
    private static final int PAGE = 500;
    private static final Logger log = LoggerFactory.getLogger(DeletionStandIn.class);

    private final TinkEnvelopeSealer sealer;
    private final SqliteStore store;
    private final RoomKeys keys;

    DeletionStandIn(TinkEnvelopeSealer sealer, SqliteStore store, RoomKeys keys) {
        this.sealer = sealer;
        this.store = store;
        this.keys = keys;
    }

    /**
     * Our deletion's payload with the numbers of the envelopes it withdraws: the message's, found by its id, and its
     * edits', found by opening our envelopes after it. Unchanged when we hold no envelope of the message.
     */
    byte[] numbered(RoomId room, PeerId me, byte[] payload) throws InvalidProtocolBufferException {
        Delete delete = Delete.parseFrom(payload);
        String target = MessageId.fromBytes(delete.getTarget().getMessageId().toByteArray()).toString();
        Long number = store.roomEnvelopes().senderNumbers(room.toString(), me.toBase58(), List.of(target))
                .get(target);
        if (number == null) {
            return payload;
        }
        Delete.Builder numbered = delete.toBuilder().setTargetNumber(number).clearEditNumbers();
        // Our edits under a chained key do not open for us again: those were noted as we sent them.
        Set<Long> noted = new HashSet<>(store.roomEnvelopes().ownEdits(room.toString(), target));
        long after = number;
        for (List<RoomEnvelope> page = store.roomEnvelopes().after(room.toString(), me.toBase58(), after, 0, PAGE);
                !page.isEmpty() && numbered.getEditNumbersCount() < MAX_NUMBERS - 1;
                page = store.roomEnvelopes().after(room.toString(), me.toBase58(), after, 0, PAGE)) {
            for (RoomEnvelope envelope : page) {
                boolean edit = noted.contains(envelope.senderSeq()) || isEditOf(envelope, delete.getTarget(), false);
                if (edit && numbered.getEditNumbersCount() < MAX_NUMBERS - 1) {
                    numbered.addEditNumbers(envelope.senderSeq());
                }
            }
            after = page.getLast().senderSeq();
        }
        return numbered.build().toByteArray();
    }

    /** The message a deletion withdrew, by its id and the number of its envelope among its author's. */
    record Withdrawn(MessageId message, long number) {
    }

    /**
     * Puts {@code deletion}, opened to {@code plaintext}, in the place of the envelopes it names. Returns the message it
     * withdrew with the number of its envelope, if known: named, or (from a Parley older than {@code target_number})
     * held here.
     */
    Optional<Withdrawn> put(RoomEnvelope deletion, byte[] plaintext) {
        try {
            Delete delete = Delete.parseFrom(plaintext);
            if (!PeerId.parse(delete.getTarget().getSender()).toBase58().equals(deletion.sender())) {
                return Optional.empty();
            }
            MessageId withdrawn = MessageId.fromBytes(delete.getTarget().getMessageId().toByteArray());
            String target = withdrawn.toString();
            long own = delete.getTargetNumber();
            if (own == 0) {
                own = store.roomEnvelopes().senderNumbers(deletion.roomId(), deletion.sender(), List.of(target))
                        .getOrDefault(target, 0L);
            }
            if (!mayName(deletion, own)) {
                return Optional.empty();
            }
            store.roomEnvelopes().standIn(deletion, own, target);
            Set<Long> edits = new TreeSet<>();
            for (long number : delete.getEditNumbersList()) {
                if (edits.size() < MAX_NUMBERS - 1 && number != own && mayName(deletion, number)) {
                    edits.add(number);
                }
            }
            for (long number : edits) {
                String replaceable = store.roomEnvelopes().held(deletion.roomId(), deletion.sender(), number)
                        .filter(held -> isEditOf(held, delete.getTarget(), true)).map(RoomEnvelope::messageId)
                        .orElse(target);
                store.roomEnvelopes().standIn(deletion, number, target, replaceable);
            }
            return Optional.of(new Withdrawn(withdrawn, own));
        } catch (InvalidProtocolBufferException | IllegalArgumentException | StoreException e) {
            log.info("deletion {} in room {} does not stand in for its message: {}", deletion.messageId(),
                    deletion.roomId(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether a deletion may name {@code number}: one its author used before it. */
    private static boolean mayName(RoomEnvelope deletion, long number) {
        if (number > 0 && number < deletion.senderSeq()) {
            return true;
        }
        if (number != 0) {
            log.info("deletion {} in room {} is number {} of {} and names number {}, which is not before it",
                    deletion.messageId(), deletion.roomId(), deletion.senderSeq(), deletion.sender(), number);
        }
        return false;
    }

    /**
     * Whether {@code envelope} is an edit of {@code target}: read, with the room's keys, to be sure. An edit under a
     * chained key whose message key is gone (we opened it already) no longer reads; with {@code namedByItsAuthor} (the
     * deletion's author, who sealed it, named its number in its signed deletion) its kind is taken for it.
     */
    private boolean isEditOf(RoomEnvelope envelope, ChatProtos.MessageRef target, boolean namedByItsAuthor) {
        try {
            if (Envelope.decode(envelope.envelope()).header().kind() != EnvelopeKind.EDIT) {
                return false;
            }
            Edit edit = Edit.parseFrom(sealer.openRoom(envelope.envelope(), keys.ring(), READING_AGAIN).plaintext());
            return edit.getTarget().getSender().equals(target.getSender())
                    && edit.getTarget().getMessageId().equals(target.getMessageId());
        } catch (EnvelopeException e) {
            return namedByItsAuthor && e.reason() == EnvelopeException.Reason.MESSAGE_KEY_GONE;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    /** Notes which message our edit envelope {@code edit}, whose payload is {@code payload}, changed. */
    void noteOwnEdit(RoomEnvelope edit, byte[] payload) {
        try {
            ChatProtos.MessageRef target = Edit.parseFrom(payload).getTarget();
            store.roomEnvelopes().noteOwnEdit(edit.roomId(), edit.senderSeq(),
                    MessageId.fromBytes(target.getMessageId().toByteArray()).toString());
        } catch (InvalidProtocolBufferException | IllegalArgumentException | StoreException e) {
            log.info("edit {} in room {} is not noted for its deletion: {}", edit.messageId(), edit.roomId(),
                    e.getMessage());
        }
    }
}
