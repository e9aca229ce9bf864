package dev.parley.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;

/**
 * The database file and its connections: the one class that opens SQLite, sets its PRAGMAs, checks that FTS5 is
 * there and brings the schema up to date. Writes go to the {@link BatchingWriter}, reads to the {@link ReadPool}.
 *
 * <p>PRAGMAs: WAL (readers and the writer do not block each other); {@code synchronous=FULL} (the WAL is synced
 * on every commit: an acknowledged message must survive power loss, not only a crash); foreign keys on; a busy
 * timeout, should another process hold the file for a moment.
 */
final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /**
     * Page cache of the write connection, in KiB. With random message ids every batch of inserts touches pages all
     * over the id index; 64 MiB keeps that index in memory for about a million messages.
     */
    private static final int WRITER_CACHE_KIB = 64 * 1024;
    private static final int READER_CACHE_KIB = 16 * 1024;
    /** After a checkpoint the WAL is truncated to this, so one large import does not leave a large file behind. */
    private static final long WAL_SIZE_LIMIT_BYTES = 64L * 1024 * 1024;

    private final Path file;
    private final BatchingWriter writer;
    private final ReadPool readers;
    private final StagedSessions stagedSessions;

    private Database(Path file, BatchingWriter writer, ReadPool readers, StagedSessions stagedSessions) {
        this.file = file;
        this.writer = writer;
        this.readers = readers;
        this.stagedSessions = stagedSessions;
    }

    /** Opens (or creates) the database at {@code file} and brings its schema up to date. */
    static Database open(Path file) {
        Path absolute = file.toAbsolutePath();
        SqliteSession session = openWriter(absolute, Schema.MIGRATIONS);
        try {
            session.execute("BEGIN IMMEDIATE");
            SearchIndex.catchUp(session);
            session.execute("COMMIT");
        } catch (SQLException e) {
            closeAfterFailure(session, e);
            throw new StoreException("cannot bring the search index of " + absolute + " up to date: "
                    + e.getMessage(), e);
        }
        StagedSessions stagedSessions = new StagedSessions(Clock.systemUTC());
        TransactionHook hook = TransactionHook.all(List.of(TransactionHook.beforeCommit(SearchIndex::catchUpInBulk),
                stagedSessions));
        return new Database(absolute, new BatchingWriter(session, absolute.toString(), hook),
                new ReadPool(() -> openReader(absolute), absolute.toString()), stagedSessions);
    }

    /**
     * Opens the write connection to {@code file} (absolute), with its PRAGMAs, after checking FTS5 and applying
     * whichever of {@code migrations} the file lacks (tests make older files with a prefix of the steps).
     */
    static SqliteSession openWriter(Path file, List<Migration> migrations) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new StoreException("cannot create the folder of " + file + ": " + e.getMessage(), e);
        }
        SqliteSession session = connect(file);
        try {
            configureWriter(session, file);
            requireModule(session, file, "fts5");
            migrate(session, file, migrations);
            return session;
        } catch (SQLException e) {
            closeAfterFailure(session, e);
            throw new StoreException("cannot open " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAfterFailure(session, e);
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /** Runs {@code work} in the writer's next transaction and returns once that transaction is durable. */
    <T> T write(SqlWork<T> work) {
        return await(writeAsync(work));
    }

    /** Queues {@code work}; the future completes once the transaction carrying it is durable. */
    <T> CompletableFuture<T> writeAsync(SqlWork<T> work) {
        return writer.submit(work);
    }

    /** Indexes every message stored so far that the search index lacks (see {@link SearchIndex}). */
    void bringSearchIndexUpToDate() {
        if (read(SearchIndex::behind)) {
            write(SearchIndex::catchUp);
        }
    }

    /** Runs {@code work} on a read-only connection, in one snapshot. */
    <T> T read(SqlWork<T> work) {
        return readers.read(work);
    }

    /**
     * Copies the WAL into the file and truncates it to nothing, on a connection of its own (a checkpoint cannot run
     * in the writer's transaction): afterwards no frame of the WAL holds a page as it was before the last commit.
     * Waits up to the busy timeout for readers; returns whether the whole WAL was copied.
     */
    boolean checkpointAndTruncate() {
        return checkpointAndTruncate(file);
    }

    /** {@link #checkpointAndTruncate()} of the database at {@code file} (absolute), for a store without a Database. */
    static boolean checkpointAndTruncate(Path file) {
        try (SqliteSession session = connect(file)) {
            session.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
            return session.first("PRAGMA wal_checkpoint(TRUNCATE)", row -> row.getInt(1) == 0).orElse(false);
        } catch (SQLException e) {
            throw new StoreException("cannot checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    StoreStats stats() {
        return writer.stats();
    }

    /** Session records the writer's next transaction writes, whatever else it carries. */
    StagedSessions stagedSessions() {
        return stagedSessions;
    }

    static <T> T await(CompletableFuture<T> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a write to commit (it may still commit)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException failure) {
                // The failure was made on the writer thread; this records which caller it reached.
                failure.addSuppressed(new StoreException("the write was waited for here"));
                throw failure;
            }
            throw new StoreException("a write failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Loads the JDBC driver and SQLite's native library, which otherwise load at the first connection; a failure
     * shows again there.
     */
    static void loadDriver() {
        try {
            DriverManager.getDriver("jdbc:sqlite:");
            SQLiteJDBCLoader.initialize();
        } catch (Exception e) {
            log.debug("SQLite did not load ahead of the first connection: {}", e.getMessage());
        }
    }

    private static SqliteSession connect(Path file) {
        try {
            Properties properties = new Properties();
            // Otherwise the driver queries the last rowid after every insert, for keys the store never asks for.
            properties.setProperty("jdbc.get_generated_keys", "false");
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file, properties);
            return new SqliteSession(connection);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    private static void configureWriter(SqliteSession session, Path file) throws SQLException {
        session.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
        String journalMode = session.text("PRAGMA journal_mode = WAL");
        if (!"wal".equalsIgnoreCase(journalMode)) {
            throw new StoreException("cannot put " + file + " in WAL mode (SQLite answered journal_mode "
                    + journalMode + "); is the file on a network file system?");
        }
        session.execute("PRAGMA synchronous = FULL");
        session.execute("PRAGMA foreign_keys = ON");
        session.execute("PRAGMA cache_size = -" + WRITER_CACHE_KIB);
        session.execute("PRAGMA temp_store = MEMORY");
        session.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT_BYTES);
        // A message deleted for everyone must not linger in freed pages or cells (V15MessageActions).
        session.execute("PRAGMA secure_delete = ON");
    }

    static SqliteSession openReader(Path file) throws SQLException {
        SqliteSession session = connect(file);
        try {
            session.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
            session.execute("PRAGMA query_only = ON");
            session.execute("PRAGMA cache_size = -" + READER_CACHE_KIB);
            return session;
        } catch (SQLException e) {
            closeAfterFailure(session, e);
            throw e;
        }
    }

    /** Fails with a clear message when the SQLite library lacks a virtual-table module (FTS5, for search). */
    static void requireModule(SqliteSession session, Path file, String module) {
        try {
            session.execute("CREATE VIRTUAL TABLE temp.parley_module_probe USING " + module + " (probe)");
            session.execute("DROP TABLE temp.parley_module_probe");
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file + ": the SQLite library has no " + module.toUpperCase()
                    + " module, which Parley needs for message search (SQLite said: " + e.getMessage() + ")", e);
        }
    }

    private static void migrate(SqliteSession session, Path file, List<Migration> migrations) throws SQLException {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalStateException("schema step " + i + " has version " + migrations.get(i).version());
            }
        }
        int version = (int) session.number("PRAGMA user_version");
        if (version > migrations.size()) {
            throw new StoreException(file + " has schema version " + version + ", newer than this Parley knows ("
                    + migrations.size() + "); open it with the newer Parley that wrote it");
        }
        for (Migration migration : migrations.subList(version, migrations.size())) {
            // PRAGMA foreign_keys is a no-op inside a transaction: it is switched around it.
            if (migration.rebuildsTables()) {
                session.execute("PRAGMA foreign_keys = OFF");
            }
            session.execute("BEGIN IMMEDIATE");
            try {
                migration.apply(session);
                if (migration.rebuildsTables()) {
                    requireForeignKeysHold(session);
                }
                session.execute("PRAGMA user_version = " + migration.version());
                session.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                session.execute("ROLLBACK");
                throw new StoreException("cannot migrate " + file + " to schema version " + migration.version()
                        + ": " + e.getMessage(), e);
            } finally {
                if (migration.rebuildsTables()) {
                    session.execute("PRAGMA foreign_keys = ON");
                }
            }
            log.info("{}: schema version {} -> {}", file, version, migration.version());
            version = migration.version();
        }
    }

    /** Fails naming the first table with a row whose foreign key points at nothing (a rebuild lost a row). */
    private static void requireForeignKeysHold(SqliteSession session) throws SQLException {
        Optional<String> broken = session.first("PRAGMA foreign_key_check", row -> row.getString("table")
                + " has a row that refers to a missing row of " + row.getString("parent"));
        if (broken.isPresent()) {
            throw new StoreException("a foreign key no longer holds: " + broken.get());
        }
    }

    private static void closeAfterFailure(SqliteSession session, Exception failure) {
        try {
            session.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Commits every queued write and every staged session record, brings the search index up to date, then closes
     * all connections.
     */
    @Override
    public void close() {
        stagedSessions.close();
        try {
            // Its transaction also writes what is staged.
            writer.submit(SearchIndex::catchUp);
        } catch (StoreException alreadyClosed) {
            log.debug("{} was closed already; its staged sessions and search index were left as they were", file);
        }
        writer.close();
        readers.close();
    }
}
