package dev.parley.app.engine;

import dev.parley.transport.Host;
import dev.parley.transport.ResourceUsage;
import dev.parley.transport.memory.MemorySnapshot;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What remote peers make an engine's host hold at one moment: the bytes its memory budget has reserved, the peers,
 * connections and streams the budget counts, and the handshakes and connections the resource manager counts, per
 * address too (transport/README.md, "Memory and deadlines" and "Resource limits"). The counts of refusals are left
 * out: they only grow, and say what was refused, not what is held.
 *
 * <p>An attack test takes one before the attack, once the honest peers are connected and chatting
 * ({@link #settled}), and after the attacker has gone waits until the host holds no more than that again
 * ({@link #awaitBackTo}).
 */
record HostHoldings(long reservedBytes, int peers, int connectionScopes, int streams, int pendingHandshakes,
                    int inboundConnections, int connections, Map<String, Integer> pendingPerAddress,
                    Map<String, Integer> inboundPerAddress) {
    /** Long enough for closed connections and their streams to be let go on a busy machine; the wait ends sooner. */
    static final Duration WAIT = Duration.ofSeconds(30);

    static HostHoldings of(Host host) {
        MemorySnapshot memory = host.memory().snapshot();
        ResourceUsage usage = host.resources();
        return new HostHoldings(memory.reservedBytes(), memory.peers(), memory.connections(), memory.streams(),
                usage.pendingHandshakes(), usage.inboundConnections(), usage.connections(), usage.pendingPerAddress(),
                usage.inboundPerAddress());
    }

    /**
     * What {@code host} holds once nothing is on its way in: no handshake under way and no byte reserved (a message
     * being read). The baseline an attack test compares with.
     */
    static HostHoldings settled(Host host) throws InterruptedException {
        return await(host, now -> now.pendingHandshakes == 0 && now.reservedBytes == 0,
                now -> "the host to settle before the attack: it holds " + now);
    }

    /**
     * Waits until {@code host} holds what it held when this was taken: the same connections, peers, handshakes and
     * reserved bytes, and no more streams. Fewer streams are no leak: a sync or push stream the honest peers had open
     * for a moment may have been counted in the baseline. Fails with both, if that does not come within
     * {@link #WAIT}, saying after what.
     */
    void awaitBackTo(Host host, String after) throws InterruptedException {
        await(host, now -> now.withStreams(streams).equals(this) && now.streams <= streams,
                now -> "the host to return to its baseline after " + after + ": it holds " + now + ", before it held "
                        + this);
    }

    private HostHoldings withStreams(int count) {
        return new HostHoldings(reservedBytes, peers, connectionScopes, count, pendingHandshakes, inboundConnections,
                connections, pendingPerAddress, inboundPerAddress);
    }

    /** Waits until what {@code host} holds is {@code done}; if not in time, fails saying what it waited for. */
    static HostHoldings await(Host host, Predicate<HostHoldings> done, Function<HostHoldings, String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HostHoldings now = of(host);
        while (!done.test(now)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what.apply(now));
            }
            Thread.sleep(Duration.ofMillis(20));
            now = of(host);
        }
        return now;
    }
}
