package dev.parley.app.engine;

import dev.parley.app.engine.api.EngineEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to subscribers one at a time, in the order they were published, on one thread of its own, so
 * that no subscriber runs on (or holds up) a network or store thread. Events published before the first
 * subscriber arrives are kept for it: a connection may open while {@link Engine#start} is still returning.
 */
final class EventDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);
    /** A subscriber that cannot keep up is let behind by this many events before publishing drops them. */
    static final int MAX_QUEUED = 100_000;
    private static final EngineEvent STOP = new EngineEvent.Error("dispatcher stopped");

    private final List<Consumer<EngineEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<EngineEvent> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final Object firstSubscriber = new Object();
    private final Thread thread;

    EventDispatcher() {
        thread = Thread.ofPlatform().daemon().name("engine-events").start(this::run);
    }

    void publish(EngineEvent event) {
        if (!queue.offer(event)) {
            log.warn("dropped {}: subscribers are {} events behind", event, MAX_QUEUED);
        }
    }

    void subscribe(Consumer<EngineEvent> subscriber) {
        subscribers.add(subscriber);
        synchronized (firstSubscriber) {
            firstSubscriber.notifyAll();
        }
    }

    void unsubscribe(Consumer<EngineEvent> subscriber) {
        subscribers.remove(subscriber);
    }

    private void run() {
        try {
            awaitFirstSubscriber();
            for (EngineEvent event = queue.take(); event != STOP; event = queue.take()) {
                for (Consumer<EngineEvent> subscriber : subscribers) {
                    try {
                        subscriber.accept(event);
                    } catch (RuntimeException e) {
                        log.warn("an event subscriber failed on {}", event, e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitFirstSubscriber() throws InterruptedException {
        synchronized (firstSubscriber) {
            while (subscribers.isEmpty() && !queue.contains(STOP)) {
                firstSubscriber.wait();
            }
        }
    }

    /** Delivers what is queued to the subscribers there are, then stops. */
    @Override
    public void close() {
        try {
            queue.put(STOP);
            synchronized (firstSubscriber) {
                firstSubscriber.notifyAll();
            }
            if (!thread.join(Duration.ofSeconds(5))) {
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
        }
    }
}
