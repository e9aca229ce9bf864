package dev.parley.transport.attack;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A stranger opening TCP connections from one loopback address and never speaking after its opening bytes (none
 * for a silent socket, an HTTP upgrade request for a WebSocket one). Each socket is watched by a reader of its own
 * that counts how the node ended it: closed without a byte (refused at accept) or answered and closed later (at a
 * deadline). Sockets are opened at a steady rate until {@code count} are opened or the flood is closed.
 */
final class Flood implements AutoCloseable {
    private final InetAddress from;
    private final InetSocketAddress target;
    private final byte[] opening;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger failedToOpen = new AtomicInteger();
    private final AtomicInteger refusedUnanswered = new AtomicInteger();
    private final AtomicInteger answeredThenClosed = new AtomicInteger();
    private final Thread opener;
    private volatile boolean stopped;

    private Flood(InetAddress from, InetSocketAddress target, byte[] opening, int count, int perSecond) {
        this.from = from;
        this.target = target;
        this.opening = opening;
        this.opener = Thread.ofVirtual().name("flood from " + from).start(() -> open(count, perSecond));
    }

    /** Silent sockets from {@code from}: connected, never a byte sent. */
    static Flood silent(InetAddress from, InetSocketAddress target, int count, int perSecond) {
        return new Flood(from, target, new byte[0], count, perSecond);
    }

    /** Sockets that send {@code opening} and then nothing more. */
    static Flood opening(InetAddress from, InetSocketAddress target, byte[] opening, int count, int perSecond) {
        return new Flood(from, target, opening, count, perSecond);
    }

    private void open(int count, int perSecond) {
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long next = System.nanoTime();
        for (int i = 0; i < count && !stopped; i++) {
            // Pacing, not synchronisation: the flood's rate is part of the attack.
            LockSupport.parkNanos(next - System.nanoTime());
            next += interval;
            Socket socket = new Socket();
            try {
                socket.bind(new InetSocketAddress(from, 0));
                socket.connect(target, 10_000);
                if (opening.length > 0) {
                    socket.getOutputStream().write(opening);
                    socket.getOutputStream().flush();
                }
            } catch (IOException e) {
                failedToOpen.incrementAndGet();
                closeQuietly(socket);
                continue;
            }
            sockets.add(socket);
            opened.incrementAndGet();
            Thread.ofVirtual().start(() -> watch(socket));
        }
    }

    private void watch(Socket socket) {
        long received = 0;
        try (InputStream in = socket.getInputStream()) {
            byte[] buffer = new byte[1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received += n;
            }
            (received == 0 ? refusedUnanswered : answeredThenClosed).incrementAndGet();
        } catch (IOException e) {
            if (!stopped) {
                (received == 0 ? refusedUnanswered : answeredThenClosed).incrementAndGet();
            }
        } finally {
            sockets.remove(socket);
            closeQuietly(socket);
        }
    }

    int opened() {
        return opened.get();
    }

    int failedToOpen() {
        return failedToOpen.get();
    }

    /** Sockets the node closed without sending a byte: refused at accept. */
    int refusedUnanswered() {
        return refusedUnanswered.get();
    }

    /** Sockets the node answered and closed later, at a deadline. */
    int answeredThenClosed() {
        return answeredThenClosed.get();
    }

    /** Sockets opened and not closed yet by either side. */
    int stillOpen() {
        return sockets.size();
    }

    /** Whether the opener has opened all it was to. */
    boolean doneOpening() {
        return !opener.isAlive();
    }

    @Override
    public void close() {
        stopped = true;
        Await.ended(List.of(opener));
        sockets.forEach(Flood::closeQuietly);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the attacker does not care
        }
    }

    @Override
    public String toString() {
        return "flood from " + from + ": " + opened + " opened, " + refusedUnanswered + " refused unanswered, "
                + answeredThenClosed + " answered then closed, " + stillOpen() + " open, " + failedToOpen
                + " failed to open";
    }
}
