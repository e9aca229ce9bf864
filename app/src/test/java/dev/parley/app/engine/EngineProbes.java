package dev.parley.app.engine;

import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;

/** What tests in other packages (the window's) may ask an engine beyond its public API. */
public final class EngineProbes {
    private EngineProbes() {
    }

    /**
     * Waits until {@code engine} holds nothing more for {@code peer}: everything it queued (messages, receipts, a
     * mailbox grant) was acknowledged, so the peer has stored it.
     */
    public static void awaitDeliveredEverythingTo(Engine engine, PeerId peer, Duration atMost)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!engine.deliveredEverythingTo(peer)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still holding envelopes for " + peer + " after " + atMost);
            }
            Thread.sleep(Duration.ofMillis(20));
        }
    }
}
