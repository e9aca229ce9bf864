package dev.parley.app.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.session.SessionPair.Side;
import dev.parley.app.engine.session.SessionPair.Wire;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MessageId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A review of the replay fix (an old envelope is {@link Sessions.Stale}, which its sender lets go unless it still
 * holds it) from the other side: a real loss must still heal. Each test plays what a user's machine really does, against two real
 * {@link Sessions} on real stores ({@link SessionPair}), and checks that every genuine message arrives.
 */
class SessionsReplayFixReviewTest {
    @TempDir
    Path temp;

    /** A copy of {@code side}'s store as it stands now (the file and its WAL): what a backup of the folder holds. */
    private static Path backup(Side side, String name) throws Exception {
        side.store.sessions().flushAsync().join();
        Path copy = side.folder.resolve(name);
        Files.copy(side.file, copy);
        Path wal = side.file.resolveSibling(side.file.getFileName() + "-wal");
        if (Files.exists(wal)) {
            Files.copy(wal, copy.resolveSibling(copy.getFileName() + "-wal"));
        }
        return copy;
    }

    /** {@code side} starts again from {@code copy}: its folder restored from a backup after its disk failed. */
    private static void restoreFrom(Side side, Path copy) {
        side.store.close();
        side.file = copy;
        side.open();
    }

    /**
     * Alice's folder is restored from yesterday's backup (her disk died; Time Machine, a copied profile). Her session
     * record is intact, just older: its sending chain is behind what Bob has opened since. Her next message is sealed
     * under a message key Bob has used, so Bob takes it for a relay's copy ({@link Sessions.Stale}: key used) and
     * neither acknowledges it nor asks for a new session. Before the replay fix it was unreadable, and Bob's request
     * healed it. Nothing may be lost: the message must arrive, under a renewal if need be.
     */
    @Test
    void aMessageSealedByAPeerRestoredFromAnOlderBackupIsStillDelivered() throws Exception {
        try (SessionPair pair = new SessionPair(temp)) {
            pair.converse();
            Path yesterday = backup(pair.alice, "Alice-backup.db");
            for (int i = 0; i < 3; i++) {
                pair.alice.send("after the backup " + i);
            }
            pair.settle(5);
            assertThat(pair.alice.outboxSize()).as("all delivered before the disk died").isZero();
            pair.alice.drain();

            restoreFrom(pair.alice, yesterday);
            MessageId afterRestore = pair.alice.send("after the restore");
            List<Wire> sealed = pair.alice.drain();
            assertThat(sealed).extracting(Wire::kind).containsExactly(EnvelopeKind.TEXT);
            pair.deliver(sealed.getFirst());
            for (int round = 0; round < 10 && (pair.alice.outboxSize() > 0 || pair.bob.outboxSize() > 0); round++) {
                pair.bob.drain().forEach(wire -> deliverQuietly(pair, wire));
                pair.settle(5);
                pair.wall.advance(Sessions.RENEW_INTERVAL);
            }

            assertThat(pair.bob.texts).as("the message Alice wrote after her restore").containsKey(afterRestore);
            assertThat(pair.alice.outboxSize()).as("nothing stuck unacknowledged").isZero();
        }
    }

    /**
     * The same restore, but from a backup taken before Bob's last answer: Alice's record is one ratchet step behind.
     * Her next message is sealed under a header key Bob has moved past; Bob's session has opened her messages, so he
     * takes it for one sealed before his session moved on ({@link Sessions.Stale}) and asks for nothing.
     */
    @Test
    void aMessageSealedByAPeerRestoredFromABackupARatchetStepOldIsStillDelivered() throws Exception {
        try (SessionPair pair = new SessionPair(temp)) {
            pair.converse();
            Path beforeBobsAnswer = backup(pair.alice, "Alice-backup.db");
            pair.alice.send("a question");
            pair.settle(5);
            pair.bob.send("an answer");
            pair.settle(5);
            pair.alice.send("thanks");
            pair.settle(5);
            pair.alice.drain();
            pair.bob.drain();

            restoreFrom(pair.alice, beforeBobsAnswer);
            List<MessageId> afterRestore = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                afterRestore.add(pair.alice.send("after the restore " + i));
            }
            for (Wire wire : pair.alice.drain()) {
                pair.deliver(wire);
            }
            for (int round = 0; round < 10 && (pair.alice.outboxSize() > 0 || pair.bob.outboxSize() > 0); round++) {
                pair.bob.drain().forEach(wire -> deliverQuietly(pair, wire));
                pair.settle(5);
                pair.wall.advance(Sessions.RENEW_INTERVAL);
            }

            assertThat(pair.bob.texts.keySet()).as("what Alice wrote after her restore").containsAll(afterRestore);
            assertThat(pair.alice.outboxSize()).as("nothing stuck unacknowledged").isZero();
        }
    }

    /**
     * The healing the fix must keep: Alice restored on a new machine (no session at all) keeps sending while Bob's
     * session with her has opened her messages. Her new start replaces his session and everything arrives, once.
     */
    @Test
    void aPeerRestoredOnANewMachineStillHealsAndEveryMessageArrivesOnce() throws Exception {
        try (SessionPair pair = new SessionPair(temp)) {
            pair.converse();
            pair.alice.restoreOnNewMachine();
            List<MessageId> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sent.add(pair.alice.send("from the new machine " + i));
            }
            pair.bob.send("still there?");
            for (int round = 0; round < 10 && (pair.alice.outboxSize() > 0 || pair.bob.outboxSize() > 0); round++) {
                for (Wire wire : pair.alice.drain()) {
                    pair.deliver(wire);
                }
                pair.bob.drain().forEach(wire -> deliverQuietly(pair, wire));
                pair.settle(5);
                pair.wall.advance(Sessions.RENEW_INTERVAL);
            }

            assertThat(pair.bob.texts.keySet()).containsAll(sent);
            assertThat(pair.bob.freshCounts.values()).as("each opened once").containsOnly(1);
            assertThat(pair.alice.outboxSize()).isZero();
            assertThat(pair.bob.outboxSize()).isZero();
            assertThat(pair.bob.renewedNotices).as("one renewal, one notice").hasSize(1);
        }
    }

    /** Delivers what a side handed its link just now (a RENEW, an ACCEPT), as its link would. */
    private static void deliverQuietly(SessionPair pair, Wire wire) {
        try {
            pair.deliver(wire);
        } catch (Exception e) {
            throw new AssertionError("delivering " + wire.kind() + " " + wire.id() + " failed", e);
        }
    }
}
