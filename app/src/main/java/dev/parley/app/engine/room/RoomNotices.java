package dev.parley.app.engine.room;

import dev.parley.app.engine.time.HybridClock;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.MessageId;
import dev.parley.store.Direction;
import dev.parley.store.InsertOutcome;
import dev.parley.store.MessageKey;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.Notice;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoredMessage;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Optional;

/**
 * The notices of membership events in a room's conversation ("Alice added Bob"). Every member stores the same one
 * for each event that takes effect: its id derives from the event's hash and its time is the event's, so it has the
 * same place in every member's conversation; a notice whose event a departure later voids is taken away. What is
 * stored is what happened (a {@link Notice}: the change, who made it, to whom); the sentence is rendered where the
 * notice is shown ({@link RoomViews#message}), with the names known then.
 */
public final class RoomNotices {
    private static final byte[] NOTICE_ID_DOMAIN = "parley/room-notice-id/1\0".getBytes(StandardCharsets.UTF_8);

    private final PeerId me;
    private final SqliteStore store;
    private final RoomViews views;
    private final InstantSource time;

    RoomNotices(PeerId me, SqliteStore store, RoomViews views, InstantSource time) {
        this.me = me;
        this.store = store;
        this.views = views;
        this.time = time;
    }

    /** Stores the notice of {@code event}, which takes effect in the room now at {@code state}, and reports it once. */
    void took(RoomState state, RoomEvent event) {
        StoredMessage notice = new StoredMessage(noticeId(event).toString(),
                ConversationId.of(state.roomId()).toString(), event.author().toBase58(), event.hlc(),
                Instant.ofEpochMilli(HybridClock.millis(event.hlc())), time.instant(),
                event.author().equals(me) ? Direction.OUTGOING : Direction.INCOMING, MessageKind.NOTICE,
                notice(event).encode(), MessageState.READ);
        if (store.messages().insert(notice) == InsertOutcome.INSERTED) {
            views.received(state, notice);
        }
    }

    /** Takes away the notice of {@code event}, which no longer takes effect: a departure voided it. */
    void voided(String conversationId, RoomEvent event) {
        store.messages().delete(new MessageKey(conversationId, event.author().toBase58(), noticeId(event).toString()));
    }

    /** A notice's id: derived from its event's hash under a domain of its own, so no message id can be made equal. */
    public static MessageId noticeId(RoomEvent event) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(NOTICE_ID_DOMAIN);
            return MessageId.fromBytes(Arrays.copyOf(digest.digest(event.hash()), 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** What {@code event} did, as its notice keeps it. */
    static Notice notice(RoomEvent event) {
        String actor = event.author().toBase58();
        return switch (event.change()) {
            case RoomChange.Create create -> new Notice(Notice.Event.CREATED, actor, Optional.empty(),
                    Optional.of(create.name()));
            case RoomChange.Add add -> new Notice(Notice.Event.ADDED, actor,
                    Optional.of(add.member().peerId().toBase58()), Optional.empty());
            case RoomChange.Remove remove -> new Notice(Notice.Event.REMOVED, actor,
                    Optional.of(remove.member().toBase58()), Optional.empty());
            case RoomChange.Leave leave -> new Notice(Notice.Event.LEFT, actor, Optional.empty(), Optional.empty());
            case RoomChange.Rename rename -> new Notice(Notice.Event.RENAMED, actor, Optional.empty(),
                    Optional.of(rename.name()));
            case RoomChange.Promote promote -> new Notice(Notice.Event.PROMOTED, actor,
                    Optional.of(promote.member().toBase58()), Optional.empty());
        };
    }
}
