package dev.parley.store;

import java.nio.file.Path;

/**
 * Parley's durable history: one SQLite file per profile. Open it once at start and share it between threads;
 * close it at exit. The areas ({@link #contacts()}, {@link #messages()}…) hold the methods.
 *
 * <p>Every write returns (or its future completes) only after the transaction carrying it is on disk; writes
 * from many threads share transactions, so a burst costs a few fsyncs, not one each. Reads run on separate
 * connections and do not wait for writes. Failures are {@link StoreException}s naming what was wrong.
 */
public final class SqliteStore implements AutoCloseable {
    private final Database database;
    private final Contacts contacts;
    private final Conversations conversations;
    private final Messages messages;
    private final Outbox outbox;
    private final Receipts receipts;
    private final Rooms rooms;
    private final RoomEnvelopes roomEnvelopes;
    private final SenderKeys senderKeys;
    private final MessageSearch search;
    private final History history;
    private final MessageActions actions;
    private final Sessions sessions;
    private final Mailboxes mailboxes;
    private final CarriedLetters carried;
    private final Attachments attachments;

    SqliteStore(Database database) {
        this.database = database;
        this.contacts = new Contacts(database);
        this.conversations = new Conversations(database);
        this.messages = new Messages(database);
        this.outbox = new Outbox(database);
        this.receipts = new Receipts(database);
        this.rooms = new Rooms(database);
        this.roomEnvelopes = new RoomEnvelopes(database);
        this.senderKeys = new SenderKeys(database);
        this.search = new MessageSearch(database);
        this.history = new History(database);
        this.actions = new MessageActions(database);
        this.sessions = new Sessions(database);
        this.mailboxes = new Mailboxes(database);
        this.carried = new CarriedLetters(database);
        this.attachments = new Attachments(database);
    }

    /**
     * Loads SQLite's native library and JDBC driver now, which takes a moment the first time (the library is
     * unpacked from the jar), so that an {@link #open} soon after finds them ready: a program that will open its
     * store shortly calls this on a spare thread (the desktop app does while it reads its command line). A library
     * that cannot be loaded is reported by {@link #open}, as without this.
     */
    public static void prepare() {
        Database.loadDriver();
    }

    /**
     * Opens the database at {@code file}, creating it (and its folder) if needed and bringing an older schema up to
     * date.
     *
     * @throws StoreException when the file is not a Parley database, was written by a newer Parley, cannot be put
     *                        in WAL mode, or SQLite lacks FTS5
     */
    public static SqliteStore open(Path file) {
        return new SqliteStore(Database.open(file));
    }

    public Contacts contacts() {
        return contacts;
    }

    public Conversations conversations() {
        return conversations;
    }

    public Messages messages() {
        return messages;
    }

    public Outbox outbox() {
        return outbox;
    }

    public Receipts receipts() {
        return receipts;
    }

    public Rooms rooms() {
        return rooms;
    }

    public RoomEnvelopes roomEnvelopes() {
        return roomEnvelopes;
    }

    public SenderKeys senderKeys() {
        return senderKeys;
    }

    public MessageSearch search() {
        return search;
    }

    /** Replies, forwards, reactions, edits and deletions of messages. */
    public MessageActions actions() {
        return actions;
    }

    /** The app's 1:1 session records, written with the next transaction, and the session envelopes opened. */
    public Sessions sessions() {
        return sessions;
    }

    /** Delivery through mailboxes: the one we own, the capabilities given and held. */
    public Mailboxes mailboxes() {
        return mailboxes;
    }

    /** Letters we carry for contacts, until we hand them over. */
    public CarriedLetters carried() {
        return carried;
    }

    /** Files offered with messages: the offers, their transfers, the stored copies they name. */
    public Attachments attachments() {
        return attachments;
    }

    /** The history as a whole: for export and import. */
    public History history() {
        return history;
    }

    /** The writer's counters: commits, writes, the largest batch (what the batching tests and benchmarks read). */
    public StoreStats stats() {
        return database.stats();
    }

    /**
     * Lets queued writes and staged session records commit, then closes the file; later calls fail with
     * {@link StoreException}.
     */
    @Override
    public void close() {
        database.close();
    }
}
