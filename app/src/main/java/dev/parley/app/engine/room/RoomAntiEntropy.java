package dev.parley.app.engine.room;

import dev.parley.app.node.Node;
import dev.parley.transport.Connection;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@link #PERIOD}, a sync with every connected peer that shares a joined room with us: what neither a push
 * nor the sync on connecting brought (a push that was dropped, an envelope that arrived elsewhere meanwhile) comes
 * so. The rounds run on the engine's scheduler; stopping cancels them.
 */
final class RoomAntiEntropy {
    static final Duration PERIOD = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(RoomAntiEntropy.class);

    private final Node node;
    private final RoomBook book;
    private final RoomSync sync;
    private volatile ScheduledFuture<?> rounds;

    RoomAntiEntropy(Node node, RoomBook book, RoomSync sync) {
        this.node = node;
        this.book = book;
        this.sync = sync;
    }

    void start(ScheduledExecutorService scheduler) {
        rounds = scheduler.scheduleWithFixedDelay(this::round, PERIOD.toMillis(), PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (rounds != null) {
            rounds.cancel(false);
        }
    }

    /** One round: asks for a sync with each connected fellow member (a sync with it that runs covers it). */
    void round() {
        try {
            node.host().connections().stream().map(Connection::remotePeer).distinct().filter(book::sharesJoinedRoom)
                    .forEach(sync::syncWith);
        } catch (RuntimeException e) {
            // A failed round must not end the ones after it, which the scheduler would otherwise cancel.
            log.warn("an anti-entropy round of the rooms failed", e);
        }
    }
}
