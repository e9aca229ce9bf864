package dev.parley.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Files offered with messages (app/README.md, "Files"): each offer, how far its transfer came, and which stored copy
 * holds its bytes. The bytes themselves live in files beside the database, which the app keeps; the store only names
 * them, by content.
 */
public final class Attachments {
    private static final String COLUMNS = "conversation_id, sender, message_id, root, offer, size, chunks, leaves, held,"
            + " state, content";
    private static final String BY_MESSAGE = " WHERE conversation_id = ? AND sender = ? AND message_id = ?";

    private final Database database;

    Attachments(Database database) {
        this.database = database;
    }

    /**
     * Keeps the file a message offers, before the message itself is stored: a crash between the two leaves an offer
     * with no message, which the message's second delivery finds. An offer kept already for the message stays as it
     * is, so a second copy of the message, whatever its offer says, changes nothing.
     *
     * @return whether this offer was new
     */
    public boolean offer(Attachment attachment) {
        return Database.await(offerAsync(attachment));
    }

    /**
     * Like {@link #offer}, queued: the writer commits it before, or with, any write queued after it (the message
     * that offers the file), so a caller on the path that stores messages never waits for a commit here.
     */
    public CompletableFuture<Boolean> offerAsync(Attachment attachment) {
        Check.present("attachment", attachment);
        MessageKey key = attachment.message();
        return database.writeAsync(session -> session.update("INSERT INTO attachments (" + COLUMNS + ")"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                key.conversationId(), key.sender(), key.id(), attachment.root(), attachment.offer(), attachment.size(),
                attachment.chunks(), attachment.leaves().orElse(null), attachment.held(), attachment.state().name(),
                attachment.content().orElse(null)) == 1);
    }

    /** The file {@code message} offers, if it offers one. */
    public Optional<Attachment> get(MessageKey message) {
        Check.present("message", message);
        return database.read(session -> session.first("SELECT " + COLUMNS + " FROM attachments" + BY_MESSAGE,
                Attachments::read, message.conversationId(), message.sender(), message.id()));
    }

    /** An offer as a server first looks at it: which message, how far, which copy; none of its bytes. */
    public record Offered(MessageKey message, AttachmentState state, Optional<String> content) {
    }

    /**
     * Every offer of the file whose tree has this root, in any conversation, without the offer's bytes and leaves: what
     * a peer's request naming the root costs before we know the peer may have it.
     */
    public List<Offered> offersOf(byte[] root) {
        Check.present("root", root);
        return database.read(session -> session.list(
                "SELECT conversation_id, sender, message_id, state, content FROM attachments WHERE root = ?",
                row -> new Offered(new MessageKey(row.getString("conversation_id"), row.getString("sender"),
                        row.getString("message_id")), AttachmentState.valueOf(row.getString("state")),
                        Optional.ofNullable(row.getString("content"))), (Object) root));
    }

    /** How the file {@code message} offers stands, without its bytes, if it offers one. */
    public Optional<Offered> offeredBy(MessageKey message) {
        Check.present("message", message);
        return database.read(session -> session.first("SELECT state, content FROM attachments" + BY_MESSAGE,
                row -> new Offered(message, AttachmentState.valueOf(row.getString("state")),
                        Optional.ofNullable(row.getString("content"))), message.conversationId(), message.sender(),
                message.id()));
    }

    /**
     * The offer's bytes as the app encoded them, if {@code message} offers a file whose leaf hashes are recorded: what a
     * server keeps while a stream asks for the file, without the leaves (which a file of a million chunks has 32 MiB
     * of).
     */
    public Optional<byte[]> offerWithLeaves(MessageKey message) {
        Check.present("message", message);
        return database.read(session -> session.first("SELECT offer FROM attachments" + BY_MESSAGE
                        + " AND leaves IS NOT NULL", row -> row.getBytes(1), message.conversationId(), message.sender(),
                message.id()));
    }

    /**
     * {@code count} leaf hashes of {@code hashSize} bytes each from the {@code first}, read from the store alone; empty
     * when the message offers no file or its leaves are not recorded, shorter when they end before.
     */
    public Optional<byte[]> leavesOf(MessageKey message, long first, int count, int hashSize) {
        Check.present("message", message);
        if (first < 0 || count < 0 || hashSize <= 0) {
            throw new IllegalArgumentException("leaves " + first + " + " + count + " of " + hashSize + " bytes");
        }
        // substr on a blob counts bytes, from 1.
        return database.read(session -> session.first("SELECT substr(leaves, ?, ?) FROM attachments" + BY_MESSAGE
                        + " AND leaves IS NOT NULL", row -> row.getBytes(1), first * hashSize + 1,
                (long) count * hashSize, message.conversationId(), message.sender(), message.id()));
    }

