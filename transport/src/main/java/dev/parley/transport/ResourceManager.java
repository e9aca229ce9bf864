package dev.parley.transport;

import java.io.Closeable;
import java.io.IOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the inbound connections a host holds, in total and per address and subnet, and admits a new one at
 * accept only while every count stays within {@link ResourceLimits} (transport/README.md, "Resource limits"): a
 * refused connection is closed before its handshake costs anything, and one address cannot take the room everyone
 * else needs. An admitted connection is pending until its handshake is done and counts as a connection until it
 * closes; one still pending at the upgrade timeout is closed.
 */
final class ResourceManager {
    private static final Logger log = LoggerFactory.getLogger(ResourceManager.class);
    private static final String RELAYED = "relayed connections";

    /** What one address or subnet holds. */
    private static final class Held {
        int pending;
        int connections;
    }

    private final ResourceLimits limits;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    // Locking: lock
    private int pending;
    // Locking: lock
    private int inbound;
    // Locking: lock
    private final Map<String, Held> byAddress = new HashMap<>();
    // Locking: lock
    private final Map<String, Held> bySubnet = new HashMap<>();
    // Locking: lock
    private final Map<InboundLimit, Long> refused = new EnumMap<>(InboundLimit.class);
    // Locking: lock
    private final RefusalLog refusalLog = new RefusalLog();

    /** {@code timer} runs the upgrade deadlines; {@code nanoTime} is the clock of the refusal log. */
    ResourceManager(ResourceLimits limits, ScheduledExecutorService timer, LongSupplier nanoTime) {
        this.limits = limits;
        this.timer = timer;
        this.nanoTime = nanoTime;
    }

    /**
     * Room for a connection from {@code source} (empty: one with no address of its own, such as a relayed one,
     * which only the totals limit), or empty if a limit is reached; then the refusal is counted and, the first
     * time in a while for that address, logged. {@code socket} is closed if the connection is still pending at the
     * upgrade timeout.
     */
    Optional<CountedAdmission> admit(Optional<InboundSource> source, Closeable socket) {
        InboundLimit exceeded;
        boolean logIt = false;
        CountedAdmission admission = null;
        lock.lock();
        try {
            exceeded = exceededBy(source);
            if (exceeded == null) {
                admission = new CountedAdmission(this, source);
                pending++;
                inbound++;
                source.ifPresent(from -> {
                    take(byAddress, from.address());
                    take(bySubnet, from.subnet());
                });
            } else {
                refused.merge(exceeded, 1L, Long::sum);
                logIt = refusalLog.shouldLog(source.map(InboundSource::address).orElse(RELAYED), nanoTime.getAsLong());
            }
        } finally {
            lock.unlock();
        }
        if (admission == null) {
            if (logIt) {
                log.warn("refusing inbound connections from {}: {} {} reached (limit {}); its further refusals are"
                                + " counted but not logged for {} s",
                        source.map(InboundSource::address).orElse(RELAYED), limitOf(exceeded, source),
                        exceeded.description(), exceeded.setting(), RefusalLog.QUIET.toSeconds());
            }
            return Optional.empty();
        }
        return startDeadline(admission, socket);
    }

    private Optional<CountedAdmission> startDeadline(CountedAdmission admission, Closeable socket) {
        try {
            admission.deadline(timer.schedule(() -> expire(admission, socket), limits.upgradeTimeout().toMillis(),
                    TimeUnit.MILLISECONDS));
            return Optional.of(admission);
        } catch (RejectedExecutionException hostClosing) {
            admission.close();
            return Optional.empty();
        }
    }

    /** The limit a new connection from {@code source} would exceed, the narrowest first; null if none. */
    private InboundLimit exceededBy(Optional<InboundSource> source) {
        assert lock.isHeldByCurrentThread();
        if (source.isPresent()) {
            AddressShare share = limits.inbound().share(source.get().loopback());
            Held address = byAddress.getOrDefault(source.get().address(), new Held());
            Held subnet = bySubnet.getOrDefault(source.get().subnet(), new Held());
            if (address.connections >= share.connectionsPerAddress()) {
                return InboundLimit.CONNECTIONS_PER_ADDRESS;
            }
            if (address.pending >= share.pendingPerAddress()) {
                return InboundLimit.PENDING_PER_ADDRESS;
            }
            if (subnet.connections >= share.connectionsPerSubnet()) {
                return InboundLimit.CONNECTIONS_PER_SUBNET;
            }
            if (subnet.pending >= share.pendingPerSubnet()) {
                return InboundLimit.PENDING_PER_SUBNET;
            }
        }
        if (inbound >= limits.maxConnections()) {
            return InboundLimit.CONNECTIONS_TOTAL;
        }
        if (pending >= limits.maxPendingUpgrades()) {
            return InboundLimit.PENDING_TOTAL;
        }
        return null;
    }

