package dev.parley.app.engine;

import dev.parley.app.engine.api.EngineEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Records an engine's events in order and lets a test wait for the ones it expects. */
final class EventLog implements Consumer<EngineEvent> {
    static final Duration WAIT = Duration.ofSeconds(20);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<EngineEvent> events = new ArrayList<>();

    @Override
    public void accept(EngineEvent event) {
        lock.lock();
        try {
            events.add(event);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    <T extends EngineEvent> List<T> all(Class<T> type) {
        return snapshot().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private List<EngineEvent> snapshot() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code count} events of {@code type} have arrived; returns them all. */
    <T extends EngineEvent> List<T> await(Class<T> type, int count) throws InterruptedException {
        return await(type, count, WAIT);
    }

    <T extends EngineEvent> List<T> await(Class<T> type, int count, Duration timeout) throws InterruptedException {
        awaitCondition(() -> all(type).size() >= count, timeout,
                () -> "expected " + count + " " + type.getSimpleName() + " events");
        return all(type);
    }

    /** Waits for the first event of {@code type} that matches. */
    <T extends EngineEvent> T await(Class<T> type, Predicate<T> matching) throws InterruptedException {
        return await(type, matching, WAIT);
    }

    /** Waits at most {@code timeout} for the first event of {@code type} that matches: for long work, benchmarks. */
    <T extends EngineEvent> T await(Class<T> type, Predicate<T> matching, Duration timeout)
            throws InterruptedException {
        awaitCondition(() -> all(type).stream().anyMatch(matching), timeout,
                () -> "expected a matching " + type.getSimpleName() + " event");
        return all(type).stream().filter(matching).findFirst().orElseThrow();
    }

    private void awaitCondition(BooleanSupplier done, Duration timeout,
                                Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(what.get() + " within " + timeout.toSeconds() + " s; got " + this);
                }
                arrived.await(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
