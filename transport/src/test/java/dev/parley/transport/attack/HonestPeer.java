package dev.parley.transport.attack;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.ping.PingService;
import dev.parley.transport.ws.WebSocketTransport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A newcomer who, again and again until stopped, starts as a fresh node (a new key, no connection), dials the node
 * under attack from 127.0.0.1, pings it and leaves: what a stranger's flood must not stop. Each attempt has 30 s.
 */
final class HonestPeer implements AutoCloseable {
    private static final long ATTEMPT_SECONDS = 30;

    private final Multiaddr target;
    private final AtomicInteger answered = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Thread loop;
    private volatile boolean stopped;

    /** Starts pinging {@code target} (a TCP or WebSocket address ending in {@code /p2p/<peer>}). */
    HonestPeer(Multiaddr target) {
        this.target = target;
        this.loop = Thread.ofVirtual().name("honest peer").start(this::pingUntilStopped);
    }

    private void pingUntilStopped() {
        while (!stopped) {
            try (Host fresh = new Host(HostConfig.of(Ed25519PrivateKey.generate()))) {
                fresh.addTransport(new WebSocketTransport());
                PingService ping = new PingService(fresh);
                CompletableFuture<Void> attempt = CompletableFuture.runAsync(() -> {
                    try {
                        Connection connection = fresh.dial(target);
                        ping.ping(connection);
                    } catch (Exception e) {
                        throw new IllegalStateException(e.toString(), e);
                    }
                }, command -> Thread.ofVirtual().start(command));
                attempt.get(ATTEMPT_SECONDS, TimeUnit.SECONDS);
                answered.incrementAndGet();
            } catch (Exception e) {
                failures.add(e.toString());
            }
        }
    }

    /** Attempts answered so far. */
    int answered() {
        return answered.get();
    }

    /** What went wrong in each attempt that failed. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Stops pinging; returns once the attempt under way has ended, so that the counts hold from then on. */
    void stop() {
        stopped = true;
        Await.ended(List.of(loop));
    }

    @Override
    public void close() {
        stop();
    }
}
