package dev.parley.transport;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides which refusals are logged: the first of each source per quiet period, so a flood writes one line per
 * address a minute rather than one per socket. Remembers at most {@link #MAX_SOURCES} sources; beyond that (a flood
 * from very many addresses) refusals of sources it cannot remember go unlogged, and are only counted. Time is a
 * parameter, so the rule is a pure function of the calls. Not thread-safe: {@link ResourceManager} calls it under
 * its lock.
 */
final class RefusalLog {
    static final Duration QUIET = Duration.ofMinutes(1);
    static final int MAX_SOURCES = 1024;

    private final Map<String, Long> lastLogged = new HashMap<>();

    /** Whether a refusal of {@code source} at {@code nowNanos} (a {@link System#nanoTime()}) is to be logged. */
    boolean shouldLog(String source, long nowNanos) {
        Long last = lastLogged.get(source);
        if (last != null && nowNanos - last < QUIET.toNanos()) {
            return false;
        }
        if (last == null && lastLogged.size() >= MAX_SOURCES) {
            lastLogged.values().removeIf(logged -> nowNanos - logged >= QUIET.toNanos());
            if (lastLogged.size() >= MAX_SOURCES) {
                return false;
            }
        }
        lastLogged.put(source, nowNanos);
        return true;
    }
}