    private int limitOf(InboundLimit limit, Optional<InboundSource> source) {
        AddressShare share = limits.inbound().share(source.map(InboundSource::loopback).orElse(false));
        return switch (limit) {
            case PENDING_TOTAL -> limits.maxPendingUpgrades();
            case PENDING_PER_ADDRESS -> share.pendingPerAddress();
            case PENDING_PER_SUBNET -> share.pendingPerSubnet();
            case CONNECTIONS_TOTAL -> limits.maxConnections();
            case CONNECTIONS_PER_ADDRESS -> share.connectionsPerAddress();
            case CONNECTIONS_PER_SUBNET -> share.connectionsPerSubnet();
        };
    }

    private static void take(Map<String, Held> counts, String key) {
        Held held = counts.computeIfAbsent(key, k -> new Held());
        held.pending++;
        held.connections++;
    }

    /** {@code admission}'s handshake is done; it stays counted as a connection. */
    void connected(CountedAdmission admission) {
        lock.lock();
        try {
            if (admission.state() == CountedAdmission.State.PENDING) {
                leavePending(admission);
                admission.state(CountedAdmission.State.CONNECTED);
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code admission}'s connection is gone, or was never handed over; a second release changes nothing. */
    void release(CountedAdmission admission) {
        lock.lock();
        try {
            if (admission.state() == CountedAdmission.State.RELEASED) {
                return;
            }
            if (admission.state() == CountedAdmission.State.PENDING) {
                leavePending(admission);
            }
            inbound--;
            admission.source().ifPresent(from -> {
                give(byAddress, from.address(), held -> held.connections--);
                give(bySubnet, from.subnet(), held -> held.connections--);
            });
            admission.state(CountedAdmission.State.RELEASED);
        } finally {
            lock.unlock();
        }
    }

    private void leavePending(CountedAdmission admission) {
        assert lock.isHeldByCurrentThread();
        pending--;
        admission.source().ifPresent(from -> {
            give(byAddress, from.address(), held -> held.pending--);
            give(bySubnet, from.subnet(), held -> held.pending--);
        });
    }

    /** Lowers one count of {@code key}, forgetting the key once it holds nothing, so a past flood leaves no trace. */
    private static void give(Map<String, Held> counts, String key, Consumer<Held> lower) {
        counts.computeIfPresent(key, (k, held) -> {
            lower.accept(held);
            return held.connections == 0 && held.pending == 0 ? null : held;
        });
    }

    private void expire(CountedAdmission admission, Closeable socket) {
        boolean stillPending;
        lock.lock();
        try {
            stillPending = admission.state() == CountedAdmission.State.PENDING;
        } finally {
            lock.unlock();
        }
        if (stillPending) {
            log.debug("closing inbound {} from {}: handshake not done within {}", socket,
                    admission.source().map(InboundSource::address).orElse(RELAYED), limits.upgradeTimeout());
            try {
                socket.close();
            } catch (IOException e) {
                log.debug("closing {}: {}", socket, e.getMessage());
            }
            admission.close();
        }
    }

    /** What is held now and what was refused so far; {@code connections} is the host's count of open connections. */
    ResourceUsage usage(int connections) {
        lock.lock();
        try {
            Map<String, Integer> pendingPerAddress = new HashMap<>();
            Map<String, Integer> inboundPerAddress = new HashMap<>();
            byAddress.forEach((address, held) -> {
                if (held.pending > 0) {
                    pendingPerAddress.put(address, held.pending);
                }
                inboundPerAddress.put(address, held.connections);
            });
            return new ResourceUsage(pending, inbound, connections, pendingPerAddress, inboundPerAddress, refused);
        } finally {
            lock.unlock();
        }
    }
}
