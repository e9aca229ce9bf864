package dev.parley.store;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What happens to messages after they are written: replies and forwards (described when stored), reactions, edits,
 * deletion for everyone and for oneself, and actions that arrived before the message they name (V15MessageActions).
 *
 * <p>Every action is idempotent: a reaction carries its author's clock and loses to a newer one on the same
 * message, person and emoji; an edit is kept by its id; a deleted message stays deleted. So actions may arrive
 * twice, late or out of order and the outcome is the same. The store checks who may do what only where it needs
 * the message (an edit or deletion by someone who did not write it is {@link Outcome#REFUSED}); who may act in a
 * conversation at all is the app's business. Nobody reacts to, edits or deletes for everyone a
 * {@link MessageKind#NOTICE}: it says what happened in the conversation (who added whom), it is Parley's line, not
 * its event's author's, and a client of the author's own must not be able to rewrite or erase it. Every path an
 * action takes (live, room sync, a request, one that waited for its message, an import) meets that refusal here.
 */
public final class MessageActions {
    /**
     * Actions of one sender in one conversation kept while the message they name has not arrived: enough for the
     * reactions and edits of a long absence, and a bound on what a peer can make us keep for messages that never
     * come (beyond it they are dropped).
     */
    public static final int MAX_PENDING_PER_SENDER = 256;
    /** The longest emoji taken, in UTF-16 units: the longest family and flag sequences fit. */
    public static final int MAX_EMOJI_CHARS = 32;
    /**
     * The distinct emoji one person may have on one message, taken back ones included (their rows stay, so that a
     * late older add cannot undo the removal): more than anyone uses (Slack allows 23 different emoji on a message
     * from everyone together), and a bound on the rows, events and history pages one contact can make us carry for
     * one message. A new emoji beyond it is {@link Outcome#REFUSED}.
     */
    public static final int MAX_REACTIONS_PER_PERSON = 32;

    /** What an action did. */
    public enum Outcome {
        /** It changed the message. */
        APPLIED,
        /** It was applied before, or a newer action of its kind was, or the message is deleted. */
        UNCHANGED,
        /** The message is not here (yet). */
        MISSING,
        /**
         * Its author may not do it to this message: it is someone else's or a notice, or it would be a reaction beyond
         * {@link #MAX_REACTIONS_PER_PERSON}.
         */
        REFUSED
    }

    /** An action kept until the message it names arrives. */
    public enum PendingKind { REACT, UNREACT, EDIT, DELETE }

    /**
     * An action waiting for its message.
     *
     * @param detail the emoji of a reaction, the text of an edit, empty for a deletion
     */
    public record PendingAction(MessageKey target, String actor, String actionId, PendingKind kind, long hlc,
                                String detail, Instant receivedAt) {
    }

    /** Someone's reaction to a message. */
    public record Reaction(String reactor, String emoji) {
    }

    /**
     * What a message is besides its text.
     *
     * @param replyTo   the message it replies to, which may not be here
     * @param edited    whether its text was changed since it was written
     * @param deleted   whether its author deleted it for everyone (its text is gone)
     * @param hidden    whether the user deleted it here only
     * @param reactions who reacted with what, oldest first
     */
    public record Extras(Optional<MessageKey> replyTo, boolean forwarded, boolean edited, boolean deleted,
                         boolean hidden, List<Reaction> reactions) {
        public static final Extras NONE = new Extras(Optional.empty(), false, false, false, false, List.of());
    }

    /** One version of an edited message's text: the original first. */
    public record TextVersion(String body, long hlc, Instant at) {
    }

    private static final String SEQ = "SELECT seq FROM messages" + Messages.BY_KEY;

    private final Database database;

    MessageActions(Database database) {
        this.database = database;
    }

    /**
     * Records what a new message replies to and whether it was forwarded; nothing for a plain message. Call once the
     * message is stored; the future completes once this is durable.
     */
    public CompletableFuture<Void> describeAsync(MessageKey message, Optional<MessageKey> replyTo,
                                                 boolean forwarded) {
        if (replyTo.isEmpty() && !forwarded) {
            return CompletableFuture.completedFuture(null);
        }
        return database.writeAsync(session -> {
            Optional<Long> seq = seq(session, message);
            if (seq.isPresent()) {
                session.update("""
                        INSERT INTO message_extras (message_seq, reply_to_id, reply_to_sender, forwarded)
                        VALUES (?, ?, ?, ?)
                        ON CONFLICT (message_seq) DO UPDATE SET reply_to_id = excluded.reply_to_id,
                          reply_to_sender = excluded.reply_to_sender, forwarded = excluded.forwarded""",
                        seq.get(), replyTo.map(MessageKey::id).orElse(null),
                        replyTo.map(MessageKey::sender).orElse(null), forwarded ? 1 : 0);
            }
            return null;
        });
    }

    /** Adds ({@code present}) or removes {@code reactor}'s {@code emoji} on a message, unless a newer action did. */
    public Outcome react(MessageKey target, String reactor, String emoji, boolean present, long hlc) {
        checkEmoji(emoji);
        return database.write(session -> react(session, target, reactor, emoji, present, hlc));
    }

    /**
     * Changes the text of {@code target} to {@code body}, if {@code editor} wrote it; the text shown is that of the
     * edit with the newest clock, and every version is kept ({@link #versions}).
     *
     * @throws BodyTooLongException when the body exceeds {@link StoreLimits#MAX_BODY_BYTES}
     */
    public Outcome edit(MessageKey target, String editor, String editId, long hlc, String body, Instant at) {
        Messages.checkBody(editId, body);
        return database.write(session -> edit(session, target, editor, editId, hlc, body, at));
    }

    /**
     * Deletes a message for everyone, if {@code deleter} wrote it: its text, every earlier version and its
     * reactions are removed from the file, the search index and the WAL (the file is checkpointed), and the message
     * stays as "deleted". Actions still waiting for it are dropped.
     */
    public Outcome deleteForEveryone(MessageKey target, String deleter, Instant at) {
        Outcome outcome = database.write(session -> deleteForEveryone(session, target, deleter, at));
        if (outcome == Outcome.APPLIED) {
            database.checkpointAndTruncate();
        }
        return outcome;
    }

    /** Hides a message on this device only (delete for me); returns whether it was shown before. */
    public boolean hide(MessageKey target) {
        return database.write(session -> {
            Optional<Long> seq = seq(session, target);
            if (seq.isEmpty()) {
                return false;
            }
            boolean hidden = session.number("SELECT count(*) FROM message_extras WHERE message_seq = ? AND hidden = 1",
                    seq.get()) > 0;
            session.update("INSERT INTO message_extras (message_seq, hidden) VALUES (?, 1)"
                    + " ON CONFLICT (message_seq) DO UPDATE SET hidden = 1", seq.get());
            return !hidden;
        });
    }

    /**
     * Applies an action someone sent if its message is here, else keeps it to apply when the message arrives
     * ({@link #applyPending}), unless it is kept already or its sender has {@link #MAX_PENDING_PER_SENDER} waiting
     * in the conversation (then it is dropped). Both in one write, so a message stored meanwhile cannot miss it.
     * Returns what applying did: {@link Outcome#MISSING} when it was kept or dropped; {@link Outcome#REFUSED} for
     * an edit or deletion by someone other than the author, which is never kept.
     */
    public Outcome take(PendingAction action) {
        if (action.kind() == PendingKind.EDIT) {
            Messages.checkBody(action.actionId(), action.detail());
        } else if (action.kind() == PendingKind.REACT || action.kind() == PendingKind.UNREACT) {
            checkEmoji(action.detail());
        }
        boolean authorOnly = action.kind() == PendingKind.EDIT || action.kind() == PendingKind.DELETE;
        if (authorOnly && !action.actor().equals(action.target().sender())) {
            // Refused whether or not the message is here: kept, it could only ever be refused, or clear the author's.
            return Outcome.REFUSED;
        }
        record Taken(Outcome outcome, boolean wipedText) {
        }
        Taken taken = database.write(session -> {
            Outcome applied = apply(session, action);
            boolean droppedWaiting = applied == Outcome.MISSING && keep(session, action);
            return new Taken(applied, droppedWaiting
                    || applied == Outcome.APPLIED && action.kind() == PendingKind.DELETE);
        });
        if (taken.wipedText()) {
            // The text is gone from the tables; off the WAL too.
            database.checkpointAndTruncate();
        }
        return taken.outcome();
    }

    /**
     * Keeps an action for a message not here. A deletion replaces whatever waits for that message: the message will
     * be deleted on arrival, or never arrive (a room member holds nothing from before its joining), and either way
     * an edit's text or a reaction must not stay behind in the file. Once a deletion waits, nothing else is kept.
     * A deletion beyond the sender's bound takes the place of the sender's oldest waiting action: a late room member
     * keeps for ever what names messages from before its joining, and a deletion dropped for that would let its
     * message, arriving after it, keep its text.
     */
    private static boolean keep(SqliteSession session, PendingAction action) throws SQLException {
        MessageKey target = action.target();
        boolean dropped = false;
        if (action.kind() == PendingKind.DELETE) {
            dropped = dropPending(session, target) > 0;
        } else if (session.number("SELECT count(*) FROM pending_actions WHERE conversation_id = ? AND target_sender = ?"
                + " AND target_id = ? AND kind = 'DELETE'", target.conversationId(), target.sender(), target.id()) > 0) {
            return false;
        }
        long waiting = session.number("SELECT count(*) FROM pending_actions WHERE conversation_id = ? AND actor = ?",
                target.conversationId(), action.actor());
        if (waiting >= MAX_PENDING_PER_SENDER && action.kind() == PendingKind.DELETE
                && session.number("SELECT count(*) FROM pending_actions WHERE conversation_id = ? AND actor = ?"
                        + " AND action_id = ?", target.conversationId(), action.actor(), action.actionId()) == 0) {
            session.update("DELETE FROM pending_actions WHERE seq = (SELECT seq FROM pending_actions"
                    + " WHERE conversation_id = ? AND actor = ? ORDER BY seq LIMIT 1)", target.conversationId(),
                    action.actor());
            dropped = true;
            waiting--;
        }
        if (waiting < MAX_PENDING_PER_SENDER) {
            session.update("""
                    INSERT INTO pending_actions (conversation_id, target_sender, target_id, actor, action_id, kind, hlc,
                                                 detail, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id, actor, action_id) DO NOTHING""",
                    target.conversationId(), target.sender(), target.id(), action.actor(), action.actionId(),
                    action.kind(), action.hlc(), action.detail(), action.receivedAt());
        }
        return dropped;
    }

    private static Outcome apply(SqliteSession session, PendingAction action) throws SQLException {
        MessageKey message = action.target();
        return switch (action.kind()) {
            case REACT, UNREACT -> react(session, message, action.actor(), action.detail(),
                    action.kind() == PendingKind.REACT, action.hlc());
            case EDIT -> edit(session, message, action.actor(), action.actionId(), action.hlc(), action.detail(),
                    action.receivedAt());
            case DELETE -> deleteForEveryone(session, message, action.actor(), action.receivedAt());
        };
    }

    /**
     * Applies the actions that waited for {@code message}, which has arrived, in the order of their clocks, and
     * forgets them; returns the outcome of each.
     */
    public List<Outcome> applyPending(MessageKey message) {
        // Most messages have nothing waiting: a read finds that without a write.
        if (database.read(session -> session.number("SELECT count(*) FROM pending_actions WHERE conversation_id = ?"
                + " AND target_sender = ? AND target_id = ?", message.conversationId(), message.sender(),
                message.id())) == 0) {
            return List.of();
        }
        List<Outcome> outcomes = database.write(session -> {
            List<PendingAction> waiting = session.list("""
                    SELECT actor, action_id, kind, hlc, detail, received_at FROM pending_actions
                    WHERE conversation_id = ? AND target_sender = ? AND target_id = ? ORDER BY hlc, seq""",
                    row -> new PendingAction(message, row.getString("actor"), row.getString("action_id"),
                            SqliteSession.enumValue(row, "kind", PendingKind.class), row.getLong("hlc"),
                            row.getString("detail"), SqliteSession.instant(row, "received_at")),
                    message.conversationId(), message.sender(), message.id());
            List<Outcome> applied = new ArrayList<>();
            for (PendingAction action : waiting) {
                applied.add(apply(session, action));
            }
            dropPending(session, message);
            return applied;
        });
        if (outcomes.contains(Outcome.APPLIED)) {
            database.checkpointAndTruncate();
        }
        return outcomes;
    }

    /** How many actions wait in a conversation, from anyone. */
    public long pendingCount(String conversationId) {
        return database.read(session -> session.number("SELECT count(*) FROM pending_actions WHERE conversation_id = ?",
                conversationId));
    }

    /**
     * Puts back what an export said of a message (history import): what it replies to, the forward mark, every
     * version of an edited text, the reactions, the deletion and the hiding, in one write; what is held already
     * stays. Nothing for a message that is not stored. The importer calls it only for a message the import itself
     * brought. A message the file says was deleted for everyone keeps no text, no version and no reaction, whatever
     * else the file holds.
     */
    public void restore(MessageKey message, Extras extras, List<TextVersion> versions, Instant at) {
        boolean wiped = database.write(session -> {
            Optional<Long> seq = seq(session, message);
            if (seq.isEmpty()) {
                return false;
            }
            if (notice(session, seq.get())) {
                // A file may say a notice was edited, deleted or reacted to; no action takes a notice. Hiding is ours.
                if (extras.hidden()) {
                    session.update("INSERT INTO message_extras (message_seq, hidden) VALUES (?, 1)"
                            + " ON CONFLICT (message_seq) DO UPDATE SET hidden = 1", seq.get());
                }
                return false;
            }
            if (extras.deleted()) {
                session.update("UPDATE messages SET body = '' WHERE seq = ?", seq.get());
                session.update("INSERT INTO message_extras (message_seq, reply_to_id, reply_to_sender, forwarded,"
                        + " deleted_at, hidden) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (message_seq) DO UPDATE SET"
                        + " deleted_at = excluded.deleted_at, edited_hlc = NULL", seq.get(),
                        extras.replyTo().map(MessageKey::id).orElse(null),
                        extras.replyTo().map(MessageKey::sender).orElse(null), extras.forwarded() ? 1 : 0, at,
                        extras.hidden() ? 1 : 0);
                session.update("DELETE FROM message_edits WHERE message_seq = ?", seq.get());
                session.update("DELETE FROM reactions WHERE message_seq = ?", seq.get());
                dropPending(session, message);
                return true;
            }
            long edited = versions.stream().mapToLong(TextVersion::hlc).max().orElse(0);
            long original = versions.stream().mapToLong(TextVersion::hlc).min().orElse(0);
            session.update("""
                    INSERT INTO message_extras (message_seq, reply_to_id, reply_to_sender, forwarded, edited_hlc,
                                                deleted_at, hidden)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_seq) DO NOTHING""", seq.get(),
                    extras.replyTo().map(MessageKey::id).orElse(null),
                    extras.replyTo().map(MessageKey::sender).orElse(null), extras.forwarded() ? 1 : 0,
                    versions.size() > 1 ? edited : null, extras.deleted() ? at : null, extras.hidden() ? 1 : 0);
            for (TextVersion version : versions) {
                // The original's edit id is empty, as when it was first edited here; an edit's, its clock.
                session.update("INSERT INTO message_edits (message_seq, edit_id, hlc, body, at) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING", seq.get(), version.hlc() == original ? ""
                        : "imported-" + version.hlc(), version.hlc(), version.body(), version.at());
            }
            for (Reaction reaction : extras.reactions()) {
                if (EmojiSequence.isOneEmoji(reaction.emoji()) && reaction.emoji().length() <= MAX_EMOJI_CHARS
                        && session.number("SELECT count(*) FROM reactions WHERE message_seq = ? AND reactor = ?",
                                seq.get(), reaction.reactor()) < MAX_REACTIONS_PER_PERSON) {
                    session.update("INSERT INTO reactions (message_seq, reactor, emoji, hlc, present)"
                            + " VALUES (?, ?, ?, 0, 1) ON CONFLICT DO NOTHING", seq.get(), reaction.reactor(),
                            reaction.emoji());
                }
            }
            return false;
        });
        if (wiped) {
            database.checkpointAndTruncate();
        }
    }

    /**
     * Applies the actions that wait for messages now held, which came other than by arriving (a history import):
     * a deletion that came before its message must find it however it came.
     */
    public void applyPendingToHeld() {
        List<MessageKey> targets = database.read(session -> session.list("""
                SELECT DISTINCT p.conversation_id, p.target_sender, p.target_id FROM pending_actions p
                JOIN messages m ON m.conversation_id = p.conversation_id AND m.sender = p.target_sender
                  AND m.id = p.target_id""", row -> new MessageKey(row.getString(1), row.getString(2),
                row.getString(3))));
        for (MessageKey target : targets) {
            applyPending(target);
        }
    }

    /** What each of {@code messages} is besides its text; {@link Extras#NONE} for those with nothing. */
    public Map<MessageKey, Extras> extras(List<MessageKey> messages) {
        return database.read(session -> {
            Map<MessageKey, Extras> extras = new LinkedHashMap<>();
            for (MessageKey key : messages) {
                extras.put(key, extras(session, key));
            }
            return extras;
        });
    }

    /** Every version of a message's text, the original first; empty if it was never edited (or is deleted). */
    public List<TextVersion> versions(MessageKey message) {
        return database.read(session -> {
            Optional<Long> seq = seq(session, message);
            if (seq.isEmpty()) {
                return List.of();
            }
            return session.list("SELECT body, hlc, at FROM message_edits WHERE message_seq = ? ORDER BY hlc, edit_id",
                    row -> new TextVersion(row.getString("body"), row.getLong("hlc"), SqliteSession.instant(row, "at")),
                    seq.get());
        });
    }

    private static Extras extras(SqliteSession session, MessageKey key) throws SQLException {
        Optional<Long> seq = seq(session, key);
        if (seq.isEmpty()) {
            return Extras.NONE;
        }
        List<Reaction> reactions = session.list(
                "SELECT reactor, emoji FROM reactions WHERE message_seq = ? AND present = 1 ORDER BY hlc",
                row -> new Reaction(row.getString("reactor"), row.getString("emoji")), seq.get());
        return session.first("""
                SELECT reply_to_id, reply_to_sender, forwarded, edited_hlc, deleted_at, hidden
                FROM message_extras WHERE message_seq = ?""", row -> {
            String replyId = row.getString("reply_to_id");
            Optional<MessageKey> replyTo = replyId == null ? Optional.empty()
                    : Optional.of(new MessageKey(key.conversationId(), row.getString("reply_to_sender"), replyId));
            row.getLong("edited_hlc");
            boolean edited = !row.wasNull();
            row.getLong("deleted_at");
            boolean deleted = !row.wasNull();
            return new Extras(replyTo, row.getInt("forwarded") == 1, edited && !deleted, deleted,
                    row.getInt("hidden") == 1, reactions);
        }, seq.get()).orElse(reactions.isEmpty() ? Extras.NONE
                : new Extras(Optional.empty(), false, false, false, false, reactions));
    }

    private static Outcome react(SqliteSession session, MessageKey target, String reactor, String emoji,
                                 boolean present, long hlc) throws SQLException {
        Optional<Long> seq = seq(session, target);
        if (seq.isEmpty()) {
            return Outcome.MISSING;
        }
        if (notice(session, seq.get())) {
            return Outcome.REFUSED;
        }
        if (deleted(session, seq.get())) {
            return Outcome.UNCHANGED;
        }
        Optional<Boolean> before = session.first(
                "SELECT present FROM reactions WHERE message_seq = ? AND reactor = ? AND emoji = ?",
                row -> row.getInt("present") == 1, seq.get(), reactor, emoji);
        if (before.isEmpty() && session.number("SELECT count(*) FROM reactions WHERE message_seq = ? AND reactor = ?",
                seq.get(), reactor) >= MAX_REACTIONS_PER_PERSON) {
            return Outcome.REFUSED;
        }
        int changed = session.update("""
                INSERT INTO reactions (message_seq, reactor, emoji, hlc, present) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (message_seq, reactor, emoji) DO UPDATE SET hlc = excluded.hlc, present = excluded.present
                WHERE excluded.hlc > reactions.hlc""", seq.get(), reactor, emoji, hlc, present ? 1 : 0);
        return changed > 0 && before.orElse(false) != present ? Outcome.APPLIED : Outcome.UNCHANGED;
    }

    private static Outcome edit(SqliteSession session, MessageKey target, String editor, String editId, long hlc,
                                String body, Instant at) throws SQLException {
        record Current(long seq, long hlc, String body, Instant sentAt) {
        }
        Optional<Current> current = session.first("SELECT seq, hlc, body, sent_at FROM messages" + Messages.BY_KEY,
                row -> new Current(row.getLong("seq"), row.getLong("hlc"), row.getString("body"),
                        SqliteSession.instant(row, "sent_at")), target.id(), target.conversationId(), target.sender());
        if (current.isEmpty()) {
            return Outcome.MISSING;
        }
        if (!editor.equals(target.sender()) || notice(session, current.get().seq())) {
            return Outcome.REFUSED;
        }
        long seq = current.get().seq();
        if (deleted(session, seq)) {
            return Outcome.UNCHANGED;
        }
        long shownHlc = session.first("SELECT edited_hlc FROM message_extras WHERE message_seq = ?"
                + " AND edited_hlc IS NOT NULL", row -> row.getLong(1), seq).orElse(current.get().hlc());
        // The original is the first version; its id is empty, which no edit's id is.
        session.update("INSERT INTO message_edits (message_seq, edit_id, hlc, body, at) VALUES (?, '', ?, ?, ?)"
                + " ON CONFLICT DO NOTHING", seq, current.get().hlc(), current.get().body(), current.get().sentAt());
        if (session.update("INSERT INTO message_edits (message_seq, edit_id, hlc, body, at) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING", seq, editId, hlc, body, at) == 0 || hlc <= shownHlc) {
            return Outcome.UNCHANGED;
        }
        session.update("UPDATE messages SET body = ? WHERE seq = ?", body, seq);
        session.update("INSERT INTO message_extras (message_seq, edited_hlc) VALUES (?, ?)"
                + " ON CONFLICT (message_seq) DO UPDATE SET edited_hlc = excluded.edited_hlc", seq, hlc);
        return Outcome.APPLIED;
    }

    private static Outcome deleteForEveryone(SqliteSession session, MessageKey target, String deleter, Instant at)
            throws SQLException {
        Optional<Long> seq = seq(session, target);
        if (seq.isEmpty()) {
            return Outcome.MISSING;
        }
        if (!deleter.equals(target.sender()) || notice(session, seq.get())) {
            return Outcome.REFUSED;
        }
        if (deleted(session, seq.get())) {
            return Outcome.UNCHANGED;
        }
        // The update trigger takes the old text's terms out of the search index (secure-delete: from its segments).
        session.update("UPDATE messages SET body = '' WHERE seq = ?", seq.get());
        session.update("DELETE FROM message_edits WHERE message_seq = ?", seq.get());
        session.update("DELETE FROM reactions WHERE message_seq = ?", seq.get());
        // In a room, its envelope holds the text sealed under the room key: wiped too (RoomEnvelopes.standIn puts the
        // deletion in its place, unless a deletion stands there already). The row stays: room sync counts it held.
        session.update("""
                UPDATE room_envelopes SET envelope = X'' WHERE sender = ? AND message_id = ?
                  AND room_id = (SELECT room_id FROM conversations WHERE id = ?)
                  AND NOT EXISTS (SELECT 1 FROM room_envelopes d WHERE d.room_id = room_envelopes.room_id
                    AND d.sender = room_envelopes.sender AND d.envelope = room_envelopes.envelope
                    AND d.sender_seq <> room_envelopes.sender_seq)""",
                target.sender(), target.id(), target.conversationId());
        session.update("INSERT INTO message_extras (message_seq, deleted_at) VALUES (?, ?)"
                + " ON CONFLICT (message_seq) DO UPDATE SET deleted_at = excluded.deleted_at, edited_hlc = NULL",
                seq.get(), at);
        dropPending(session, target);
        return Outcome.APPLIED;
    }

    private static int dropPending(SqliteSession session, MessageKey target) throws SQLException {
        return session.update("DELETE FROM pending_actions WHERE conversation_id = ? AND target_sender = ? AND target_id = ?",
                target.conversationId(), target.sender(), target.id());
    }

    private static boolean notice(SqliteSession session, long seq) throws SQLException {
        return session.number("SELECT count(*) FROM messages WHERE seq = ? AND kind = ?", seq,
                MessageKind.NOTICE.name()) > 0;
    }

    private static boolean deleted(SqliteSession session, long seq) throws SQLException {
        return session.number("SELECT count(*) FROM message_extras WHERE message_seq = ? AND deleted_at IS NOT NULL",
                seq) > 0;
    }

    private static Optional<Long> seq(SqliteSession session, MessageKey key) throws SQLException {
        return session.first(SEQ, row -> row.getLong("seq"), key.id(), key.conversationId(), key.sender());
    }

    private static void checkEmoji(String emoji) {
        if (emoji.length() > MAX_EMOJI_CHARS || !EmojiSequence.isOneEmoji(emoji)) {
            throw new InvalidInputException("'" + emoji + "' is not a reaction: one emoji of at most "
                    + MAX_EMOJI_CHARS + " characters");
        }
    }
}