    /** The chunks of the file {@code message} offers that are recorded as on disk, if it offers one. */
    public Optional<byte[]> heldOf(MessageKey message) {
        Check.present("message", message);
        return database.read(session -> session.first("SELECT held FROM attachments" + BY_MESSAGE,
                row -> row.getBytes(1), message.conversationId(), message.sender(), message.id()));
    }

    /** Every offer of the file whose tree has this root, in any conversation. */
    public List<Attachment> byRoot(byte[] root) {
        Check.present("root", root);
        return database.read(session -> session.list("SELECT " + COLUMNS + " FROM attachments WHERE root = ?",
                Attachments::read, (Object) root));
    }

    /** The messages of a conversation that offer a file: what an export looks up, without reading every offer. */
    public List<MessageKey> offeringIn(String conversationId) {
        Check.id("conversation", conversationId);
        return database.read(session -> session.list("SELECT conversation_id, sender, message_id FROM attachments"
                        + " WHERE conversation_id = ?", row -> new MessageKey(row.getString(1), row.getString(2),
                row.getString(3)), conversationId));
    }

    /** The offers in one of these states, e.g. the transfers to resume at start. */
    public List<Attachment> inState(AttachmentState state) {
        Check.present("state", state);
        return database.read(session -> session.list("SELECT " + COLUMNS + " FROM attachments WHERE state = ?",
                Attachments::read, state.name()));
    }

    /** Records the leaf hashes of a file, checked against its root by the app. */
    public void leaves(MessageKey message, byte[] leaves) {
        Check.present("message", message);
        byte[] kept = Check.present("leaves", leaves).clone();
        database.write(session -> session.update("UPDATE attachments SET leaves = ?" + BY_MESSAGE, kept,
                message.conversationId(), message.sender(), message.id()));
    }

    /** Records which chunks are on disk and checked. */
    public void held(MessageKey message, byte[] held) {
        Check.present("message", message);
        byte[] kept = Check.present("held", held).clone();
        database.write(session -> session.update("UPDATE attachments SET held = ?" + BY_MESSAGE, kept,
                message.conversationId(), message.sender(), message.id()));
    }

    /** Records how the transfer stands. */
    public void state(MessageKey message, AttachmentState state) {
        Check.present("message", message);
        Check.present("state", state);
        database.write(session -> session.update("UPDATE attachments SET state = ?" + BY_MESSAGE, state.name(),
                message.conversationId(), message.sender(), message.id()));
    }

    /** The whole file is here, stored as {@code content}. */
    public void complete(MessageKey message, byte[] held, String content) {
        Check.present("message", message);
        byte[] kept = Check.present("held", held).clone();
        Check.id("content", content);
        database.write(session -> session.update("UPDATE attachments SET held = ?, state = 'COMPLETE', content = ?"
                + BY_MESSAGE, kept, content, message.conversationId(), message.sender(), message.id()));
    }

    /**
     * Forgets the file's bytes for {@code message} (cancelled, or the message deleted): nothing held, no content.
     * Returns the content it named, for the app to delete once no other offer names it ({@link #references}).
     */
    public Optional<String> release(MessageKey message, AttachmentState state) {
        Check.present("message", message);
        Check.present("state", state);
        return database.write(session -> {
            Optional<String> content = session.first("SELECT content FROM attachments" + BY_MESSAGE
                            + " AND content IS NOT NULL", row -> row.getString(1), message.conversationId(),
                    message.sender(), message.id());
            session.update("UPDATE attachments SET held = zeroblob(length(held)), state = ?, content = NULL"
                    + BY_MESSAGE, state.name(), message.conversationId(), message.sender(), message.id());
            return content;
        });
    }

    /** How many offers name this stored copy. */
    public long references(String content) {
        Check.id("content", content);
        return database.read(session -> session.number("SELECT count(*) FROM attachments WHERE content = ?",
                content));
    }

    /** Every stored copy some offer names: what the app's files folder may keep. */
    public List<String> contents() {
        return database.read(session -> session.list(
                "SELECT DISTINCT content FROM attachments WHERE content IS NOT NULL", row -> row.getString(1)));
    }

    private static Attachment read(ResultSet row) throws SQLException {
        return new Attachment(new MessageKey(row.getString("conversation_id"), row.getString("sender"),
                row.getString("message_id")), row.getBytes("root"), row.getBytes("offer"), row.getLong("size"),
                row.getLong("chunks"), Optional.ofNullable(row.getBytes("leaves")), row.getBytes("held"),
                AttachmentState.valueOf(row.getString("state")), Optional.ofNullable(row.getString("content")));
    }
}
