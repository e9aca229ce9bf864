package dev.parley.transport.attack;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition the attack tests look for, checking it often, and fails with the state if it never comes. */
final class Await {
    private Await() {
    }

    static void until(BooleanSupplier condition, Duration atMost, Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + atMost + ": " + state.get());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Waits for threads told to stop to end. An interrupt ends the wait early and stays set for the caller: a
     * resource's close must not swallow it.
     */
    static void ended(List<Thread> threads) {
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
