package dev.parley.app.engine;

import dev.parley.app.engine.api.EngineEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What a stranger's flood costs a profile: Mallory, whom Bob never accepted, writes him {@code messages} messages
 * of {@code characters} characters each (Mallory holds Bob's invite code, Bob holds nothing of Mallory). Waits until
 * Mallory's outbox has heard an ack for every one, then prints the size of Bob's profile (the SQLite file with its
 * WAL, live, and after the engine closed and SQLite folded the WAL back) and his rows, before and after.
 *
 * <p>Arguments: {@code [messages (300)] [characters (60000)]}. Prints figures; asserts nothing. Loopback only.
 */
public final class StrangerFloodBenchmark {
    private StrangerFloodBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int characters = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
        Path folder = Files.createTempDirectory("parley-stranger-flood");
        try {
            run(folder, messages, characters);
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void run(Path folder, int messages, int characters) throws Exception {
        TestEngine bob = TestEngine.start(folder, "Bob");
        Path db = bob.profile.resolve(EngineConfig.STORE_FILE);
        long liveBefore = profileBytes(bob.profile);
        String body = "x".repeat(characters);
        long started;
        try (TestEngine mallory = TestEngine.start(folder, "Mallory")) {
            mallory.engine.contacts().add(bob.engine.invite());
            started = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                mallory.engine.chat().sendAsync(bob.peerId(), i + " " + body.substring(String.valueOf(i).length() + 1));
            }
            mallory.events.await(EngineEvent.Delivered.class, messages, Duration.ofMinutes(10));
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toMillis();
        long liveAfter = profileBytes(bob.profile);
        bob.close();
        long closedAfter = profileBytes(bob.profile);
        System.out.printf("%d messages of %d characters from a stranger, all acknowledged in %d ms%n", messages,
                characters, seconds);
        System.out.printf("Bob's profile (parley.db + -wal + -shm + keysets): %,d bytes before, %,d live after"
                + " (+%,d), %,d after closing (+%,d)%n", liveBefore, liveAfter, liveAfter - liveBefore, closedAfter,
                closedAfter - liveBefore);
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement query = sqlite.createStatement();
             ResultSet rows = query.executeQuery("SELECT count(*), coalesce(sum(length(CAST(body AS BLOB))), 0)"
                     + " FROM messages")) {
            rows.next();
            System.out.printf("Bob's messages table: %d rows, %,d bytes of bodies%n", rows.getLong(1), rows.getLong(2));
        } catch (SQLException e) {
            System.out.println("could not count rows: " + e.getMessage());
        }
    }

    private static long profileBytes(Path profile) throws Exception {
        try (Stream<Path> files = Files.walk(profile)) {
            return files.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
        }
    }
}
